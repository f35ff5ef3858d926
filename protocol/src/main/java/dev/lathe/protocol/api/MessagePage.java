package dev.lathe.protocol.api;

import dev.lathe.protocol.MessageId;
import java.util.List;
import java.util.Optional;

/**
 * One page of a session's visible messages ({@code GET /sessions/{id}/messages?limit=N&before=ID}): the newest
 * {@code limit} older than {@code before}, oldest first so a client can put them above what it shows, and whether older
 * visible messages exist. Over HTTP the body is the list and {@link #MORE_HEADER} carries {@code more}.
 */
public record MessagePage(List<MessageWithParts> messages, boolean more) {
    /** The response header that says whether older messages exist than the page's first. */
    public static final String MORE_HEADER = "X-Lathe-More";
    /** The largest page the server hands out: a bigger one is the whole history, which the unpaged route returns. */
    public static final int MAX_LIMIT = 1000;

    public MessagePage {
        messages = List.copyOf(messages);
    }

    /** @throws LatheException.InvalidInput unless {@code limit} is in 1..{@link #MAX_LIMIT} */
    public static int checkLimit(int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new LatheException.InvalidInput("limit must be a whole number from 1 to " + MAX_LIMIT + ", not " + limit);
        }
        return limit;
    }

    /**
     * The page of {@code visible} (a whole history, oldest first) for an in-memory holder of it (a test double).
     *
     * @throws LatheException.InvalidInput when {@code before} is none of the messages
     */
    public static MessagePage of(List<MessageWithParts> visible, int limit, Optional<MessageId> before) {
        checkLimit(limit);
        int end = visible.size();
        if (before.isPresent()) {
            end = 0;
            while (end < visible.size() && !visible.get(end).info().id().equals(before.get())) end++;
            if (end == visible.size()) throw new LatheException.InvalidInput("no message " + before.get().value() + " in this session");
        }
        int start = Math.max(0, end - limit);
        return new MessagePage(visible.subList(start, end), start > 0);
    }
}
