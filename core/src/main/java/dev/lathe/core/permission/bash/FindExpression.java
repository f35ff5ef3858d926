package dev.lathe.core.permission.bash;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Whether a {@code find} command line only looks, for {@link ReadOnlyCommands}: find has no options in getopt's sense
 * but an expression, so every word of it must be a known test, option or printing action with its operands
 * ({@code -name PATTERN}), an operator or a parenthesis. Anything else is not read-only: the actions that run a
 * program ({@code -exec}, {@code -execdir}, {@code -ok}, {@code -okdir}) or write ({@code -delete}, {@code -fprint},
 * {@code -fprint0}, {@code -fprintf}, {@code -fls}), and every word find would read in a way not listed here.
 */
final class FindExpression {
    private FindExpression() {}

    /** Leading options, before the starting points. */
    private static final Set<String> LEADING = Set.of("-H", "-L", "-P");

    /** Expression words that take no operand. */
    private static final Set<String> NULLARY = Set.of("(", ")", "!", ",", "-not", "-a", "-and", "-o", "-or", "-empty", "-executable",
            "-false", "-true", "-readable", "-writable", "-nouser", "-nogroup", "-depth", "-d", "-follow", "-ignore_readdir_race",
            "-noignore_readdir_race", "-mount", "-xdev", "-noleaf", "-nowarn", "-warn", "-daystart", "-print", "-print0", "-ls",
            "-prune", "-quit");

    /** Expression words that take one operand (which is never read as a test). */
    private static final Set<String> UNARY = Set.of("-name", "-iname", "-path", "-ipath", "-wholename", "-iwholename", "-regex", "-iregex",
            "-type", "-xtype", "-size", "-perm", "-user", "-group", "-uid", "-gid", "-links", "-inum", "-samefile", "-newer", "-anewer",
            "-cnewer", "-mtime", "-mmin", "-atime", "-amin", "-ctime", "-cmin", "-used", "-lname", "-ilname", "-maxdepth", "-mindepth",
            "-fstype", "-context", "-regextype", "-printf");

    static Optional<String> whyNot(List<Word> args, Path cwd) {
        int i = 0;
        while (i < args.size() && (LEADING.contains(args.get(i).value()) || args.get(i).value().matches("-O\\d"))) i++;
        // starting points: up to the first word that starts an expression
        while (i < args.size() && !startsExpression(args.get(i).value())) {
            Optional<String> glob = ReadOnlyCommands.globCouldBeOption(args.get(i), cwd);
            if (glob.isPresent()) return glob;
            i++;
        }
        // the shell expands an unquoted glob in the expression to file names, which find would read as the expression
        for (int k = i; k < args.size(); k++) {
            if (args.get(k).glob()) return Optional.of("find: the unquoted glob " + args.get(k).value() + " becomes file names in the expression");
        }
        for (; i < args.size(); i++) {
            String v = args.get(i).value();
            if (NULLARY.contains(v)) continue;
            if (UNARY.contains(v) || v.matches("-newer[aBcmt][aBcmt]")) {
                if (++i == args.size()) return Optional.of("find " + v + " without its operand");
                continue;
            }
            return Optional.of("find " + v + " is not read-only" + switch (v) {
                case "-exec", "-execdir", "-ok", "-okdir" -> " (it runs a program on each file found)";
                case "-delete" -> " (it deletes the files found)";
                case "-fprint", "-fprint0", "-fprintf", "-fls" -> " (it writes a file)";
                default -> "";
            });
        }
        return Optional.empty();
    }

    private static boolean startsExpression(String v) {
        return v.startsWith("-") && !v.equals("-") || v.equals("(") || v.equals("!") || v.equals(")") || v.equals(",");
    }
}
