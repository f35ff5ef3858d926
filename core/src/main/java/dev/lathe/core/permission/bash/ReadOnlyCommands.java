package dev.lathe.core.permission.bash;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The one judge of "read-only" (DESIGN §26): whether a simple command only looks, decided from its words option by
 * option, for the programs the read-only lists hold (the {@code plan}, {@code explore} and {@code review} agents,
 * Claude Code's {@code permissionMode: plan}). A rule built from {@link #patterns} allows a command only when this
 * says it is read-only; for the rest the agent's other rules decide ({@code bash: *} deny for the built-ins).
 *
 * <p>Each program is known by the options that only change what it prints; an option outside that list is not
 * read-only, so an option that runs a program or writes a file ({@code sort --compress-program}, {@code sort -o},
 * {@code find -exec}, {@code git diff --output}) is never read-only however it is spelled: a long option counts only
 * when written out in full (GNU getopt and git accept any unambiguous abbreviation, {@code --compress-prog} is
 * {@code --compress-program}), a short cluster is read letter by letter as getopt reads it ({@code -So} hides
 * {@code -o} when {@code -S} takes no value), a value joined with {@code =} counts as the option. Programs whose
 * options are too many to list (git's content commands, grep, rg, ls) are known instead by the options that run or
 * write, and there any option that abbreviates one of those counts as it. Anything not understood is not read-only: a
 * program not listed, a word not known statically (a variable or a substitution, which may also split into several
 * words), a glob that could expand to a file named like an option, a git global option or sub-command not listed.
 */
public final class ReadOnlyCommands {
    private ReadOnlyCommands() {}

    /**
     * A program's options. {@code flags}/{@code valued}: short option letters without/with a value; {@code longFlags}/
     * {@code longValued}: long options, written in full. {@code open}: any other option is read-only too, except the
     * {@code dangers} (and what abbreviates them), each with why it is not.
     */
    private record Program(String flags, String valued, Set<String> longFlags, Set<String> longValued, boolean open, Map<String, String> dangers) {}

    private static Program closed(String flags, String valued, String longFlags, String longValued) {
        return new Program(flags, valued, words(longFlags), words(longValued), false, Map.of());
    }

    private static Program open(String valued, String longValued, Map<String, String> dangers) {
        return open(valued, Set.of(), longValued, dangers);
    }

    /** {@code exact}: options that abbreviate a danger but are options of their own ({@code git diff --text}). */
    private static Program open(String valued, Set<String> exact, String longValued, Map<String, String> dangers) {
        return new Program("", valued, exact, words(longValued), true, dangers);
    }

    private static Set<String> words(String s) {
        return s.isBlank() ? Set.of() : Set.of(s.strip().split("\\s+"));
    }

    private static final String RUNS = "runs a program";
    private static final String WRITES = "writes a file";

    /** The programs of the read-only lists, by name. */
    private static final Map<String, Program> PROGRAMS = Map.ofEntries(
            Map.entry("ls", open("ITw", "--ignore --hide --width --tabsize --block-size --format --sort --time --time-style"
                    + " --quoting-style --indicator-style", Map.of())),
            Map.entry("cat", closed("AbeEnstTuv", "", "--show-all --number-nonblank --number --squeeze-blank --show-tabs --show-ends"
                    + " --show-nonprinting", "")),
            Map.entry("head", closed("qvz0123456789", "nc", "--quiet --silent --verbose --zero-terminated", "--lines --bytes")),
            // not -f/-F: following a file never ends
            Map.entry("tail", closed("qvz0123456789", "ncs", "--quiet --silent --verbose --zero-terminated", "--lines --bytes --sleep-interval")),
            // not --files0-from: names read from a file are read without being checked
            Map.entry("wc", closed("clmwL", "", "--bytes --chars --lines --words --max-line-length --zero-terminated", "--total")),
            Map.entry("stat", closed("LftZ", "c", "--dereference --file-system --terse", "--format --printf --cached")),
            Map.entry("du", closed("0abcDhHklLmPsSx", "dBt", "--all --apparent-size --bytes --total --dereference-args --human-readable"
                    + " --inodes --dereference --count-links --no-dereference --separate-dirs --si --summarize --one-file-system --null --time",
                    "--max-depth --block-size --threshold --time-style --exclude")),
            Map.entry("pwd", closed("LP", "", "", "")),
            Map.entry("cd", closed("LPe@", "", "", "")),
            Map.entry("which", closed("as", "", "--all", "")),
            // not -l/--paginate (runs pr), -X/--exclude-from and --from-file/--to-file (files read unchecked)
            Map.entry("diff", closed("abBdEiNpqrstTuwyZ0123456789", "CDFILSUWx", "--brief --report-identical-files --side-by-side"
                    + " --ignore-case --ignore-tab-expansion --ignore-trailing-space --ignore-space-change --ignore-all-space"
                    + " --ignore-blank-lines --text --strip-trailing-cr --unidirectional-new-file --new-file --recursive --no-dereference"
                    + " --minimal --speed-large-files --suppress-common-lines --suppress-blank-empty --left-column --expand-tabs"
                    + " --initial-tab --show-c-function --normal --ed --rcs --unified --context --no-ignore-file-name-case"
                    + " --ignore-file-name-case --color", "--label --palette --width --tabsize --ifdef --show-function-line --exclude"
                    + " --ignore-matching-lines --horizon-lines --line-format --old-line-format --new-line-format --unchanged-line-format"
                    + " --old-group-format --new-group-format --changed-group-format --unchanged-group-format --starting-file")),
            Map.entry("cut", closed("nsz", "bcdf", "--complement --only-delimited --zero-terminated",
                    "--bytes --characters --fields --delimiter --output-delimiter")),
            // not -o/--output (writes), --compress-program (runs a program), --files0-from and --random-source (read a file)
            Map.entry("sort", closed("bcCdfghimMnrRsuVz", "kStT", "--ignore-leading-blanks --dictionary-order --ignore-case"
                    + " --general-numeric-sort --ignore-nonprinting --month-sort --human-numeric-sort --numeric-sort --random-sort"
                    + " --reverse --version-sort --check --merge --stable --unique --zero-terminated --debug",
                    "--key --buffer-size --field-separator --temporary-directory --sort --batch-size --parallel")),
            Map.entry("basename", closed("az", "s", "--multiple --zero", "--suffix")),
            Map.entry("dirname", closed("z", "", "--zero", "")),
            Map.entry("realpath", closed("eEmLPqsz", "", "--canonicalize-existing --canonicalize-missing --logical --physical --quiet"
                    + " --strip --no-symlinks --zero", "--relative-to --relative-base")),
            Map.entry("grep", open("efmABCdD", "--regexp --file --max-count --context --after-context --before-context --include"
                    + " --exclude --exclude-dir --exclude-from --label --devices --directories --binary-files", Map.of())),
            Map.entry("rg", open("efmABCgtTMjr", "--regexp --file --max-count --context --after-context --before-context --glob --iglob"
                    + " --type --type-not --replace --max-columns --threads --max-depth --type-add --ignore-file --sort --sortr --color"
                    + " --colors --encoding --engine --field-match-separator --field-context-separator --path-separator",
                    Map.of("--pre", RUNS + " on every file searched", "--pre-glob", RUNS + " on every file searched",
                            "--search-zip", RUNS + " (a decompressor) on every file searched", "-z", RUNS + " (a decompressor) on every file searched",
                            "--hostname-bin", RUNS))));

    /** What git's content commands may not be given: the options that write a file or run a program. */
    private static final Map<String, String> GIT_DANGERS = Map.of("--output", WRITES, "--ext-diff", RUNS + " (an external diff)",
            "--textconv", RUNS + " (a text conversion filter)", "--open-files-in-pager", RUNS + " (a pager)", "-O", RUNS + " (a pager)",
            "--exec", RUNS, "--upload-pack", RUNS, "--output-directory", WRITES);

    /** git's read-only sub-commands. */
    private static final Map<String, Program> GIT = new TreeMap<>(Map.of(
            "status", open("", "", GIT_DANGERS),
            "diff", open("", Set.of("--text"), "--diff-filter --word-diff-regex --src-prefix --dst-prefix", GIT_DANGERS),
            "log", open("n", Set.of("--text"), "--max-count --skip --since --until --author --committer --grep --format --diff-filter", GIT_DANGERS),
            "show", open("", Set.of("--text"), "--format --diff-filter", GIT_DANGERS),
            "blame", open("L", "--contents --date", GIT_DANGERS),
            "ls-files", open("x", "--exclude --exclude-from --exclude-per-directory --with-tree --format", GIT_DANGERS),
            "rev-parse", open("", "--since --until --after --before --git-path --prefix --default", GIT_DANGERS)));

    /** git's global options that change nothing but output; every other one (-c, -C, --git-dir, -p, …) is not read-only. */
    private static final Set<String> GIT_GLOBALS = Set.of("--no-pager", "-P", "--no-optional-locks", "--literal-pathspecs", "--glob-pathspecs",
            "--noglob-pathspecs", "--icase-pathspecs", "--no-replace-objects");

    /**
     * The wrappers a read-only command may run under, by their own options (what they run is judged on its own): a
     * wrapper not here ({@code env}, {@code xargs}, {@code exec}, {@code stdbuf}, …) or an option of one not listed
     * ({@code time -o}, {@code env -a}, whose argument a wrapper's reader might take for the program) makes what it runs
     * not read-only.
     */
    private static final Map<String, Program> WRAPPERS = Map.of(
            "timeout", closed("v", "sk", "--foreground --preserve-status --verbose", "--signal --kill-after"),
            "nice", closed("0123456789", "n", "", "--adjustment"));

    /** Why the wrapper {@code name} with its own options {@code own} keeps what it runs from being read-only; empty when it does not. */
    static Optional<String> wrapperWhyNot(String name, List<Word> own) {
        Program p = WRAPPERS.get(name);
        if (p == null) return Optional.of(name + " runs it, and " + name + " is not a read-only wrapper");
        for (Word w : own) if (!w.known()) return Optional.of("`" + w.raw() + "` is not known before it runs");
        return options(name, p, own, null).map(why -> "it runs under " + why);
    }

    /** The patterns of the read-only lists, one per program ({@code git}: per sub-command), in name order. */
    public static List<String> patterns() {
        List<String> out = new ArrayList<>();
        new TreeMap<>(PROGRAMS).keySet().forEach(p -> out.add(p + " *"));
        out.add("find *");
        GIT.keySet().forEach(s -> out.add("git " + s + " *"));
        return List.copyOf(out);
    }

    /**
     * Why a simple command is not read-only; empty when it is. {@code words} are the command's words after quote
     * removal, the program first (normalised: {@code /usr/bin/sort} is {@code sort}); {@code cwd} is where it runs (a
     * glob is expanded there), null when not known.
     */
    static Optional<String> whyNot(List<Word> words, Path cwd) {
        if (words.isEmpty()) return Optional.of("no command");
        for (Word w : words) if (!w.known()) return Optional.of("`" + w.raw() + "` is not known before it runs");
        String program = words.getFirst().value();
        List<Word> args = words.subList(1, words.size());
        if (program.equals("find")) return FindExpression.whyNot(args, cwd);
        if (program.equals("git")) return git(args, cwd);
        Program p = PROGRAMS.get(program);
        if (p == null) return Optional.of(program + " is not a read-only program");
        return options(program, p, args, cwd);
    }

    private static Optional<String> git(List<Word> args, Path cwd) {
        int i = 0;
        while (i < args.size() && args.get(i).value().startsWith("-")) {
            String v = args.get(i).value();
            if (!GIT_GLOBALS.contains(v)) return Optional.of("git option " + v + " is not read-only (it may set configuration, a folder or a pager)");
            i++;
        }
        if (i == args.size()) return Optional.of("git without a sub-command");
        String sub = args.get(i).value();
        Program p = GIT.get(sub);
        if (p == null) return Optional.of("git " + sub + " is not a read-only git command");
        return options("git " + sub, p, args.subList(i + 1, args.size()), cwd);
    }

    /** getopt's reading of {@code args}: every option must be known to be read-only, every operand a plain word. */
    private static Optional<String> options(String program, Program p, List<Word> args, Path cwd) {
        for (Word w : args) {
            if (w.value().equals("--")) break; // operands only from here: no glob can become an option
            if (w.glob() && w.value().startsWith("-")) return Optional.of(program + ": the option " + w.value() + " holds a glob");
            Optional<String> glob = globCouldBeOption(w, cwd);
            if (glob.isPresent()) return glob;
        }
        for (int i = 0; i < args.size(); i++) {
            String v = args.get(i).value();
            if (v.equals("--")) return Optional.empty();
            if (!v.startsWith("-") || v.equals("-")) continue;
            if (v.startsWith("--")) {
                int eq = v.indexOf('=');
                String name = eq < 0 ? v : v.substring(0, eq);
                Optional<String> danger = danger(program, p, name);
                if (danger.isPresent()) return danger;
                if (p.longValued().contains(name)) {
                    if (eq < 0 && takesNext(args, i)) i++;
                } else if (!p.longFlags().contains(name) && !p.open()) {
                    return Optional.of(program + " option " + name + " is not known to be read-only");
                }
                continue;
            }
            for (int k = 1; k < v.length(); k++) {
                String letter = String.valueOf(v.charAt(k));
                Optional<String> danger = danger(program, p, "-" + letter);
                if (danger.isPresent()) return danger;
                if (p.valued().contains(letter)) {
                    if (k + 1 == v.length() && takesNext(args, i)) i++;
                    break;
                }
                if (!p.flags().contains(letter) && !p.open()) return Optional.of(program + " option -" + letter + " is not known to be read-only");
            }
        }
        return Optional.empty();
    }

    /**
     * Whether the value of the option at {@code i} is the next word and can be skipped: not when it looks like an
     * option itself, which is then judged as one too (a list that took an option with an optional value for one with a
     * required value must not hide {@code --output} behind {@code --stat}).
     */
    private static boolean takesNext(List<Word> args, int i) {
        return i + 1 < args.size() && !(args.get(i + 1).value().startsWith("-") && args.get(i + 1).value().length() > 1);
    }

    /** The danger {@code option} is, or abbreviates (a long option of three letters or more, as getopt takes it). */
    private static Optional<String> danger(String program, Program p, String option) {
        for (var d : p.dangers().entrySet()) {
            String name = d.getKey();
            boolean own = p.longFlags().contains(option) || p.longValued().contains(option);
            boolean abbreviates = option.startsWith("--") && option.length() >= 3 && name.startsWith(option) && !own;
            if (option.equals(name) || abbreviates) return Optional.of(program + " option " + name + " " + d.getValue());
        }
        return Optional.empty();
    }

    /**
     * A glob the shell expands before the program reads its options: a file the diff added named
     * {@code --compress-program=x} would join {@code sort *} as an option. Read-only only when no match starts with
     * {@code -} (a glob below a named folder, {@code src/*.java}, never does).
     */
    static Optional<String> globCouldBeOption(Word w, Path cwd) {
        if (!w.glob()) return Optional.empty();
        String v = w.value();
        if (!(v.startsWith("*") || v.startsWith("?") || v.startsWith("["))) return Optional.empty();
        if (cwd == null) return Optional.of("the glob " + v + " expands in a folder that is not known");
        for (Path match : RealPaths.expand(cwd.resolve(v), 10_000)) {
            Path name = cwd.relativize(match).getName(0);
            if (name.toString().startsWith("-")) return Optional.of("the glob " + v + " expands to " + name + ", which reads as an option");
        }
        return Optional.empty();
    }
}
