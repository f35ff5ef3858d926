package dev.lathe.core.permission.bash;

import java.util.regex.Pattern;

/**
 * Looks inside the program text of {@code sed} and {@code awk} for the parts that write files, read other files or run
 * programs, which the command line alone does not show: sed's {@code w}/{@code W}/{@code r}/{@code R}/{@code e}
 * commands and {@code s///w}/{@code s///e} flags; awk's {@code system()}, pipes, {@code getline} and output
 * redirections. Over-approximate on purpose: a comparison {@code $1 > 5} in awk also counts, it then only asks.
 */
final class ProgramText {
    private ProgramText() {}

    /** s/regex/replacement/flags with any delimiter, and y/from/to/. */
    private static final Pattern SUBSTITUTE = Pattern.compile("([sy])([^\\\\\\n])((?:\\\\.|(?!\\2).)*)\\2((?:\\\\.|(?!\\2).)*)\\2([A-Za-z0-9]*)");
    private static final Pattern ADDRESS = Pattern.compile("(?:\\\\(.)|/)(?:\\\\.|[^/\\\\])*/");

    /** Why a sed script is risky, or null. */
    static String sed(String script) {
        if (script == null) return "sed script is not statically known";
        var m = SUBSTITUTE.matcher(script);
        StringBuilder rest = new StringBuilder();
        int last = 0;
        while (m.find()) {
            String flags = m.group(1).equals("s") ? m.group(5) : "";
            if (flags.contains("w")) return "sed flag w writes a file";
            if (flags.contains("e")) return "sed flag e runs a program";
            rest.append(script, last, m.start()).append(' ');
            last = m.end();
        }
        rest.append(script.substring(last));
        String commands = ADDRESS.matcher(rest).replaceAll(" ");
        // a command letter at the start of a command: after start, ';', newline, '{', '}', '!' or an address
        var cmd = Pattern.compile("(?:^|[;\\n{}!,0-9$\\s])\\s*([wWrRe])(?:\\s|$)").matcher(commands);
        if (cmd.find()) {
            return switch (cmd.group(1)) {
                case "w", "W" -> "sed command w writes a file";
                case "r", "R" -> "sed command r reads a file";
                default -> "sed command e runs a program";
            };
        }
        return null;
    }

    /** Why an awk program is risky, or null. */
    static String awk(String program) {
        if (program == null) return "awk program is not statically known";
        if (program.contains("system")) return "awk system() runs a program";
        if (program.contains("|")) return "awk pipe runs a program";
        if (program.contains("getline")) return "awk getline reads a file or runs a program";
        if (program.contains(">")) return "awk redirection may write a file";
        return null;
    }
}
