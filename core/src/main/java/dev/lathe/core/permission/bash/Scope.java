package dev.lathe.core.permission.bash;

import java.nio.file.Path;

/** The shell state that matters for paths: the current folder (null once it cannot be known statically). */
final class Scope {
    Path cwd;

    Scope(Path cwd) { this.cwd = cwd; }

    /** A subshell, pipeline stage or background job: its {@code cd} does not leak out. */
    Scope copy() { return new Scope(cwd); }
}
