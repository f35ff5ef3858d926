package dev.lathe.core.permission.bash;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * git's global options, the ones before the sub-command ({@code git -C dir -c k=v --no-pager push}): where the
 * sub-command starts, and the command without them. One grammar for everything that needs it (the hazard table, the
 * folders git is pointed at, the content commands, and the form the {@code bash} rules are matched against), so
 * {@code git -c x=y push} meets a rule written for {@code git push}.
 */
final class GitGlobals {
    private GitGlobals() {}

    /** Global options whose value may be the next word ({@code -C dir}, {@code --git-dir dir}). */
    static final Set<String> VALUED = Set.of("-C", "-c", "--git-dir", "--work-tree", "--namespace", "--config-env",
            "--super-prefix", "--attr-source", "--list-cmds", "--shallow-file");

    /**
     * Index in {@code args} (the words after {@code git}) of the sub-command, or -1 when there is none: the first word
     * that is neither an option nor the separate value of a {@link #VALUED} one. An unknown word ({@code $X}) is taken
     * as the sub-command when it is not such a value.
     */
    static int subcommand(List<String> args) {
        for (int i = 0; i < args.size(); i++) {
            String v = args.get(i);
            if (VALUED.contains(v)) i++;
            else if (!v.startsWith("-")) return i;
        }
        return -1;
    }

    /**
     * A {@code git} command line's words with the global options removed, or empty when there were none to remove
     * (or no sub-command follows them). {@code words} starts with the program name.
     */
    static List<String> withoutGlobals(List<String> words) {
        if (words.size() < 2) return List.of();
        int sub = subcommand(words.subList(1, words.size()));
        if (sub <= 0) return List.of();
        List<String> out = new ArrayList<>();
        out.add(words.getFirst());
        out.addAll(words.subList(sub + 1, words.size()));
        return out;
    }

    /** Whether a program name (as normalised: {@code git}, not {@code ./git}) is git. */
    static boolean isGit(String program) { return program.equals("git"); }
}
