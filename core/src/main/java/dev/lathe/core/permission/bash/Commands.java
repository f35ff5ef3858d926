package dev.lathe.core.permission.bash;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** The meaning of one simple command: wrappers unwrapped, shells re-parsed, cd tracked, file operands resolved. */
final class Commands {
    static final Set<String> SHELLS = Set.of("bash", "sh", "zsh", "dash", "ksh");
    static final Set<String> INTERPRETERS = Set.of("python", "python3", "node", "perl", "ruby", "php", "deno", "bun");
    private static final Set<String> SYSTEM_BIN = Set.of("/bin", "/usr/bin", "/usr/local/bin", "/sbin", "/usr/sbin",
            "/usr/local/sbin", "/opt/homebrew/bin");
    /**
     * The null device and the process's own standard streams; every other device, {@code /proc} and {@code /sys} path
     * is an ordinary path outside the project ({@code external_directory}).
     */
    private static final Set<String> IGNORED_PATHS = Set.of("/dev/null", "/dev/stdout", "/dev/stderr", "/dev/stdin",
            "/dev/fd/0", "/dev/fd/1", "/dev/fd/2", "/proc/self/fd/0", "/proc/self/fd/1", "/proc/self/fd/2");
    private static final int GLOB_CAP = 200;
    /** What a {@code <(…)} word stands for (see {@link Walker}): a pipe, not a file. */
    static final String PROCESS_SUBSTITUTION = "/dev/fd/63";

    private final Walker walker;
    /**
     * Why a wrapper around the commands being recorded now keeps them from being read-only ({@code env},
     * {@code xargs}, {@code find -exec}: {@link ReadOnlyCommands#wrapperWhyNot}); null when none does.
     */
    private String enclosing;

    Commands(Walker walker) { this.walker = walker; }

    private Walker.Collector out() { return walker.out; }

    /**
     * @param extra the command also gets operands nobody can see (from xargs or find -exec), so a command that takes
     *              files gets files that cannot be checked
     */
    void run(List<Word> words, Scope s, boolean extra, Walker.Pass pass) {
        int start = 0;
        while (start < words.size() && isAssignment(words.get(start))) {
            String name = words.get(start).shown().substring(0, words.get(start).shown().indexOf('='));
            if (Set.of("PATH", "LD_PRELOAD", "LD_LIBRARY_PATH", "BASH_ENV", "ENV", "IFS").contains(name)) out().problem("sets " + name + ", which changes what runs");
            if (!EnvironmentPrefixes.harmless(name)) out().concern(EnvironmentPrefixes.reason(name));
            start++;
        }
        if (start == words.size()) return;
        words = words.subList(start, words.size());
        Word nameWord = words.getFirst();
        List<Word> args = words.subList(1, words.size());
        if (!nameWord.known() || nameWord.value().isEmpty()) {
            out().problem("the command name is computed: " + nameWord.raw());
            record(words, nameWord.raw(), s, SimpleCommand.Role.COMMAND);
            return;
        }
        String original = nameWord.value();
        String name = normalise(original);
        if (name.contains("/")) access(nameWord, Access.PATH, "runs", s); // a program run from a path
        List<Word> normalised = new ArrayList<>(words);
        normalised.set(0, new Word(name, nameWord.raw(), false));

        if (Wrappers.TRANSPARENT.contains(name) || Wrappers.ELEVATING.contains(name)) {
            int inner = Wrappers.innerStart(name, args);
            SimpleCommand.Role role = Wrappers.ELEVATING.contains(name) ? SimpleCommand.Role.ELEVATING : SimpleCommand.Role.WRAPPER;
            while (inner >= 0 && inner < args.size() && isAssignment(args.get(inner)) && !name.equals("xargs")) {
                String assigned = args.get(inner).shown();
                String variable = assigned.substring(0, assigned.indexOf('='));
                if (!EnvironmentPrefixes.harmless(variable)) out().concern(EnvironmentPrefixes.reason(variable));
                inner++;
            }
            Hazards.check(name, args).forEach(out()::concern);
            if (inner < 0 || inner >= args.size()) { // runs nothing else: an ordinary command (a bare env prints the environment)
                record(normalised, original, s, role == SimpleCommand.Role.ELEVATING ? role : SimpleCommand.Role.COMMAND);
                if (name.equals("exec") && !args.isEmpty()) FileOperands.pathLike(args, sink(s, pass), name);
                return;
            }
            record(normalised, original, s, role);
            Scope innerScope = s;
            if (name.equals("env")) {
                for (int i = 0; i < inner; i++) {
                    String v = args.get(i).value();
                    if (v != null && (v.equals("-S") || v.startsWith("--split-string") || (v.startsWith("-") && !v.startsWith("--") && v.contains("S")))) {
                        out().problem("env -S splits a string into a command");
                    }
                    if (("-C".equals(v) || "--chdir".equals(v)) && i + 1 < inner) innerScope = cd(args.get(i + 1), s.copy(), "env -C");
                }
                for (Word w : args.subList(0, inner)) if (w.value() != null && w.value().startsWith("--split-string")) out().problem("env -S splits a string into a command");
            }
            if (name.equals("sudo") || name.equals("doas")) {
                for (Word w : args.subList(0, inner)) if (w.value() != null && (w.value().equals("-e") || w.value().equals("--edit"))) out().problem("sudo -e edits files as root");
            }
            String saved = enclosing;
            if (enclosing == null) enclosing = ReadOnlyCommands.wrapperWhyNot(name, args.subList(0, inner)).orElse(null);
            try {
                run(args.subList(inner, args.size()), innerScope, extra || name.equals("xargs"), pass);
            } finally {
                enclosing = saved;
            }
            return;
        }
        switch (name) {
            case "chroot" -> {
                record(normalised, original, s, SimpleCommand.Role.ELEVATING);
                out().problem("chroot runs a command in another file tree");
            }
            case "eval" -> {
                record(normalised, original, s, SimpleCommand.Role.COMMAND);
                out().problem("eval runs text computed at run time");
            }
            case "cd", "pushd" -> {
                record(normalised, original, s, SimpleCommand.Role.COMMAND);
                List<Word> ops = args.stream().filter(w -> w.value() == null || !w.value().startsWith("-") || w.value().equals("-")).toList();
                if (ops.isEmpty()) s.cwd = out().home;
                else {
                    Scope moved = cd(ops.getFirst(), s, name);
                    s.cwd = moved.cwd;
                }
            }
            case "watch" -> watch(original, normalised, args, s, pass);
            case "su" -> su(original, normalised, args, s, pass);
            case "popd" -> {
                record(normalised, original, s, SimpleCommand.Role.COMMAND);
                out().problem("popd: the folder is not tracked");
                s.cwd = null;
            }
            default -> {
                if (SHELLS.contains(name)) shell(name, original, normalised, args, s, pass);
                else plain(name, original, normalised, args, s, extra, pass);
            }
        }
    }

    private void plain(String name, String original, List<Word> normalised, List<Word> args, Scope s, boolean extra, Walker.Pass pass) {
        record(normalised, original, s, SimpleCommand.Role.COMMAND);
        Hazards.check(name, args).forEach(out()::concern);
        if (extra && FileOperands.takesFiles(name)) out().problem(name + " gets file operands from xargs or find that cannot be checked");
        if (INTERPRETERS.contains(name) && (args.isEmpty() || args.stream().allMatch(w -> "-".equals(w.value())))) {
            out().problem(name + " runs code read from its input");
        }
        FileOperands.collect(name, args, sink(s, pass));
    }

    /**
     * watch runs its command again and again through {@code sh -c} (the words joined by spaces), or directly with
     * {@code -x}: that command is decided like any other, and watch itself always asks ({@link Hazards}).
     */
    private void watch(String original, List<Word> normalised, List<Word> args, Scope s, Walker.Pass pass) {
        record(normalised, original, s, SimpleCommand.Role.WRAPPER);
        Hazards.check("watch", args).forEach(out()::concern);
        int i = 0;
        boolean exec = false;
        while (i < args.size() && args.get(i).value() != null && args.get(i).value().startsWith("-") && !args.get(i).value().equals("--")) {
            String v = args.get(i).value();
            exec |= v.equals("--exec") || (!v.startsWith("--") && v.indexOf('x') > 0);
            boolean valued = Set.of("-n", "--interval", "-q", "--equexit").contains(v) || (!v.startsWith("--") && v.matches("-[^n]*[nq]"));
            i += valued ? 2 : 1;
        }
        if (i < args.size() && "--".equals(args.get(i).value())) i++;
        if (i >= args.size()) return;
        List<Word> inner = args.subList(i, args.size());
        if (exec) {
            run(inner, s.copy(), false, pass);
        } else if (inner.stream().allMatch(Word::known)) {
            walker.script(String.join(" ", inner.stream().map(Word::value).toList()), s.copy(), pass.depth + 1);
        } else {
            out().problem("watch runs a computed command");
        }
    }

    /** su: the command of {@code -c} / {@code --command} is decided like any other; su itself always asks. */
    private void su(String original, List<Word> normalised, List<Word> args, Scope s, Walker.Pass pass) {
        record(normalised, original, s, SimpleCommand.Role.ELEVATING);
        Hazards.check("su", args).forEach(out()::concern);
        Options o = Options.parse(args, Set.of("-c", "--command", "--session-command", "-s", "--shell", "-g", "--group", "-G",
                "--supp-group", "-w", "--whitelist-environment"));
        for (Word script : o.values("-c", "--command", "--session-command")) {
            if (!script.known()) out().problem("su -c runs a computed script: " + script.raw());
            else walker.script(script.value(), s.copy(), pass.depth + 1);
        }
    }

    /** bash/sh/zsh: {@code -c SCRIPT} is parsed like the top level; a shell reading its script from stdin is dynamic. */
    private void shell(String name, String original, List<Word> normalised, List<Word> args, Scope s, Walker.Pass pass) {
        int i = 0;
        boolean dashC = false;
        boolean stdin = false;
        while (i < args.size()) {
            String v = args.get(i).value();
            if (v == null || !(v.startsWith("-") || v.startsWith("+")) || v.equals("-") || v.equals("--")) break;
            if (v.equals("-o") || v.equals("+o") || v.equals("-O") || v.equals("+O") || v.equals("--rcfile") || v.equals("--init-file")) i++;
            else if (!v.startsWith("--")) {
                dashC |= v.indexOf('c') > 0;
                stdin |= v.indexOf('s') > 0;
            }
            i++;
        }
        if (i < args.size() && "--".equals(args.get(i).value())) i++;
        if (dashC) {
            record(normalised, original, s, SimpleCommand.Role.WRAPPER);
            if (i >= args.size()) {
                out().problem(name + " -c without a script");
                return;
            }
            Word script = args.get(i);
            if (!script.known()) out().problem(name + " -c runs a computed script: " + script.raw());
            else walker.script(script.value(), s.copy(), pass.depth + 1);
            return;
        }
        record(normalised, original, s, SimpleCommand.Role.COMMAND);
        if (stdin || i >= args.size() || "-".equals(args.get(i).value()) || "/dev/stdin".equals(args.get(i).value())) {
            out().problem(name + " runs commands read from its input");
            return;
        }
        access(args.get(i), Access.READ, name, s);
    }

    private Scope cd(Word target, Scope s, String via) {
        if (!target.known() || target.value().equals("-")) {
            out().problem(via + ": the folder " + target.raw() + " is not known statically");
            s.cwd = null;
            return s;
        }
        List<Path> paths = resolve(target, s);
        if (paths.isEmpty()) {
            s.cwd = null;
            return s;
        }
        out().accesses.add(new FileAccess(paths.getFirst(), Access.PATH, via));
        s.cwd = paths.getFirst();
        return s;
    }

    FileOperands.Sink sink(Scope s, Walker.Pass pass) {
        return new FileOperands.Sink() {
            @Override public void access(Word operand, Access access, String via) { Commands.this.access(operand, access, via, s); }

            @Override public void run(List<Word> words) {
                String saved = enclosing;
                if (enclosing == null) enclosing = "it runs on files found at run time";
                try {
                    Commands.this.run(words, s, true, pass);
                } finally {
                    enclosing = saved;
                }
            }

            @Override public void problem(String why) { out().problem(why); }

            @Override public void concern(String why) { out().concern(why); }

            @Override public Path cwd() { return s.cwd; }
        };
    }

    /** Records that {@code w} is read/written; an operand that cannot be resolved makes the analysis dynamic. */
    void access(Word w, Access access, String via, Scope s) {
        if (w.known() && (w.value().equals("-") || w.value().isEmpty())) return;
        if (!w.known()) {
            out().problem(via + ": cannot tell which file " + w.raw() + " is");
            return;
        }
        if (isPseudo(w.value())) return;
        if (w.value().equals("{}")) {
            out().problem(via + ": operates on files found at run time");
            return;
        }
        List<Path> paths = resolve(w, s);
        if (paths.isEmpty()) {
            out().problem(via + ": " + w.raw() + " is relative to a folder that is not known");
            return;
        }
        for (Path p : paths) {
            if (isPseudo(p.toString())) continue;
            out().accesses.add(new FileAccess(p, access, via));
        }
    }

    /** Terminals, null devices and fd pipes (process substitution): not files anyone has rules for. */
    private static boolean isPseudo(String path) {
        return IGNORED_PATHS.contains(path) || path.equals(PROCESS_SUBSTITUTION);
    }

    /** Absolute, symlink-resolved paths a word names: several when it is a glob. Empty when the folder is unknown. */
    List<Path> resolve(Word w, Scope s) {
        Path p = Path.of(w.value());
        if (!p.isAbsolute()) {
            if (s.cwd == null) return List.of();
            p = s.cwd.resolve(p);
        }
        if (!w.glob()) return List.of(RealPaths.resolve(p));
        // not normalised first: "link/../*" lists the link target's parent, as the shell's glob does
        return RealPaths.expand(p, GLOB_CAP).stream().map(RealPaths::resolve).distinct().toList();
    }

    private void record(List<Word> words, String original, Scope s, SimpleCommand.Role role) {
        String notReadOnly = enclosing != null ? enclosing : ReadOnlyCommands.whyNot(words, s.cwd).orElse(null);
        out().command(new SimpleCommand(words.stream().map(Word::shown).toList(), original, s.cwd, role, notReadOnly));
    }

    /** {@code /usr/bin/rm} → {@code rm}; a program at any other path keeps its path ({@code ./git} is not git). */
    static String normalise(String name) {
        int slash = name.lastIndexOf('/');
        if (slash > 0 && SYSTEM_BIN.contains(name.substring(0, slash))) return name.substring(slash + 1);
        return name;
    }

    private static boolean isAssignment(Word w) {
        String v = w.value() != null ? w.value() : w.raw();
        return v.matches("[A-Za-z_][A-Za-z0-9_]*=(?s).*");
    }
}
