package dev.lathe.core.permission;

import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.PermissionMode;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The permission mode each prompt asked for ({@link PermissionMode}: the terminal UI's Shift+Tab cycle, the web's
 * toggle), with its session, until the turn answering it ends: {@code default} keeps a configured
 * {@code "defaultMode": "auto"} from starting the classifier, {@code acceptEdits} answers the turn's edit asks. A
 * subagent started meanwhile looks up its parent chain, as for auto-approval ({@link AutoState}).
 */
public final class TurnModes {
    private record Marked(SessionId session, PermissionMode mode) {}

    private final Map<MessageId, Marked> modes = new ConcurrentHashMap<>();

    /** The turn answering {@code prompt} of {@code session} runs in {@code mode}. */
    public void mark(SessionId session, MessageId prompt, PermissionMode mode) { modes.put(prompt, new Marked(session, mode)); }

    /** Whether a prompt of {@code session} not yet forgotten asked for {@code mode}. */
    public boolean in(SessionId session, PermissionMode mode) {
        return modes.values().stream().anyMatch(m -> m.session().equals(session) && m.mode() == mode);
    }

    /** The turn that answered {@code prompt} ended. */
    public void forget(MessageId prompt) { modes.remove(prompt); }
}
