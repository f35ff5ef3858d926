package dev.lathe.protocol.api;

import dev.lathe.protocol.MessageId;
import java.util.Optional;

/**
 * Body of {@code POST /sessions/{id}/rewind} (DESIGN §18 "Rewind"): go back to just before the user message
 * {@code messageId}, restoring {@code restore}. {@code confirm} decides the files changed outside the agent since then
 * (by the user, an editor, another session): absent, such files make the rewind a 409 naming them and nothing is
 * changed; {@code true} restores them too; {@code false} keeps them as they are and rewinds the rest.
 */
public record RewindRequest(MessageId messageId, Restore restore, Optional<Boolean> confirm) {
    public RewindRequest {
        confirm = confirm == null ? Optional.empty() : confirm;
    }

    public static RewindRequest to(MessageId messageId, Restore restore) {
        return new RewindRequest(messageId, restore, Optional.empty());
    }

    /** This rewind restoring files changed outside the agent as well. */
    public RewindRequest overwritingOutsideEdits() { return new RewindRequest(messageId, restore, Optional.of(true)); }

    /** This rewind leaving files changed outside the agent as they are. */
    public RewindRequest keepingOutsideEdits() { return new RewindRequest(messageId, restore, Optional.of(false)); }

    /** What to do with a file changed outside the agent since the message. */
    public OutsideEdits outsideEdits() {
        return confirm.map(yes -> yes ? OutsideEdits.OVERWRITE : OutsideEdits.KEEP).orElse(OutsideEdits.ASK);
    }

    /** The three answers {@code confirm} gives. */
    public enum OutsideEdits {
        /** Refuse (409) naming them; change nothing. */
        ASK,
        /** Restore them like the others. */
        OVERWRITE,
        /** Leave them as they are, rewind the rest. */
        KEEP
    }
}
