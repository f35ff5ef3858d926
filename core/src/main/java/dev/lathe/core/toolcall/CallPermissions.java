package dev.lathe.core.toolcall;

import dev.lathe.tools.PermissionCheck;
import dev.lathe.tools.Permissions;

/**
 * Permissions that are told which call asks: its tool, its arguments as they run (after any hook's rewrite), and what
 * the pre-call hooks said about asking. The pipeline hands every check of a call through {@link #require(PermissionCheck,
 * Asking)} when the call's permissions are of this kind (the session's permission gate is).
 */
public interface CallPermissions extends Permissions {
    /** The call a check is for. */
    record Asking(String tool, String argsJson, PreCallHook.Permission hook) {}

    void require(PermissionCheck check, Asking call);
}
