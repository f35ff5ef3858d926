package dev.lathe.core.permission.bash;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The table of program forms that execute code or write files through their options, sub-commands or program text,
 * however harmless the program's usual use (DESIGN §10): such a form makes the command at least ask, even under an
 * allow rule for the program ({@code git diff} is allowed, {@code git diff --output=x} asks). The table is data, in
 * this one place; {@link #check} applies it. A program is looked up by its base name ({@code ./mvnw} is {@code mvnw}).
 */
final class Hazards {
    private Hazards() {}

    /** How an entry recognises the risky form in a command's arguments. */
    private sealed interface Match {
        /** Every use of the program. */
        record Always() implements Match {}

        /** An argument that equals {@code option}, carries its value after {@code =}, or (short options) attached. */
        record Option(String option) implements Match {}

        /** Like {@link Option}, but only before the sub-command (git's global {@code -c}). */
        record Global(String option) implements Match {}

        /** An option or word that matters only after a given sub-command ({@code git format-patch -o}). */
        record AfterSub(String sub, String option) implements Match {}

        /** A whole argument matching a regular expression (goals, properties). */
        record Argument(Pattern regex) implements Match {}
    }

    private record Hazard(Set<String> programs, Match match, String reason) {}

    private static final Set<String> GIT = Set.of("git");
    private static final Set<String> BUILD = Set.of("mvn", "mvnw", "gradle", "gradlew");
    private static final Set<String> NODE_PM = Set.of("npm", "pnpm", "yarn", "bun");
    private static final Set<String> PYTHON = Set.of("python", "python3");

    private static Hazard h(Set<String> programs, Match m, String reason) { return new Hazard(programs, m, reason); }

    private static Hazard h(String program, Match m, String reason) { return new Hazard(Set.of(program), m, reason); }

    private static Match opt(String o) { return new Match.Option(o); }

    private static Match arg(String regex) { return new Match.Argument(Pattern.compile(regex)); }

    private static final List<Hazard> TABLE = List.of(
            // git: configuration and helper programs chosen on the command line, and files written by read-only commands
            h(GIT, new Match.Global("-c"), "git option -c sets configuration that can name a program to run"),
            h(GIT, new Match.Global("--config-env"), "git option --config-env sets configuration that can name a program to run"),
            h(GIT, arg("--exec-path=.+"), "git option --exec-path chooses the programs git runs"),
            h(GIT, opt("--output"), "git option --output writes a file"),
            h(GIT, new Match.AfterSub("format-patch", "-o"), "git format-patch -o writes files"),
            h(GIT, new Match.AfterSub("format-patch", "--output-directory"), "git format-patch --output-directory writes files"),
            h(GIT, opt("--ext-diff"), "git option --ext-diff runs an external diff program"),
            h(GIT, opt("--textconv"), "git option --textconv runs text conversion programs"),
            h(GIT, opt("--upload-pack"), "git option --upload-pack runs a program"),
            h(GIT, opt("--receive-pack"), "git option --receive-pack runs a program"),
            h(GIT, new Match.AfterSub("clone", "-u"), "git clone -u runs a program"),
            h(GIT, new Match.AfterSub("fetch", "-u"), "git fetch -u runs a program"),
            h(GIT, opt("--exec"), "git option --exec runs a program"),
            h(GIT, new Match.AfterSub("rebase", "-x"), "git rebase -x runs a program"),
            h(GIT, new Match.AfterSub("grep", "-O"), "git grep -O opens a pager program"),
            h(GIT, opt("--open-files-in-pager"), "git option --open-files-in-pager runs a pager program"),
            h(GIT, opt("--template"), "git option --template installs hooks"),
            h(GIT, new Match.AfterSub("difftool", ""), "git difftool runs a diff program"),
            h(GIT, new Match.AfterSub("mergetool", ""), "git mergetool runs a merge program"),
            h(GIT, new Match.AfterSub("config", ""), "git config writes configuration that can name a program to run"),
            h(GIT, new Match.AfterSub("filter-branch", ""), "git filter-branch runs shell code"),
            h(GIT, new Match.AfterSub("bisect", "run"), "git bisect run runs a program"),
            h(GIT, new Match.AfterSub("submodule", "foreach"), "git submodule foreach runs shell code"),
            // find: actions that run programs or write files
            h("find", opt("-exec"), "find -exec runs a program on each file found"),
            h("find", opt("-execdir"), "find -execdir runs a program on each file found"),
            h("find", opt("-ok"), "find -ok runs a program on each file found"),
            h("find", opt("-okdir"), "find -okdir runs a program on each file found"),
            h("find", opt("-delete"), "find -delete deletes the files found"),
            h("find", arg("-fprint0?|-fprintf|-fls"), "find -fprint writes a file"),
            // wrappers that build a command out of input or a string
            h("xargs", new Match.Always(), "xargs runs a command with arguments read from its input"),
            h("env", opt("-S"), "env -S splits a string into a command"),
            h("env", opt("--split-string"), "env -S splits a string into a command"),
            h("watch", new Match.Always(), "watch runs its command through a shell"),
            h("su", new Match.Always(), "su runs commands as another user"),
            h(Set.of("sudo", "doas"), new Match.Always(), "sudo runs commands as another user"),
            // build tools: goals, tasks and files named on the command line run code the project did not choose
            h(BUILD, arg("[A-Za-z0-9_.-]+(:[A-Za-z0-9_.-]+)*:[A-Za-z0-9_.-]+"), "build goal names a plugin, which runs its code"),
            h(BUILD, arg("(?i)-D[^=]*(exec|argline|jvm|agent|ext\\.class\\.path|executable|command|script)[^=]*(=.*)?"),
                    "build property names a program or JVM option"),
            h(BUILD, arg("(?i)install|deploy|site-deploy|release|publish\\w*|upload\\w*"), "build goal publishes or installs outside the project"),
            h(BUILD, opt("-f"), "build option -f runs another build file"),
            h(BUILD, opt("--file"), "build option --file runs another build file"),
            h(BUILD, opt("-s"), "build option -s reads other settings"),
            h(BUILD, opt("--settings"), "build option --settings reads other settings"),
            h(BUILD, opt("-gs"), "build option -gs reads other settings"),
            h(BUILD, opt("-I"), "gradle option -I runs an init script"),
            h(BUILD, opt("--init-script"), "gradle option --init-script runs an init script"),
            h(BUILD, opt("-b"), "gradle option -b runs another build file"),
            h(BUILD, opt("--build-file"), "gradle option --build-file runs another build file"),
            h(BUILD, opt("-c"), "gradle option -c reads another settings file"),
            h(BUILD, opt("--settings-file"), "gradle option --settings-file reads another settings file"),
            // node package managers: commands and options that run packages or scripts chosen on the command line
            h(NODE_PM, arg("exec|x|dlx|explore|create|init"), "package manager command runs a package chosen on the command line"),
            h(NODE_PM, opt("--script-shell"), "package manager option --script-shell chooses the shell scripts run in"),
            h(NODE_PM, opt("--node-options"), "package manager option --node-options changes what node loads"),
            h(NODE_PM, opt("--call"), "package manager option --call runs a command"),
            h(NODE_PM, opt("--prefix"), "package manager option --prefix runs another package's scripts"),
            h(NODE_PM, opt("--dir"), "package manager option --dir runs another package's scripts"),
            h(NODE_PM, opt("--cwd"), "package manager option --cwd runs another package's scripts"),
            h(NODE_PM, opt("--userconfig"), "package manager option --userconfig reads other configuration"),
            h(NODE_PM, arg("/.*/"), "package manager runs every script matching a pattern"),
            h(Set.of("npx", "bunx", "pnpx"), new Match.Always(), "npx runs a package it may download"),
            // interpreters: debuggers and code given in options
            h(PYTHON, arg("--pdb|--trace"), "python option --pdb opens a debugger that runs typed code"),
            h(PYTHON, arg("pdb"), "python -m pdb opens a debugger that runs typed code"),
            h("node", arg("-e|--eval|-p|--print|-r|--require|--import|--loader|--experimental-loader|--inspect.*"),
                    "node option runs or preloads code"),
            h("java", arg("-javaagent:.*|-agentlib:.*|-agentpath:.*|-XX:OnError=.*|-XX:OnOutOfMemoryError=.*"),
                    "java option loads an agent or runs a program"),
            // archivers and copiers that run helper programs
            h("tar", opt("--to-command"), "tar option --to-command runs a program"),
            h("tar", opt("--use-compress-program"), "tar option --use-compress-program runs a program"),
            h("tar", arg("-I.*"), "tar option -I runs a program"),
            h("tar", opt("--checkpoint-action"), "tar option --checkpoint-action runs a program"),
            h("tar", opt("--info-script"), "tar option --info-script runs a program"),
            h("tar", opt("--new-volume-script"), "tar option --new-volume-script runs a program"),
            h("tar", opt("--rsh-command"), "tar option --rsh-command runs a program"),
            h("tar", opt("--rmt-command"), "tar option --rmt-command runs a program"),
            h("sort", opt("--compress-program"), "sort option --compress-program runs a program"),
            h("rsync", arg("-[A-Za-z0-9]*e.*"), "rsync option -e runs a program"),
            h("rsync", opt("--rsh"), "rsync option --rsh runs a program"),
            h("rsync", opt("--rsync-path"), "rsync option --rsync-path runs a program"),
            h("zip", arg("-TT.*|--unzip-command.*"), "zip option -TT runs a program"),
            // pagers: initial commands can run a shell
            h(Set.of("less", "more"), arg("\\+.*"), "pager initial command can run a program"),
            h("man", arg("-P.*|--pager.*|-H.*|--html.*"), "man option runs a program"),
            h("make", opt("--eval"), "make option --eval adds rules that run programs"),
            h("rg", opt("--pre"), "rg option --pre runs a program on every file searched"),
            h("tree", opt("-o"), "tree option -o writes a file"));

    /** The reasons the command's form is risky, in table order; empty when none applies. */
    static List<String> check(String program, List<Word> args) {
        String base = program.substring(program.lastIndexOf('/') + 1);
        return TABLE.stream().filter(h -> h.programs().contains(base) && matches(h.match(), args)).map(Hazard::reason).distinct().toList();
    }

    private static boolean matches(Match m, List<Word> args) {
        return switch (m) {
            case Match.Always a -> true;
            case Match.Option o -> args.stream().anyMatch(w -> isOption(o.option(), text(w)));
            case Match.Global g -> {
                int sub = subcommand(args);
                for (Word w : args.subList(0, sub < 0 ? args.size() : sub)) if (isOption(g.option(), text(w))) yield true;
                yield false;
            }
            case Match.AfterSub s -> {
                int sub = subcommand(args);
                if (sub < 0 || !text(args.get(sub)).equals(s.sub())) yield false;
                if (s.option().isEmpty()) yield true;
                yield args.subList(sub + 1, args.size()).stream().anyMatch(w -> isOption(s.option(), text(w)) || text(w).equals(s.option()));
            }
            case Match.Argument a -> args.stream().anyMatch(w -> a.regex().matcher(text(w)).matches());
        };
    }

    /** The sub-command's index (git's grammar of global options, {@link GitGlobals}). */
    private static int subcommand(List<Word> args) {
        return GitGlobals.subcommand(args.stream().map(Hazards::text).toList());
    }

    private static boolean isOption(String option, String v) {
        if (v.equals(option) || v.startsWith(option + "=")) return true;
        if (option.startsWith("--") && v.startsWith("--")) {
            // getopt_long, git's parse-options and argparse accept any unambiguous abbreviation (--outp=x is --output=x)
            String given = v.contains("=") ? v.substring(0, v.indexOf('=')) : v;
            if (given.length() >= 4 && option.startsWith(given)) return true;
        }
        // a short option with its value attached (-cfoo=bar, -ofile); single-dash long options (find's) never are
        return option.length() == 2 && !option.startsWith("--") && v.startsWith(option) && !v.startsWith("--");
    }

    /** An unknown word is matched by its source text, so a quoted option still counts. */
    private static String text(Word w) { return w.value() != null ? w.value() : w.raw(); }
}
