package dev.lathe.tools;

/**
 * The user (or a deny rule) refused a permission. The call fails with this message and the turn stops; it is not a
 * {@link ToolFailure} because retrying with other arguments is not what the user asked for.
 */
public final class PermissionRejected extends RuntimeException {
    public PermissionRejected(String message) {
        super(message);
    }
}
