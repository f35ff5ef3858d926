package dev.lathe.core.toolcall;

import dev.lathe.protocol.session.ToolDisplay;
import dev.lathe.protocol.session.ToolRejection;
import dev.lathe.tools.ToolResult;
import java.util.Optional;

/**
 * Seam of the last step, the stored part. Its owner marks the part running when the call starts (before the pipeline
 * runs, so an unknown tool or malformed arguments still go running → failed, and a file-writing call waiting for its
 * turn shows running); the pipeline tells it the arguments that will run (a pre-call hook may have rewritten them)
 * with what the tool announced from them, and how the call ended. A session's step runner stores tool parts through
 * it; a command's {@code !cmd} stores none ({@link #NONE}).
 */
public interface PartRecorder {
    /** The call passed validation and pre-call hooks: {@code argsJson} is what will be checked and run. */
    void validated(String argsJson, Optional<ToolDisplay> announced);

    void completed(ToolResult result);

    void failed(String error);

    /**
     * How long the call's permission checks held it, in milliseconds (an ask waits for the user): told just before the
     * call ends, so the part's run can leave the wait out (issue 53).
     */
    default void heldByAsks(long millis) {}

    /** The call never ran: the user said no to its ask ({@code error} is what the model is told). */
    default void rejected(String error, ToolRejection rejection) { failed(error); }

    PartRecorder NONE = new PartRecorder() {
        @Override public void validated(String argsJson, Optional<ToolDisplay> announced) {}

        @Override public void completed(ToolResult result) {}

        @Override public void failed(String error) {}
    };
}
