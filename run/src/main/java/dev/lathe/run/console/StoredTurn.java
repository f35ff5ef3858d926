package dev.lathe.run.console;

import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.LatheApi;
import dev.lathe.protocol.api.MessagePage;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.UserMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The turn a {@code lathe run} reads from the store when its events did not bring it whole (a resync, a broken stream):
 * from its prompt to the newest message, a page at a time, so the client holds one page however long the session is.
 * Reading the whole history instead was the client's only allocation in proportion to the session: at 300 steps a
 * ~1.5 MB answer decoded at once, a burst of 25-50 MiB of resident memory at the run's end (issue 70).
 *
 * <p>The pages come newest first and the turn is wanted oldest first (its text is printed in order), so the read walks
 * back to the prompt keeping only where each page ends, then reads the pages between again forwards: about twice the
 * requests of a read in one go, on a path taken only when events were lost, and at most two pages held.
 */
final class StoredTurn {
    /** Messages per page: a page is bounded by its messages' own sizes, not by the session's length. */
    static final int PAGE = 16;

    private StoredTurn() {}

    /**
     * What the read found: whether the prompt is stored (a prompt a hook refused is taken back), and how many messages
     * of the turn were handed on.
     */
    record Found(boolean prompt, int messages) {}

    /**
     * Hands each message from {@code prompt} on to {@code each}, oldest first; without a prompt (a command's turn), from
     * the session's last user message. A prompt no longer stored hands on nothing.
     *
     * <p>Throws the API's own exception when the store cannot be read (the server went away).
     */
    static Found read(LatheApi api, SessionId id, Optional<MessageId> prompt, Consumer<MessageWithParts> each) {
        // back from the newest: each page's cursor (the message it ends before), until the page that holds the start
        List<Optional<MessageId>> cursors = new ArrayList<>();
        Optional<MessageId> before = Optional.empty();
        MessageId newest = null;
        MessagePage newestPage = null;
        MessagePage oldestPage;
        while (true) {
            oldestPage = api.messages(id, PAGE, before);
            cursors.add(before);
            List<MessageWithParts> messages = oldestPage.messages();
            if (messages.isEmpty()) return new Found(prompt.isEmpty(), 0);
            if (newestPage == null) {
                newestPage = oldestPage;
                newest = messages.getLast().info().id();
            }
            MessageId oldest = messages.getFirst().info().id();
            if (prompt.isPresent()) {
                if (holds(messages, prompt.get())) break;
                // ids grow with time: a page that begins before the prompt and lacks it means the prompt is gone
                if (!oldestPage.more() || oldest.compareTo(prompt.get()) < 0) return new Found(false, 0);
            } else if (!oldestPage.more() || messages.stream().anyMatch(m -> m.info() instanceof UserMessage)) {
                break;
            }
            before = Optional.of(oldest);
        }
        // the walk ended on the oldest page, the one that holds the start, and began on the newest: both are kept (the
        // newest page read again would have moved on if a turn began since); the ones between are read again
        MessageId start = prompt.isPresent() ? prompt.get() : lastUserMessage(oldestPage);
        int handed = 0;
        for (int i = cursors.size() - 1; i >= 0; i--) {
            MessagePage page = i == cursors.size() - 1 ? oldestPage : i == 0 ? newestPage : api.messages(id, PAGE, cursors.get(i));
            oldestPage = null;
            for (MessageWithParts m : page.messages()) {
                MessageId at = m.info().id();
                // messages after the walk's newest belong to a turn begun since (another client's prompt)
                if (start != null && at.compareTo(start) < 0 || at.compareTo(newest) > 0) continue;
                // an answer to an older prompt is the turn the prompt waited behind, still writing when it was stored
                if (prompt.isPresent() && m.info() instanceof AssistantMessage a && a.parentId().compareTo(start) < 0) continue;
                each.accept(m);
                handed++;
            }
        }
        return new Found(true, handed);
    }

    private static boolean holds(List<MessageWithParts> messages, MessageId id) {
        return messages.stream().anyMatch(m -> m.info().id().equals(id));
    }

    /** The page's last user message; null when it has none (a session without one: the whole of it is the turn). */
    private static MessageId lastUserMessage(MessagePage page) {
        MessageId last = null;
        for (MessageWithParts m : page.messages()) if (m.info() instanceof UserMessage) last = m.info().id();
        return last;
    }
}
