package dev.lathe.core.toolcall;

import dev.lathe.protocol.session.ToolDisplay;
import dev.lathe.tools.ToolResult;
import java.util.Optional;

/**
 * Seam of the last step, the stored part: told when the call starts running (with what the tool announced from its
 * arguments) and how it ended. A session's step runner stores tool parts through it; a command's {@code !cmd} stores
 * none ({@link #NONE}).
 */
public interface PartRecorder {
    /** The call passed validation and pre-call hooks and is about to be checked and run. */
    void running(Optional<ToolDisplay> announced);

    void completed(ToolResult result);

    void failed(String error);

    PartRecorder NONE = new PartRecorder() {
        @Override public void running(Optional<ToolDisplay> announced) {}

        @Override public void completed(ToolResult result) {}

        @Override public void failed(String error) {}
    };
}
