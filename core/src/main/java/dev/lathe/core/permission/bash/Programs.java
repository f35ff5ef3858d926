package dev.lathe.core.permission.bash;

import java.util.Set;

/**
 * What the analyser knows about a program by its name alone, for callers outside this package: whether a rule naming
 * it with any arguments ({@code rm *}, {@code python3 *}) would allow far more than the one line a user approved. Reads
 * the same lists the analyser uses to unwrap shells and interpreters and to find the files a command writes.
 */
public final class Programs {
    private Programs() {}

    /** Programs beyond those lists whose every run may destroy or overwrite what it is given. */
    private static final Set<String> ALSO_DESTRUCTIVE = Set.of("dd", "chmod", "chown", "chgrp", "cp", "ln", "install", "rsync",
            "mkfs", "kill", "pkill", "killall", "find", "xargs", "sed", "perl", "awk", "gawk", "eval", "exec", "sudo", "su", "doas");

    /**
     * Whether any-argument approval of {@code name} would be unbounded: a shell or interpreter (its arguments are a
     * program), or a command that deletes, moves or overwrites its operands.
     */
    public static boolean unbounded(String name) {
        String base = name.contains("/") ? name.substring(name.lastIndexOf('/') + 1) : name;
        return Commands.SHELLS.contains(base) || Commands.INTERPRETERS.contains(base) || FileOperands.WRITE_ALL.contains(base)
                || ALSO_DESTRUCTIVE.contains(base) || base.matches("python3?(\\.\\d+)?|node\\d*|ruby\\d*(\\.\\d+)?");
    }
}
