package dev.lathe.core.permission.bash;

import java.util.List;
import java.util.Set;

/**
 * Commands that run another command given in their arguments. {@link #innerStart} says where that command starts
 * (or -1 when this use of the wrapper runs nothing, like {@code command -v x} or a bare {@code env}).
 * chroot is not here: what it runs sees another file tree, so {@link Commands} treats it as dynamic.
 */
final class Wrappers {
    private Wrappers() {}

    static final Set<String> TRANSPARENT = Set.of("env", "command", "builtin", "exec", "nice", "nohup", "time", "timeout",
            "stdbuf", "ionice", "xargs");
    static final Set<String> ELEVATING = Set.of("sudo", "doas");

    static boolean isWrapper(String name) {
        return TRANSPARENT.contains(name) || ELEVATING.contains(name) || Set.of("chroot", "bash", "sh", "zsh", "dash", "ksh").contains(name);
    }

    /** Index in {@code args} of the wrapped command's first word, or -1. */
    static int innerStart(String name, List<Word> args) {
        return switch (name) {
            case "env" -> skip(args, Set.of("-u", "--unset", "-C", "--chdir"), Set.of(), false);
            case "command" -> hasAny(args, "-v", "-V") ? -1 : skip(args, Set.of(), Set.of(), false);
            case "builtin", "nohup" -> skip(args, Set.of(), Set.of(), false);
            case "exec" -> skip(args, Set.of("-a"), Set.of(), false);
            case "nice" -> skip(args, Set.of("-n", "--adjustment"), Set.of(), false);
            case "time" -> skip(args, Set.of("-o", "-f", "--output", "--format"), Set.of(), false);
            case "timeout" -> skip(args, Set.of("-s", "-k", "--signal", "--kill-after"), Set.of(), true);
            case "stdbuf" -> skip(args, Set.of("-i", "-o", "-e", "--input", "--output", "--error"), Set.of(), false);
            case "ionice" -> hasAny(args, "-p", "-P", "-u") ? -1 : skip(args, Set.of("-c", "-n", "--class", "--classdata"), Set.of(), false);
            case "xargs" -> skip(args, Set.of("-I", "-n", "-P", "-L", "-d", "-E", "-s", "-a", "--max-args", "--max-procs",
                    "--delimiter", "--arg-file", "--replace", "--max-lines", "--max-chars", "--eof"), Set.of(), false);
            case "sudo" -> skip(args, Set.of("-u", "-g", "-C", "-D", "-h", "-p", "-R", "-r", "-t", "-T", "-U", "--user", "--group",
                    "--chdir", "--prompt", "--role", "--type", "--other-user", "--close-from", "--host"), Set.of(), false);
            case "doas" -> skip(args, Set.of("-u", "-C"), Set.of(), false);
            default -> -1;
        };
    }

    private static boolean hasAny(List<Word> args, String... opts) {
        for (Word w : args) {
            if (w.value() == null || !w.value().startsWith("-")) return false;
            for (String o : opts) if (w.value().equals(o)) return true;
        }
        return false;
    }

    /**
     * Skips leading options (and the values of {@code valued} ones; short valued options may carry the value attached)
     * and, for timeout, the duration operand. Returns -1 when nothing is left.
     */
    private static int skip(List<Word> args, Set<String> valued, Set<String> unused, boolean durationOperand) {
        int i = 0;
        while (i < args.size()) {
            String v = args.get(i).value();
            if (v == null || !v.startsWith("-") || v.equals("-")) break;
            i++;
            if (v.equals("--")) break;
            if (valued.contains(v)) i++;
        }
        if (durationOperand) i++;
        return i < args.size() ? i : -1;
    }
}
