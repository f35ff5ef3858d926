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
        /** A part of the user's message, and whether it waits: it was sent while a turn ran. */
        record User(Waiting waiting) implements Kind {}

        /** A part of an assistant message. */
        record Assistant() implements Kind {}

        /** Lines the UI itself prints (command output, errors, notices). */
        record Notice(List<AttributedString> lines) implements Kind {}
    }

    /** Where a message sent while a turn ran waits (DESIGN §22 "Steering"). */
    public enum Waiting {
        /** It reached the model (or was sent while nothing ran). */
        NO,
        /** Steered: the running turn reads it at its next step. */
        NEXT_STEP,
        /** Queued: it runs as a turn of its own after the running one. */
        AFTER_TURN;

        /** What the transcript shows beside it. */
        String label() {
            return switch (this) {
                case NO -> "";
                case NEXT_STEP -> "  (steering)";
                case AFTER_TURN -> "  (queued)";
            };
        }
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
