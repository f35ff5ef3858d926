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

    /**
     * The first control character in the line, as a reason; null when there is none. Tab and newline are shell
     * syntax; every other C0 control, DEL and the Unicode line and paragraph separators are not, and some tokenizers
     * treat them as separators where bash does not, so they ask.
     */
    static String controlCharacter(String command) {
        for (int i = 0; i < command.length(); i++) {
            char c = command.charAt(i);
            if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7f || c == '\u2028' || c == '\u2029' || c == '\u0085') {
                return String.format("control character U+%04X", (int) c);
            }
        }
        return null;
    }

    public static Analysis analyze(String command, Path workdir, Path home) {
        var out = new Walker.Collector(RealPaths.resolve(home));
        String control = controlCharacter(command);
        if (control != null) out.concern(control);
        new Walker(out).script(command, new Scope(RealPaths.resolve(workdir)), 0);
        return out.result();
    }
}
