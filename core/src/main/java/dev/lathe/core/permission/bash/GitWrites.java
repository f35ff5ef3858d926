package dev.lathe.core.permission.bash;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * git sub-commands that delete or overwrite the work-tree files they are given: {@code rm}, {@code mv},
 * {@code restore}, {@code checkout -- paths} and {@code clean} (which deletes untracked files below its paths, the
 * current folder by default). Their path operands are writes, judged against the {@code edit} rules like
 * {@code rm}'s. {@code checkout} without {@code --} takes an operand as a path only when such a file exists (else it
 * is a branch or commit).
 */
final class GitWrites {
    private GitWrites() {}

    private static final Set<String> VALUED = Set.of("-s", "--source", "-b", "-B", "--orphan", "--conflict", "-e", "--exclude",
            "--pathspec-from-file", "--chmod");

    /** @param cwd the folder git runs in (after {@code -C}); null when not known */
    static void collect(String sub, List<Word> args, Path cwd, FileOperands.Sink sink) {
        if (!Set.of("rm", "mv", "restore", "checkout", "clean").contains(sub)) return;
        String via = sub.equals("clean") ? "git clean" : "git " + sub;
        if (args.stream().anyMatch(w -> w.value() != null && w.value().startsWith("--pathspec-from-file"))) {
            sink.concern(via + " --pathspec-from-file names files that are not checked");
        }
        Options o = Options.parse(args, VALUED);
        boolean dashes = args.stream().anyMatch(w -> "--".equals(w.value()));
        List<Word> paths = o.operands();
        if (sub.equals("checkout") && dashes) {
            int dash = 0;
            while (!"--".equals(args.get(dash).value())) dash++;
            paths = args.subList(dash + 1, args.size());
        } else if (sub.equals("checkout")) {
            paths = paths.stream().filter(w -> w.value() != null && exists(w.value(), cwd)).toList();
        }
        if (sub.equals("clean") && paths.isEmpty()) paths = List.of(Word.literal("."));
        for (Word w : paths) sink.access(in(w, cwd), Access.WRITE, via);
    }

    private static boolean exists(String v, Path cwd) {
        Path p = Path.of(v);
        return Files.exists(p.isAbsolute() || cwd == null ? p : cwd.resolve(p), LinkOption.NOFOLLOW_LINKS);
    }

    private static Word in(Word w, Path folder) {
        if (w.value() == null || folder == null || Path.of(w.value()).isAbsolute()) return w;
        return new Word(folder.resolve(w.value()).toString(), w.raw(), w.glob());
    }
}
