package dev.lathe.tools;

/** A failure the model can act on (bad path, no match, timeout): its message is returned to the model as the tool result. */
public final class ToolFailure extends RuntimeException {
    public ToolFailure(String message) {
        super(message);
    }

    public ToolFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
