package dev.lathe.core.permission.bash;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** File operands of commands whose argument grammar needs more than "all operands are files". */
final class Special {
    private Special() {}

    static void collect(String name, List<Word> args, FileOperands.Sink sink) {
        switch (name) {
            case "sed" -> sed(args, sink);
            case "awk", "gawk", "mawk" -> script(name, args, Set.of("-f", "-v", "-F", "--file", "--assign", "--field-separator"), Set.of("-f", "--file"), sink);
            case "jq" -> jq(args, sink);
            case "yq" -> yq(args, sink);
            case "source", "." -> { if (!args.isEmpty()) sink.access(args.getFirst(), Access.READ, name); }
            case "cp", "install", "rsync", "scp" -> copy(name, args, sink);
            case "ln" -> ln(args, sink);
            case "dd" -> dd(args, sink);
            case "tar" -> tar(args, sink);
            case "unzip" -> unzip(args, sink);
            case "zip" -> {
                Options o = Options.parse(args, Set.of("-x", "-i", "-b", "-n", "-t", "-tt"));
                for (int i = 0; i < o.operands().size(); i++) sink.access(o.operands().get(i), i == 0 ? Access.WRITE : Access.READ, name);
            }
            case "curl" -> curl(args, sink);
            case "wget" -> wget(args, sink);
            case "git" -> git(args, sink);
            case "find" -> find(args, sink);
            // these take strings, not paths: "echo ~" prints a name, it opens nothing
            case "echo", "printf", "true", "false", "test", "[", "expr", "seq", "sleep", "date", "basename", "dirname", "which",
                 "type", "hash", "exit", "return", "shift", "set", "shopt", "alias", "unalias", "read", "wait", "jobs", "kill" -> { }
            default -> FileOperands.pathLike(args, sink, name);
        }
    }

    private static void sed(List<Word> args, FileOperands.Sink sink) {
        // -i takes an optional attached suffix (-i.bak), so it is spotted before getopt-style parsing
        boolean inPlace = false;
        List<Word> rest = new ArrayList<>();
        for (Word w : args) {
            String v = w.value();
            if (v != null && (v.equals("--in-place") || v.startsWith("--in-place=") || (v.startsWith("-") && !v.startsWith("--") && v.indexOf('i') > 0
                    && !v.startsWith("-e") && !v.startsWith("-f") && !v.startsWith("-l")))) {
                inPlace = true;
                continue;
            }
            rest.add(w);
        }
        Options o = Options.parse(rest, Set.of("-e", "-f", "-l", "--expression", "--file", "--line-length"));
        o.values("-f", "--file").forEach(w -> sink.access(w, Access.READ, "sed"));
        if (o.has("-f", "--file")) sink.concern("sed script file is not checked");
        boolean scriptGiven = o.has("-e", "--expression", "-f", "--file");
        List<Word> scripts = scriptGiven ? o.values("-e", "--expression") : o.operands().stream().limit(1).toList();
        for (Word w : scripts) {
            String why = ProgramText.sed(w.value());
            if (why != null) sink.concern(why);
        }
        Access a = inPlace ? Access.WRITE : Access.READ;
        String via = inPlace ? "sed -i" : "sed";
        o.operands().stream().skip(scriptGiven ? 0 : 1).forEach(w -> sink.access(w, a, via));
    }

    /** awk-like: the program is the first operand unless given by a program-file option; NAME=value operands are assignments. */
    private static void script(String name, List<Word> args, Set<String> valued, Set<String> fileOpts, FileOperands.Sink sink) {
        Options o = Options.parse(args, valued);
        List<Word> progFiles = o.values(fileOpts.toArray(String[]::new));
        progFiles.forEach(w -> sink.access(w, Access.READ, name));
        if (!progFiles.isEmpty()) sink.concern(name + " program file is not checked");
        else if (!o.operands().isEmpty()) {
            String why = ProgramText.awk(o.operands().getFirst().value());
            if (why != null) sink.concern(why);
        }
        o.operands().stream().skip(progFiles.isEmpty() ? 1 : 0)
                .filter(w -> w.value() == null || !w.value().matches("[A-Za-z_][A-Za-z0-9_]*=.*"))
                .forEach(w -> sink.access(w, Access.READ, name));
    }

    private static void jq(List<Word> args, FileOperands.Sink sink) {
        List<Word> rest = new ArrayList<>();
        boolean fromFile = false;
        for (int i = 0; i < args.size(); i++) {
            String v = args.get(i).value();
            if (v != null && Set.of("--arg", "--argjson").contains(v)) { i += 2; continue; }
            if (v != null && Set.of("--slurpfile", "--rawfile").contains(v)) {
                if (i + 2 < args.size()) sink.access(args.get(i + 2), Access.READ, "jq");
                i += 2;
                continue;
            }
            if (v != null && (v.equals("-f") || v.equals("--from-file")) && i + 1 < args.size()) {
                sink.access(args.get(++i), Access.READ, "jq");
                fromFile = true;
                continue;
            }
            if (v != null && (v.equals("--indent") || v.equals("-L"))) { i++; continue; }
            rest.add(args.get(i));
        }
        Options o = Options.parse(rest, Set.of());
        o.operands().stream().skip(fromFile ? 0 : 1).forEach(w -> sink.access(w, Access.READ, "jq"));
    }

    private static void yq(List<Word> args, FileOperands.Sink sink) {
        Options o = Options.parse(args, Set.of("-I", "--indent", "-o", "--output-format", "-p", "--input-format", "--from-file"));
        boolean inPlace = o.has("-i", "--inplace");
        List<Word> ops = new ArrayList<>(o.operands());
        if (!ops.isEmpty() && ops.getFirst().value() != null && Set.of("e", "eval", "ea", "eval-all").contains(ops.getFirst().value())) ops.removeFirst();
        boolean fromFile = o.has("--from-file");
        o.values("--from-file").forEach(w -> sink.access(w, Access.READ, "yq"));
        Access a = inPlace ? Access.WRITE : Access.READ;
        ops.stream().skip(fromFile ? 0 : 1).forEach(w -> sink.access(w, a, "yq"));
    }

    private static void copy(String name, List<Word> args, FileOperands.Sink sink) {
        Set<String> valued = switch (name) {
            case "install" -> Set.of("-m", "-o", "-g", "-S", "-t", "--mode", "--owner", "--group", "--suffix", "--target-directory");
            case "rsync" -> Set.of("-e", "--rsh", "-f", "--filter", "--exclude", "--include", "-T", "--temp-dir", "--exclude-from", "--include-from");
            case "scp" -> Set.of("-P", "-i", "-o", "-F", "-l", "-c", "-J", "-S");
            default -> Set.of("-t", "-S", "--target-directory", "--suffix");
        };
        Options o = Options.parse(args, valued);
        List<Word> ops = new ArrayList<>(o.operands());
        ops.removeIf(Special::remote);
        List<Word> targets = o.values("-t", "--target-directory");
        if (name.equals("scp") || name.equals("rsync")) targets = List.of();
        if (name.equals("install") && o.has("-d", "--directory")) {
            ops.forEach(w -> sink.access(w, Access.WRITE, name));
            return;
        }
        if (!targets.isEmpty()) {
            targets.forEach(w -> sink.access(w, Access.WRITE, name));
            ops.forEach(w -> sink.access(w, Access.READ, name));
            return;
        }
        boolean lastIsRemote = !o.operands().isEmpty() && remote(o.operands().getLast());
        for (int i = 0; i < ops.size(); i++) {
            boolean dest = i == ops.size() - 1 && ops.size() >= 2 && !lastIsRemote;
            sink.access(ops.get(i), dest ? Access.WRITE : Access.READ, name);
        }
    }

    /** host:path (scp, rsync): not a local file. */
    private static boolean remote(Word w) {
        String v = w.value();
        if (v == null) return false;
        int colon = v.indexOf(':');
        int slash = v.indexOf('/');
        return colon > 0 && (slash < 0 || colon < slash);
    }

    private static void ln(List<Word> args, FileOperands.Sink sink) {
        Options o = Options.parse(args, Set.of("-t", "-S", "--target-directory", "--suffix"));
        List<Word> targets = o.values("-t", "--target-directory");
        List<Word> ops = o.operands();
        if (!targets.isEmpty()) {
            targets.forEach(w -> sink.access(w, Access.WRITE, "ln"));
            ops.forEach(w -> sink.access(w, Access.PATH, "ln"));
            return;
        }
        for (int i = 0; i < ops.size(); i++) {
            boolean link = i == ops.size() - 1 && ops.size() >= 2;
            sink.access(ops.get(i), link ? Access.WRITE : Access.PATH, "ln");
        }
        // "ln -s target" creates ./basename(target): a write in the current folder
        if (ops.size() == 1 && ops.getFirst().value() != null) {
            String v = ops.getFirst().value();
            String base = v.endsWith("/") ? v : v.substring(v.lastIndexOf('/') + 1);
            if (!base.isEmpty() && !base.endsWith("/")) sink.access(Word.literal(base), Access.WRITE, "ln");
        }
    }

    private static void dd(List<Word> args, FileOperands.Sink sink) {
        for (Word w : args) {
            String v = w.value();
            if (v == null) {
                if (w.raw().startsWith("if=") || w.raw().startsWith("of=")) sink.problem("dd operand is not static: " + w.raw());
                continue;
            }
            if (v.startsWith("if=")) sink.access(new Word(v.substring(3), w.raw(), w.glob()), Access.READ, "dd");
            if (v.startsWith("of=")) sink.access(new Word(v.substring(3), w.raw(), w.glob()), Access.WRITE, "dd");
        }
    }

    private static void tar(List<Word> args, FileOperands.Sink sink) {
        List<Word> norm = new ArrayList<>(args);
        // old style "tar xzf a.tgz": the first word is a cluster without its dash
        if (!norm.isEmpty() && norm.getFirst().value() != null && !norm.getFirst().value().startsWith("-")
                && norm.getFirst().value().matches("[A-Za-z]+")) {
            norm.set(0, Word.literal("-" + norm.getFirst().value()));
        }
        Options o = Options.parse(norm, Set.of("-f", "-C", "-T", "-X", "-b", "-H", "-V", "--file", "--directory", "--files-from",
                "--exclude-from", "--format", "--transform", "--exclude", "--use-compress-program", "-I"));
        boolean create = o.has("-c", "--create", "-r", "--append", "-u", "--update");
        boolean extract = o.has("-x", "--extract", "--get");
        o.values("-f", "--file").stream().filter(w -> !"-".equals(w.value()))
                .forEach(w -> sink.access(w, create ? Access.WRITE : Access.READ, "tar"));
        o.values("-C", "--directory").forEach(w -> sink.access(w, extract ? Access.WRITE : Access.READ, "tar"));
        o.values("-T", "--files-from", "-X", "--exclude-from").forEach(w -> sink.access(w, Access.READ, "tar"));
        if (create) o.operands().forEach(w -> sink.access(w, Access.READ, "tar"));
        if (extract && o.values("-C", "--directory").isEmpty()) sink.access(Word.literal("."), Access.WRITE, "tar");
    }

    private static void unzip(List<Word> args, FileOperands.Sink sink) {
        Options o = Options.parse(args, Set.of("-d", "-P", "-x"));
        if (!o.operands().isEmpty()) sink.access(o.operands().getFirst(), Access.READ, "unzip");
        boolean listOnly = o.has("-l", "-t", "-v", "-p", "-Z");
        if (listOnly) return;
        List<Word> dirs = o.values("-d");
        if (dirs.isEmpty()) sink.access(Word.literal("."), Access.WRITE, "unzip");
        dirs.forEach(w -> sink.access(w, Access.WRITE, "unzip"));
    }

    private static void curl(List<Word> args, FileOperands.Sink sink) {
        Options o = Options.parse(args, Set.of("-o", "-H", "-X", "-d", "-F", "-u", "-A", "-e", "-b", "-c", "-w", "-m", "-x", "-T", "-K",
                "-r", "-U", "-E", "-y", "-Y", "-z", "-C", "-Q", "-t", "--output", "--output-dir", "--upload-file", "--config",
                "--data", "--data-binary", "--data-raw", "--data-urlencode", "--form", "--header", "--request", "--user",
                "--cookie", "--cookie-jar", "--url", "--max-time", "--connect-timeout", "--proxy", "--cacert", "--cert", "--key"));
        o.values("-o", "--output", "-c", "--cookie-jar").stream().filter(w -> !"-".equals(w.value()))
                .forEach(w -> sink.access(w, Access.WRITE, "curl"));
        o.values("--output-dir").forEach(w -> sink.access(w, Access.WRITE, "curl"));
        if (o.has("-O", "--remote-name", "--remote-name-all", "-J") && o.values("--output-dir").isEmpty()) sink.access(Word.literal("."), Access.WRITE, "curl");
        o.values("-T", "--upload-file", "-K", "--config").forEach(w -> sink.access(w, Access.READ, "curl"));
        for (Word w : o.values("-d", "--data", "--data-binary", "--data-urlencode", "-F", "--form")) {
            String v = w.value();
            if (v == null) continue;
            int at = v.indexOf('@');
            if (at >= 0 && (at == 0 || v.charAt(at - 1) == '=')) sink.access(new Word(v.substring(at + 1).replaceAll(";.*$", ""), w.raw(), false), Access.READ, "curl");
        }
    }

    private static void wget(List<Word> args, FileOperands.Sink sink) {
        Options o = Options.parse(args, Set.of("-O", "-P", "-o", "-a", "-i", "-U", "-t", "-T", "-w", "-e", "--output-document",
                "--directory-prefix", "--output-file", "--append-output", "--input-file", "--header", "--user-agent"));
        List<Word> docs = o.values("-O", "--output-document");
        docs.stream().filter(w -> !"-".equals(w.value())).forEach(w -> sink.access(w, Access.WRITE, "wget"));
        o.values("-P", "--directory-prefix", "-o", "--output-file", "-a", "--append-output").forEach(w -> sink.access(w, Access.WRITE, "wget"));
        o.values("-i", "--input-file").forEach(w -> sink.access(w, Access.READ, "wget"));
        if (docs.isEmpty() && o.values("-P", "--directory-prefix").isEmpty() && !o.has("--spider")) sink.access(Word.literal("."), Access.WRITE, "wget");
    }

    /**
     * git: the folders it is pointed at ({@code -C}, {@code --git-dir}, {@code --work-tree}) as writes, since git may
     * change them; what its content commands print ({@link GitContent}), resolved in the folder {@code -C} names.
     */
    private static void git(List<Word> args, FileOperands.Sink sink) {
        List<String> texts = args.stream().map(w -> w.value() != null ? w.value() : w.raw()).toList();
        int sub = GitGlobals.subcommand(texts);
        int end = sub < 0 ? args.size() : sub;
        Path cwd = sink.cwd();
        boolean other = false;
        for (int i = 0; i < end; i++) {
            String t = texts.get(i);
            if (GitGlobals.VALUED.contains(t) && i + 1 < args.size()) {
                Word value = args.get(++i);
                if (t.equals("-C")) {
                    sink.access(in(value, cwd), Access.WRITE, "git -C");
                    cwd = cwd == null || value.value() == null ? null : cwd.resolve(value.value()).normalize();
                } else if (t.equals("--git-dir") || t.equals("--work-tree")) {
                    sink.access(in(value, cwd), Access.WRITE, "git " + t);
                    other = true;
                }
            } else if (t.startsWith("--git-dir=") || t.startsWith("--work-tree=")) {
                Word w = args.get(i);
                String name = t.substring(0, t.indexOf('='));
                Word value = w.value() == null ? new Word(null, w.raw(), false) : Word.literal(t.substring(t.indexOf('=') + 1));
                sink.access(in(value, cwd), Access.WRITE, "git " + name);
                other = true;
            }
        }
        FileOperands.pathLike(args.subList(0, end), sink, "git");
        if (sub < 0) return;
        List<Word> rest = args.subList(sub + 1, args.size());
        Path folder = cwd == null ? null : RealPaths.resolve(cwd);
        if (args.get(sub).value() != null) {
            GitContent.collect(args.get(sub).value(), rest, folder, other, sink);
            GitWrites.collect(args.get(sub).value(), rest, folder, sink);
        }
        Path shell = sink.cwd();
        FileOperands.pathLike(folder == null || folder.equals(shell) ? rest : rest.stream().map(w -> in(w, folder)).toList(), sink, "git");
    }

    /** A path word made absolute in {@code folder} (git's, after {@code -C}); as written when that is not known. */
    private static Word in(Word w, Path folder) {
        if (w.value() == null || folder == null || w.value().startsWith("-") || Path.of(w.value()).isAbsolute()) return w;
        return new Word(folder.resolve(w.value()).toString(), w.raw(), w.glob());
    }

    /**
     * find: the roots are the operands before the expression. {@code -delete} deletes under them (a write of each
     * root); {@code -exec}/{@code -execdir}/{@code -ok}/{@code -okdir} run a command on found files.
     */
    private static void find(List<Word> args, FileOperands.Sink sink) {
        int i = 0;
        List<Word> roots = new ArrayList<>();
        while (i < args.size() && args.get(i).value() != null && args.get(i).value().startsWith("-")
                && Set.of("-H", "-L", "-P", "-O0", "-O1", "-O2", "-O3").contains(args.get(i).value())) i++;
        while (i < args.size()) {
            String v = args.get(i).value();
            if (v != null && (v.startsWith("-") || v.equals("(") || v.equals("!") || v.equals(")"))) break;
            roots.add(args.get(i++));
        }
        if (roots.isEmpty()) roots.add(Word.literal("."));
        boolean delete = false;
        for (; i < args.size(); i++) {
            String v = args.get(i).value();
            if (v == null) continue;
            switch (v) {
                case "-delete" -> delete = true;
                case "-exec", "-execdir", "-ok", "-okdir" -> {
                    List<Word> inner = new ArrayList<>();
                    int j = i + 1;
                    while (j < args.size() && !";".equals(args.get(j).value()) && !"+".equals(args.get(j).value())) inner.add(args.get(j++));
                    sink.run(inner);
                    i = j;
                }
                case "-fprint", "-fprint0", "-fls", "-fprintf" -> { if (i + 1 < args.size()) sink.access(args.get(++i), Access.WRITE, "find " + v); }
                default -> { }
            }
        }
        Access a = delete ? Access.WRITE : Access.TREE;
        for (Word r : roots) sink.access(r, a, delete ? "find -delete" : "find");
    }
}
