package dev.lathe.tui.view;

import dev.lathe.protocol.session.Part;
import java.util.List;
import java.util.Optional;
import org.jline.utils.AttributedString;

/**
 * One thing the transcript shows: a part of a message (with its streamed text so far), the user's own message, or a
 * line of the UI itself. Mutable while it streams; {@link #done} once it can no longer change.
 */
public final class Block {
    /** What the block is. */
    public sealed interface Kind {
        /** A part of the user's message; {@code queued} when it was sent while a turn ran. */
        record User(boolean queued) implements Kind {}

        /** A part of an assistant message. */
        record Assistant() implements Kind {}

        /** Lines the UI itself prints (command output, errors, notices). */
        record Notice(List<AttributedString> lines) implements Kind {}
    }

    final String key;
    final Kind kind;
    Optional<Part> part;
    final StringBuilder text = new StringBuilder();
    boolean done;
    /** Characters of {@link #text} already printed to scrollback while it was still streaming. */
    int committedChars;
    /** How many {@code PartUpdated} events announced this part: the second one of a text part is its end. */
    int updates;

    Block(String key, Kind kind, Optional<Part> part) {
        this.key = key;
        this.kind = kind;
        this.part = part;
    }

    public String key() { return key; }

    public Kind kind() { return kind; }

    public Optional<Part> part() { return part; }

    public String text() { return text.toString(); }

    public boolean done() { return done; }
}
