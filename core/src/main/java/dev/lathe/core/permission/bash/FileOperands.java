package dev.lathe.core.permission.bash;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which arguments of well-known commands are files they read or write. Commands not in the table have their
 * path-looking arguments checked only for leaving the project ({@link Access#PATH}). Deliberately over-approximate:
 * {@code mv} writes its sources too (they disappear), {@code cp} reads all but the destination.
 */
final class FileOperands {
    private FileOperands() {}

    interface Sink {
        void access(Word operand, Access access, String via);

        /** The command xargs / find -exec runs. */
        void run(List<Word> words);

        void problem(String why);

        /** A static but risky form: at least ask, with this reason. */
        void concern(String why);

        /** The folder the command runs in (relative operands are resolved there); null when not known. */
        java.nio.file.Path cwd();
    }

    private static final Set<String> READ_ALL = Set.of("cat", "less", "more", "wc", "file", "stat", "strings", "od", "nl",
            "tac", "md5sum", "sha1sum", "sha224sum", "sha256sum", "sha384sum", "sha512sum", "b2sum", "cksum", "diff",
            "cmp", "head", "tail", "base64", "cut", "sort", "xxd", "uniq", "paste", "comm", "join", "fold", "fmt", "hexdump", "zcat",
            "bat", "readlink", "realpath", "column", "expand", "unexpand", "rev", "shuf", "split", "csplit");
    /** Options that take a value, per command (a wrong guess here would hide a file operand, so it is per command). */
    private static final Map<String, Set<String>> VALUED = Map.ofEntries(
            Map.entry("head", Set.of("-n", "-c", "--lines", "--bytes")),
            Map.entry("tail", Set.of("-n", "-c", "--lines", "--bytes", "-s", "--pid", "--sleep-interval")),
            Map.entry("cut", Set.of("-d", "-f", "-c", "-b", "--delimiter", "--fields", "--characters", "--bytes")),
            Map.entry("sort", Set.of("-k", "-t", "-S", "-T", "-o", "--key", "--field-separator", "--output", "--buffer-size")),
            Map.entry("base64", Set.of("-w", "--wrap")),
            Map.entry("diff", Set.of("-U", "-C", "-L", "--label", "-x", "-X", "--exclude")),
            Map.entry("xxd", Set.of("-s", "-l", "-c", "-g", "-o")),
            Map.entry("od", Set.of("-A", "-j", "-N", "-t", "-w")),
            Map.entry("uniq", Set.of("-f", "-s", "-w")),
            Map.entry("split", Set.of("-l", "-b", "-n", "-a")),
            Map.entry("nl", Set.of("-b", "-s", "-w", "-v", "-i")),
            Map.entry("mkdir", Set.of("-m", "--mode")),
            Map.entry("touch", Set.of("-d", "-t", "-r", "--date", "--reference")),
            Map.entry("truncate", Set.of("-s", "-r", "--size", "--reference")),
            Map.entry("mv", Set.of("-t", "-S", "--target-directory", "--suffix")),
            Map.entry("shred", Set.of("-n", "-s", "--iterations", "--size")));
    static final Set<String> WRITE_ALL = Set.of("rm", "rmdir", "touch", "mkdir", "unlink", "shred", "truncate", "tee", "mv");
    private static final Set<String> GREP = Set.of("grep", "egrep", "fgrep", "rg", "ag", "ack", "zgrep");
    private static final Set<String> GREP_VALUED = Set.of("-e", "-f", "-m", "-A", "-B", "-C", "-d", "-D", "-g", "-t", "-T",
            "-M", "-j", "-r", "--regexp", "--file", "--max-count", "--context", "--after-context", "--before-context",
            "--glob", "--iglob", "--type", "--type-not", "--replace", "--include", "--exclude", "--exclude-dir", "--label");
    /** Commands that enumerate folders: ls one level (unless -R), the others every level below. */
    private static final Set<String> LISTERS = Set.of("ls", "tree", "du", "dir", "vdir");
    private static final Set<String> LS_VALUED = Set.of("-I", "-w", "-T", "--ignore", "--hide", "--width", "--tabsize",
            "--block-size", "--format", "--sort", "--time", "--time-style", "--color", "--quoting-style", "--indicator-style");
    private static final Map<String, Set<String>> LISTER_VALUED = Map.of("ls", LS_VALUED, "dir", LS_VALUED, "vdir", LS_VALUED,
            "tree", Set.of("-I", "-L", "-P", "-o", "--filelimit", "--sort", "--charset"),
            "du", Set.of("-B", "-d", "-t", "-X", "--block-size", "--max-depth", "--threshold", "--exclude", "--exclude-from", "--time-style"));
    private static final Set<String> CHANGE_MODE = Set.of("chmod", "chown", "chgrp");

    /** Whether the command's operands are files (so operands it gets from xargs / find are unknown files). */
    static boolean takesFiles(String name) {
        return READ_ALL.contains(name) || WRITE_ALL.contains(name) || GREP.contains(name) || CHANGE_MODE.contains(name)
                || Set.of("sed", "awk", "gawk", "mawk", "jq", "yq", "cp", "ln", "install", "rsync", "scp", "dd", "tar",
                        "unzip", "zip", "source", ".").contains(name);
    }

    static void collect(String name, List<Word> args, Sink sink) {
        String via = name;
        if (READ_ALL.contains(name)) {
            Options o = Options.parse(args, VALUED.getOrDefault(name, Set.of()));
            List<Word> files = o.operands();
            if ((name.equals("xxd") || name.equals("uniq")) && files.size() >= 2) {
                sink.access(files.get(1), Access.WRITE, via);
                files = files.subList(0, 1);
            }
            if (name.equals("sort")) o.values("-o", "--output").forEach(w -> sink.access(w, Access.WRITE, via));
            if (name.equals("split") || name.equals("csplit")) files = files.isEmpty() ? files : files.subList(0, 1);
            files.forEach(w -> sink.access(w, Access.READ, via));
        } else if (WRITE_ALL.contains(name)) {
            Options o = Options.parse(args, VALUED.getOrDefault(name, Set.of()));
            List<Word> ops = o.operands();
            boolean hasTarget = !o.values("-t", "--target-directory").isEmpty();
            for (int i = 0; i < ops.size(); i++) {
                // mv's sources vanish with everything under them; its destination only receives
                boolean source = name.equals("mv") && (hasTarget || i < ops.size() - 1);
                sink.access(ops.get(i), Access.WRITE, source ? "mv source" : via);
            }
            o.values("-t", "--target-directory").forEach(w -> sink.access(w, Access.WRITE, via));
            if (name.equals("truncate") || name.equals("touch")) o.values("-r", "--reference").forEach(w -> sink.access(w, Access.READ, via));
        } else if (GREP.contains(name)) {
            // rg's -r is --replace (valued); grep's -r is --recursive
            Set<String> valued = name.endsWith("grep") ? GREP_VALUED.stream().filter(x -> !x.equals("-r")).collect(java.util.stream.Collectors.toSet()) : GREP_VALUED;
            Options o = Options.parse(args, valued);
            List<Word> ops = o.operands();
            boolean patternGiven = o.has("-e", "--regexp", "-f", "--file");
            o.values("-f", "--file").forEach(w -> sink.access(w, Access.READ, via));
            // rg, ag and ack search the current folder when given none; grep only with -r
            boolean recursive = !name.endsWith("grep") || o.has("-r", "-R", "--recursive", "--dereference-recursive")
                    || o.values("-d", "--directories").stream().anyMatch(w -> "recurse".equals(w.value()));
            List<Word> files = ops.stream().skip(patternGiven ? 0 : 1).toList();
            if (files.isEmpty() && recursive) files = List.of(Word.literal("."));
            files.forEach(w -> sink.access(w, recursive ? Access.SEARCH : Access.READ, via));
        } else if (LISTERS.contains(name)) {
            Options o = Options.parse(args, LISTER_VALUED.get(name));
            boolean recursive = !name.equals("ls") || o.has("-R", "--recursive");
            List<Word> ops = o.operands().isEmpty() ? List.of(Word.literal(".")) : o.operands();
            ops.forEach(w -> sink.access(w, recursive ? Access.TREE : Access.LIST, name));
        } else if (CHANGE_MODE.contains(name)) {
            Options o = Options.parse(args, Set.of());
            // "chmod -w file": the mode looks like an option, so no operand is the mode
            boolean modeAsOption = name.equals("chmod") && o.opts().stream().anyMatch(x -> x.name().matches("-[rwxXst]"));
            boolean reference = o.opts().stream().anyMatch(x -> x.name().equals("--reference"));
            o.operands().stream().skip(modeAsOption || reference ? 0 : 1).forEach(w -> sink.access(w, Access.WRITE, via));
        } else {
            Special.collect(name, args, sink);
        }
    }

    /** Generic fallback: any argument (or option value) that looks like a path is checked for leaving the project. */
    static void pathLike(List<Word> args, Sink sink, String via) {
        for (Word w : args) {
            String v = w.value();
            if (v == null) continue;
            if (v.startsWith("-")) {
                int eq = v.indexOf('=');
                if (eq < 0) continue;
                v = v.substring(eq + 1);
            }
            if (v.contains("://") || !(v.contains("/") || v.equals("..") || v.equals("~"))) continue;
            sink.access(new Word(v, w.raw(), w.glob()), Access.PATH, via);
        }
    }
}
