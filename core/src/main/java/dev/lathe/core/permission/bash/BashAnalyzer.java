package dev.lathe.core.permission.bash;

import java.nio.file.Path;

/**
 * Static analysis of a bash command line for permission checks (DESIGN §10): the simple commands it would run (through
 * lists, pipelines, subshells, substitutions, bodies and wrappers such as {@code sudo}, {@code xargs},
 * {@code bash -c}), the files they read and write (operands of well-known commands and redirections, resolved against
 * the tracked folder, {@code ~} and symlinks), and why it is not fully static when it is not.
 */
public final class BashAnalyzer {
    private BashAnalyzer() {}

    public static Analysis analyze(String command, Path workdir) {
        return analyze(command, workdir, Path.of(System.getProperty("user.home")));
    }

    public static Analysis analyze(String command, Path workdir, Path home) {
        var out = new Walker.Collector(RealPaths.resolve(home));
        new Walker(out).script(command, new Scope(RealPaths.resolve(workdir)), 0);
        return out.result();
    }
}
