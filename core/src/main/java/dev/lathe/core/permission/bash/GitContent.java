package dev.lathe.core.permission.bash;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * git sub-commands that print (or write out) the content of the files git holds, and which files that is: the paths
 * they are limited to ({@code --} pathspecs, existing paths, {@code REV:path}) or, when nothing limits them, every
 * file the repository tracks ({@link Access#REPOSITORY}). {@code git diff} with {@code .env} tracked and modified
 * prints it; {@code git diff -- src/} does not. Whether a form prints content at all is decided from its options
 * ({@code git log} prints commits, {@code git log -p} patches; {@code git diff --stat} only names). Paths are resolved
 * in the folder git runs in (after {@code -C}); {@code REV:path} from the repository's top unless it starts with
 * {@code ./} or {@code ../}, as git does.
 */
final class GitContent {
    private GitContent() {}

    /** Commands that print patches by default; {@link #SUMMARY} options alone turn that off. */
    private static final Set<String> PATCH_BY_DEFAULT = Set.of("diff", "show", "difftool");
    /** Commands that print patches only when asked to ({@link #PATCH}). */
    private static final Set<String> PATCH_ON_REQUEST = Set.of("log", "whatchanged", "diff-tree", "diff-index", "diff-files",
            "request-pull", "reflog");
    /** Commands whose whole output is file content of the commits or trees they are given. */
    private static final Set<String> ALWAYS = Set.of("format-patch", "range-diff", "fast-export", "archive", "unpack-file",
            "checkout-index");
    /** Copies of the whole repository's tracked files under another name ({@code worktree add}, {@code bundle create}). */
    private static final java.util.Map<String, String> COPIES = java.util.Map.of("worktree", "add", "bundle", "create");

    /**
     * Options that make diff output a patch (or search content): matched exactly, with a value attached, or (long
     * ones) as any abbreviation of three characters or more, since git's option parser accepts those.
     */
    private static final Pattern PATCH = Pattern.compile(
            "-p|-u|-U\\d*|-c|-m|-W|--cc|--dd|-[LSG].*|--patch.*|--unified.*|--remerge-diff|--diff-merges.*|--word-diff.*"
                    + "|--color-words.*|--binary|--check|--function-context|--full-diff|--pickaxe.*|--inter-hunk-context.*");
    private static final List<String> PATCH_LONG = List.of("--patch", "--patch-with-stat", "--patch-with-raw", "--unified",
            "--word-diff", "--color-words", "--binary", "--check", "--function-context", "--full-diff", "--remerge-diff",
            "--diff-merges", "--pickaxe-all", "--pickaxe-regex");
    /** Options that show only names or counts; exact spellings only, so an abbreviation never turns content off. */
    private static final Pattern SUMMARY = Pattern.compile("--stat(=.*)?|--numstat|--shortstat|--dirstat(=.*)?|--name-only"
            + "|--name-status|--summary|--raw|-s|--no-patch|--quiet|--compact-summary");
    /** Options whose value may be the next word ({@code -n 5}, {@code --author alice}), per kind of sub-command. */
    private static final Set<String> REV_VALUED = Set.of("-n", "--max-count", "--skip", "--since", "--until", "--after",
            "--before", "--author", "--committer", "--grep", "--grep-reflog", "-S", "-G", "-L", "--encoding",
            "--decorate-refs", "--decorate-refs-exclude", "--find-object", "--since-as-filter", "--diff-algorithm",
            "--anchored", "--src-prefix", "--dst-prefix", "--line-prefix", "--path");
    private static final Set<String> GREP_VALUED = Set.of("-e", "-f", "-m", "-A", "-B", "-C", "--max-depth", "--threads",
            "--max-count", "--context", "--after-context", "--before-context");
    private static final Set<String> ARCHIVE_VALUED = Set.of("--format", "--prefix", "-o", "--output", "--remote", "--exec",
            "--add-file", "--add-virtual-file", "--mtime");
    /** A possible object name (abbreviated or full hash), which may name a blob: any file git holds. */
    private static final Pattern OBJECT_ID = Pattern.compile("(?i)[0-9a-f]{4,64}(\\^\\{[a-z]*})?");

    /** What the operands of one content command name. */
    private static final class Operands {
        boolean paths;      // a pathspec or an existing path: output limited to it
        boolean revisions;  // a commit or other revision: its changes to any tracked file
        boolean blobs;      // an object that may be a blob (a hash, cat-file's names, --batch): any file git holds
    }

    /**
     * @param sub   the sub-command ({@code diff})
     * @param args  the words after it
     * @param cwd   the folder git runs in (the shell's, after {@code -C}); null when not known
     * @param other {@code --git-dir} or {@code --work-tree} was given: another repository's files
     */
    static void collect(String sub, List<Word> args, Path cwd, boolean other, FileOperands.Sink sink) {
        String via = "git " + sub;
        if (sub.equals("blame") || sub.equals("annotate")) {
            blame(sub, args, cwd, sink);
            return;
        }
        if (COPIES.containsKey(sub)) {
            String action = args.stream().map(Word::value).filter(v -> v != null && !v.startsWith("-")).findFirst().orElse("");
            Path top = cwd == null ? null : top(cwd);
            if (action.equals(COPIES.get(sub)) && top != null) sink.access(Word.literal(top.toString()), Access.REPOSITORY, via + " " + action);
            return;
        }
        boolean grep = sub.equals("grep");
        // a hash may name a blob, which git show prints whatever its summary options say
        boolean hash = sub.equals("show") && args.stream().anyMatch(w -> w.value() != null && OBJECT_ID.matcher(w.value()).matches());
        boolean content = grep || hash || prints(sub, args);
        // a form that prints no content still names paths (git log --stat -- secrets lists what is there)
        if (!content && !(PATCH_BY_DEFAULT.contains(sub) || PATCH_ON_REQUEST.contains(sub) || blobNamer(sub))) return;
        if (content) concerns(sub, args, cwd, other, sink);
        boolean untracked = grep && has(args, "--untracked", "--no-index");
        boolean noIndex = !grep && has(args, "--no-index");
        Access named = !content ? Access.LIST : noIndex ? Access.READ : untracked ? Access.SEARCH : Access.TRACKED;
        Access existing = !content ? Access.LIST : untracked ? Access.SEARCH : Access.READ_IF_EXISTS;
        Set<String> valued = grep ? GREP_VALUED : sub.equals("archive") ? ARCHIVE_VALUED : REV_VALUED;
        boolean patternFirst = grep && !has(args, "-e", "-f");
        Path top = cwd == null ? null : top(cwd);
        Operands found = new Operands();
        boolean afterDashes = false;
        int position = 0; // operands seen before "--": grep's pattern, archive's tree-ish
        for (int i = 0; i < args.size(); i++) {
            Word w = args.get(i);
            String v = w.value();
            if (v == null) {
                sink.problem("git: cannot tell which file " + w.raw() + " is");
                continue;
            }
            if (!afterDashes && v.equals("--")) {
                afterDashes = true;
                continue;
            }
            if (!afterDashes && v.startsWith("-") && v.length() > 1) {
                int eq = v.indexOf('=');
                String name = eq > 0 ? v.substring(0, eq) : v;
                Word value = eq > 0 ? new Word(v.substring(eq + 1), w.raw(), false)
                        : valued.contains(name) && i + 1 < args.size() ? args.get(++i) : null;
                option(sub, name, value, w, cwd, found, sink);
                continue;
            }
            if (!afterDashes && position++ == 0 && (patternFirst || (Set.of("stash", "reflog").contains(sub) && v.matches("[a-z]+")))) {
                continue; // grep's pattern; stash's and reflog's action (show, list)
            }
            boolean expands = w.glob() && cwd != null && RealPaths.expand(cwd.resolve(v), 2).size() > 1; // the shell's glob matched files
            if (v.matches(":[(!^/].*") || (!expands && (v.contains("*") || v.contains("?") || v.contains("[")))) {
                // quoted, or matching nothing so the shell passes it on: git takes it as a pattern
                sink.concern("git pathspec " + v + " is a pattern, which is not checked against read rules");
                found.paths = true;
                continue;
            }
            String objectPath = afterDashes ? null : objectPath(v);
            if (objectPath != null) { // REV:path is that path's content at REV (or a tree's names)
                if (!objectPath.isEmpty()) {
                    boolean fromCwd = objectPath.startsWith("./") || objectPath.startsWith("../");
                    sink.access(at(objectPath, w, fromCwd || top == null ? cwd : top), Access.TRACKED, via);
                }
                if (sub.equals("archive")) found.paths = true;
            } else if (afterDashes || noIndex || (sub.equals("archive") && position > 1)) {
                sink.access(at(v, w, cwd), named, via); // archive's paths follow its tree-ish without "--"
                found.paths = true;
            } else if (expands || exists(v, cwd)) {
                sink.access(at(v, w, cwd), existing, via);
                found.paths = true;
            } else if (blobNamer(sub) || (sub.equals("show") && OBJECT_ID.matcher(v).matches())) {
                found.blobs = true;
            } else {
                found.revisions = true;
            }
        }
        if (!content) return;
        boolean everything = grep ? !found.paths : found.blobs || (!noIndex && !found.paths && (found.revisions || !blobNamer(sub) && !anyObject(args)));
        if (!everything) return;
        if (cwd == null) {
            sink.problem(via + ": the folder git runs in is not known");
            return;
        }
        // git grep searches below the current folder; the others print from the whole repository
        Path where = grep ? cwd : top;
        if (where != null) sink.access(Word.literal(where.toString()), untracked ? Access.SEARCH : Access.REPOSITORY, via);
    }

    /** What an option names: a file it reads ({@code --contents}, grep's {@code -f}), a path ({@code -L 1,5:file}). */
    private static void option(String sub, String name, Word value, Word original, Path cwd, Operands found, FileOperands.Sink sink) {
        String via = "git " + sub;
        String v = value == null ? null : value.value();
        if (name.startsWith("-L") && !name.startsWith("--")) {
            String spec = name.length() > 2 ? name.substring(2) : v;
            if (spec != null && spec.lastIndexOf(':') >= 0) {
                sink.access(at(spec.substring(spec.lastIndexOf(':') + 1), original, cwd), Access.TRACKED, via);
                found.paths = true;
            }
        } else if (name.equals("--path") && v != null) {
            sink.access(at(v, original, cwd), Access.TRACKED, via);
            found.paths = true;
        } else if ((name.equals("--add-file") || (sub.equals("grep") && name.equals("-f"))) && v != null) {
            sink.access(at(v, original, cwd), Access.READ, via);
        } else if (sub.equals("archive") && (name.equals("-o") || name.equals("--output")) && v != null) {
            sink.access(at(v, original, cwd), Access.WRITE, via);
        } else if (name.startsWith("--batch")) {
            found.blobs = true;
        }
    }

    /** Files the listing of tracked files does not cover ask; and what format-patch writes. */
    private static void concerns(String sub, List<Word> args, Path cwd, boolean other, FileOperands.Sink sink) {
        String via = "git " + sub;
        if (sub.equals("format-patch") && !has(args, "--stdout") && !has(args, "-o", "--output-directory")) {
            sink.access(Word.literal(cwd == null ? "." : cwd.toString()), Access.WRITE, via); // one patch file per commit, here
        }
        if (other) sink.concern(via + " with --git-dir or --work-tree prints another repository's files, which are not checked");
        if (has(args, "--submodule", "--recurse-submodules")) sink.concern(via + " prints submodule content, which is not checked against read rules");
        if (sub.equals("stash") && (has(args, "--include-untracked", "--only-untracked") || args.stream().anyMatch(w -> "-u".equals(w.value())))) {
            sink.concern("git stash show with untracked files prints files git does not track, which are not checked");
        }
    }

    /** cat-file and unpack-file take object names, any of which may be a blob. */
    private static boolean blobNamer(String sub) { return sub.equals("cat-file") || sub.equals("unpack-file"); }

    /** Whether a REV:path object is among the operands (so the command prints that object, not the repository). */
    private static boolean anyObject(List<Word> args) {
        boolean dashes = false;
        for (Word w : args) {
            if ("--".equals(w.value())) dashes = true;
            else if (!dashes && w.value() != null && !w.value().startsWith("-") && objectPath(w.value()) != null) return true;
        }
        return false;
    }

    private static boolean has(List<Word> args, String... prefixes) {
        for (Word w : args) {
            if ("--".equals(w.value())) return false;
            for (String p : prefixes) if (w.value() != null && (w.value().equals(p) || w.value().startsWith(p + "="))) return true;
        }
        return false;
    }

    /**
     * Whether this use of the sub-command prints file content (or writes it to files): by default for diff and show
     * unless only summary options are given, on request for log and its kin, always for format-patch and archive,
     * {@code cat-file} with {@code -p}, a type or a batch, {@code stash show}.
     */
    static boolean prints(String sub, List<Word> args) {
        List<String> opts = args.stream().map(w -> w.value() != null ? w.value() : w.raw()).takeWhile(v -> !v.equals("--"))
                .filter(v -> v.startsWith("-")).toList();
        boolean patch = opts.stream().anyMatch(GitContent::isPatch);
        if (PATCH_BY_DEFAULT.contains(sub)) return patch || opts.stream().noneMatch(v -> SUMMARY.matcher(v).matches());
        if (PATCH_ON_REQUEST.contains(sub)) return patch;
        if (ALWAYS.contains(sub)) return !(sub.equals("archive") && opts.stream().anyMatch(v -> v.equals("-l") || v.equals("--list") || v.startsWith("--remote")));
        if (sub.equals("cat-file")) {
            return opts.stream().anyMatch(v -> v.equals("-p") || v.startsWith("--batch") || v.equals("--textconv") || v.equals("--filters"))
                    || args.stream().anyMatch(w -> w.value() != null && Set.of("blob", "tree", "commit", "tag").contains(w.value()));
        }
        if (sub.equals("stash")) {
            String action = args.stream().map(Word::value).filter(v -> v != null && !v.startsWith("-")).findFirst().orElse("");
            return action.equals("show") || (action.equals("list") && patch);
        }
        return false;
    }

    private static boolean isPatch(String v) {
        if (PATCH.matcher(v).matches()) return true;
        // a cluster of short options (-pS, -1p) holding one that turns patches on
        if (v.matches("-[A-Za-z0-9]*[puWcmLSG][A-Za-z0-9]*")) return true;
        String given = v.contains("=") ? v.substring(0, v.indexOf('=')) : v;
        return given.startsWith("--") && given.length() >= 5 && PATCH_LONG.stream().anyMatch(o -> o.startsWith(given));
    }

    /** blame and annotate print the file they are given: their path operands and {@code --contents} are reads. */
    private static void blame(String sub, List<Word> args, Path cwd, FileOperands.Sink sink) {
        Options o = Options.parse(args, Set.of("-L", "-S", "--contents", "-C", "-M", "--ignore-rev", "--ignore-revs-file", "--date"));
        o.values("--contents", "-S", "--ignore-revs-file").forEach(w -> sink.access(at(w.value(), w, cwd), Access.READ, "git " + sub));
        boolean dashes = args.stream().anyMatch(w -> "--".equals(w.value()));
        for (Word w : o.operands()) {
            if (w.value() == null) sink.problem("git: cannot tell which file " + w.raw() + " is");
            else sink.access(at(w.value(), w, cwd), dashes ? Access.TRACKED : Access.READ_IF_EXISTS, "git " + sub);
        }
    }

    /**
     * The path of a {@code REV:path} object name ({@code HEAD:.env}, {@code :0:.env}, {@code :.env}), empty for a
     * tree ({@code HEAD:}), or null when the word names no path. A colon inside {@code @{…}} (a reflog date) does not
     * count.
     */
    static String objectPath(String v) {
        if (v.matches(":[0-3]:.*")) return v.substring(3);
        int depth = 0;
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '{') depth++;
            else if (c == '}') depth = Math.max(0, depth - 1);
            else if (c == ':' && depth == 0) {
                String path = v.substring(i + 1);
                return path.startsWith("/") ? path.substring(1) : path;
            }
        }
        return null;
    }

    /** The repository's top folder holding {@code folder} (the nearest with a {@code .git}), or null when none does. */
    static Path top(Path folder) {
        for (Path p = folder; p != null; p = p.getParent()) {
            if (Files.exists(p.resolve(".git"), LinkOption.NOFOLLOW_LINKS)) return p;
        }
        return null;
    }

    private static boolean exists(String v, Path cwd) {
        Path p = Path.of(v);
        if (!p.isAbsolute()) {
            if (cwd == null) return true; // cannot tell: taken as a path, which is then reported as not resolvable
            p = cwd.resolve(p);
        }
        return Files.exists(p, LinkOption.NOFOLLOW_LINKS);
    }

    /** A path word resolved in {@code base} (git's folder), kept as written when that is not known. */
    private static Word at(String path, Word original, Path base) {
        if (path == null) return new Word(null, original.raw(), false);
        if (base == null || Path.of(path).isAbsolute()) return new Word(path, original.raw(), original.glob());
        return new Word(base.resolve(path).toString(), original.raw(), original.glob());
    }
}
