package dev.lathe.core.toolcall;

import dev.lathe.tools.CallAsking;
import dev.lathe.tools.PermissionCheck;
import dev.lathe.tools.Permissions;

/**
 * A tool call's permissions as its tool sees them: every check goes on to {@code inner} carrying {@code caller} (the
 * call's tool, its arguments as they run and the pre-call hooks' answer), so the permission gate at the end of any
 * chain of wrappers decides with them and hands them to the PermissionRequest and PermissionDenied hooks.
 */
record CallerOnChecks(Permissions inner, CallAsking caller) implements Permissions {
    @Override
    public void require(PermissionCheck check) { inner.require(check.askedBy(caller)); }

    @Override
    public boolean denies(PermissionCheck check) { return inner.denies(check.askedBy(caller)); }

    @Override
    public void connecting(java.net.URI target) { inner.connecting(target); }
}
