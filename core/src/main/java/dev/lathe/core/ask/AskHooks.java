package dev.lathe.core.ask;

/**
 * The hooks the permission gate consults (Claude Code's {@code PermissionRequest}, {@code PermissionDenied} and
 * {@code Notification} with type {@code permission_prompt}), for one call. {@link #NONE} consults none.
 */
public interface AskHooks {
    /** What {@code PermissionRequest} hooks answered in place of the user. */
    sealed interface Answer {
        /** No hook answered: the user is asked. */
        record Unanswered() implements Answer {}

        /** {@code behavior: allow}: the call runs once, nobody is asked. */
        record Allowed() implements Answer {}

        /** {@code behavior: deny}: the call is refused with {@code message}, which the model reads. */
        record Denied(String message) implements Answer {}
    }

    /** Before the user would be asked to let {@code tool} run with {@code argsJson}. */
    Answer permissionRequest(String tool, String argsJson);

    /** {@code tool} was refused ({@code reason}); true when a hook said the model may try again ({@code retry: true}). */
    boolean denied(String tool, String argsJson, String reason);

    /** The user is being asked ({@code message}); fire-and-forget. */
    void waiting(String message);

    AskHooks NONE = new AskHooks() {
        @Override public Answer permissionRequest(String tool, String argsJson) { return new Answer.Unanswered(); }

        @Override public boolean denied(String tool, String argsJson, String reason) { return false; }

        @Override public void waiting(String message) { }
    };
}
