package dev.lathe.tools;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link Permissions} fake that records every check and allows it, or rejects when told to. */
public final class RecordingPermissions implements Permissions {
    public final List<PermissionCheck> checks = new CopyOnWriteArrayList<>();
    private final boolean reject;

    private RecordingPermissions(boolean reject) {
        this.reject = reject;
    }

    public static RecordingPermissions allowing() { return new RecordingPermissions(false); }

    public static RecordingPermissions rejecting() { return new RecordingPermissions(true); }

    /** A rejecting fake stands for a deny rule: it denies without asking too. */
    @Override
    public boolean denies(PermissionCheck check) { return reject; }

    @Override
    public void require(PermissionCheck check) {
        checks.add(check);
        if (reject) throw new PermissionRejected("rejected by the test");
    }
}
