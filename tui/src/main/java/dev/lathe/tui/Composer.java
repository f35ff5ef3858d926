package dev.lathe.tui;

import dev.lathe.protocol.MessageId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The message being composed: its text and the footer's hint ({@link PromptState}, replaced by {@link PromptKeys}'
 * steps), the files mentioned in it, and the messages sent into a running turn, which come back into the input when
 * the server withdraws them. Owned by the UI's loop and changed on its thread alone.
 */
final class Composer {
    private PromptState state = PromptState.empty();
    /** Files picked from the completion list: attached to the next message when its text still mentions them. */
    private final Set<String> mentioned = new LinkedHashSet<>();
    /**
     * Messages this UI queued into a running turn, by id: one the server withdraws (the turn was aborted) comes back
     * ({@link ServerSignals} decides). An unmodifiable map replaced on change: a few entries, changed only when the user
     * queues a message or one is withdrawn, read on each server event.
     */
    private Map<MessageId, String> queued = Map.of();

    PromptState state() { return state; }

    /** A reducer's new state becomes the composer's. */
    void state(PromptState now) { state = now; }

    boolean isEmpty() { return state.isEmpty(); }

    String text() { return state.text(); }

    /** Puts {@code text} in the input unless the user typed something meanwhile (nothing they typed is overwritten). */
    void offer(String text) {
        if (state.isEmpty()) state = state.withText(text);
    }

    /** As {@link #offer(String)}, saying why in the footer. */
    void offer(String text, String hint) {
        if (state.isEmpty()) state = state.withText(text).withHint(hint);
    }

    /** The footer's hint until the next key. */
    void hint(String hint) { state = state.withHint(hint); }

    void mention(String path) { mentioned.add(path); }

    /** The files mentioned since the last message, in the order picked; the next message starts without any. */
    List<String> takeMentioned() {
        var all = new ArrayList<>(mentioned);
        mentioned.clear();
        return all;
    }

    /** A message sent into a running turn, remembered until the turn either reads it or drops it. */
    void queued(MessageId id, String text) {
        var now = new HashMap<>(queued);
        now.put(id, text);
        queued = Map.copyOf(now);
    }

    /** The messages queued into a running turn and not withdrawn since, by id. */
    Map<MessageId, String> queued() { return queued; }

    /** A step's queued messages become the composer's. */
    void queued(Map<MessageId, String> now) { queued = now; }
}
