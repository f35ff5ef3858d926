package dev.lathe.protocol.api;

import dev.lathe.protocol.SessionId;
import java.util.List;

/**
 * A session's background commands as people reach them (DESIGN §32): listed, read from any position, typed into and
 * ended. The same processes the model reads with {@code bash_output}, not copies. Reading is any user's, as reading a
 * session is; typing and ending are its owner's.
 */
public interface ProcessApi {
    /** The session's background commands, running and recently ended, oldest first; 404 for an unknown session. */
    List<ProcessInfo> list(SessionId session);

    /** Output of {@code processId} from byte {@code since} on; 404 for an unknown process. */
    ProcessChunk output(SessionId session, String processId, long since);

    /** Writes {@code input} to the process's standard input; 409 once it ended. */
    void input(SessionId session, String processId, ProcessInput input);

    /** Ends the process and everything it started; the model is told the user ended it. */
    void kill(SessionId session, String processId);
}
