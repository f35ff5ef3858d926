package dev.lathe.core.permission;

import dev.lathe.core.permission.bash.Analysis;
import dev.lathe.core.permission.bash.BashAnalyzer;
import dev.lathe.core.permission.bash.FileAccess;
import dev.lathe.core.permission.bash.RealPaths;
import dev.lathe.core.permission.bash.SimpleCommand;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Decides bash lines and file paths against a rule set (DESIGN §10, §18): every simple command is matched against the
 * {@code bash} rules, every file it reads or writes against {@code read} / {@code edit} (relative to the project, with
 * forward slashes) and, outside the project, against {@code external_directory} (the absolute path); the strictest
 * answer wins. Anything the analysis cannot resolve is at least {@code ask}, and so is every concern it found (an
 * environment prefix not known to be harmless, a program option that runs code or writes a file, a control character),
 * the concern being the reason. A folder a command lists or searches is checked against the {@code read} rules that
 * hold it back, and so is what lies below it; a device or special file always asks. What a git content command
 * prints without naming it is the files git tracks ({@link TrackedFiles}), each judged by the {@code read} rules; a
 * git line with global options is matched both as written and without them ({@link SimpleCommand#forms()}).
 *
 * <p>Wrappers: a transparent wrapper ({@code timeout}, {@code env}, {@code xargs}, {@code bash -c}, …) is decided by
 * what it runs unless a rule names the wrapper itself (a pattern other than {@code *} matches it); {@code sudo} and
 * {@code doas} change privileges, so their own line is always checked as well.
 */
public final class PermissionDecider {
    private final Ruleset rules;
    private final Path project;
    private final Path home;

    public PermissionDecider(Ruleset rules, Path projectRoot) {
        this(rules, projectRoot, Path.of(System.getProperty("user.home")));
    }

    /** With an explicit home folder (what {@code ~} and {@code $HOME} expand to); for tests. */
    public PermissionDecider(Ruleset rules, Path projectRoot, Path home) {
        this.rules = rules;
        this.project = RealPaths.resolve(projectRoot);
        this.home = home;
    }

    public Decision bash(String command, Path workdir) {
        return commandLine("bash", command, workdir);
    }

    /**
     * A command line asked for under the rule key {@code permission} (bash's own, or a tool that declares a command
     * as its permission subject): every simple command of the line must pass that key's rules, and the files the line
     * would touch the file rules — the same analysis whatever the key, so chaining cannot slip past a prefix rule.
     */
    public Decision commandLine(String permission, String command, Path workdir) {
        if (command == null || command.isBlank()) return new Decision(Action.ASK, List.of(), "default", "empty command", RuleOrigin.analysis("empty command"));
        Analysis a = BashAnalyzer.analyze(command, workdir, home);
        List<String> lines = a.commands().stream().map(SimpleCommand::line).distinct().toList();
        Verdict best = null;
        // first, so that on a tie with an ask rule the reason names the risky form
        for (String why : a.concerns()) best = stricter(best, new Verdict(Action.ASK, "default", why));
        for (SimpleCommand c : a.commands()) {
            Optional<Rule> r = rules.winner(permission, c.line());
            if (c.role() == SimpleCommand.Role.WRAPPER && r.map(x -> Pattern.specificity(x.pattern()) == 0).orElse(true)) continue;
            best = stricter(best, judged(c, c.line(), r, permission, "runs `" + c.line() + "`"));
            for (String form : c.forms().subList(1, c.forms().size())) {
                best = stricter(best, judged(c, form, rules.winner(permission, form), permission, "runs `" + c.line() + "` (as `" + form + "`)"));
            }
        }
        for (FileAccess f : a.accesses()) {
            if (best != null && best.action == Action.DENY) break; // nothing can be stricter: no need to list files
            best = stricter(best, access(f));
        }
        if (a.dynamic()) best = stricter(best, new Verdict(Action.ASK, "default", "not statically known: " + String.join("; ", a.problems())));
        if (best == null) best = new Verdict(Action.ASK, "default", "nothing to check in the command");
        return new Decision(best.action, lines, best.rule, best.reason, best.origin);
    }

    /**
     * The verdict of the rule {@code r} that matched {@code form}; when it is an entry of a read-only list and the command
     * is not read-only ({@link SimpleCommand#readOnly}), the rules beside the read-only lists decide instead (for the
     * built-in read-only agents, their {@code bash: *} deny).
     */
    private Verdict judged(SimpleCommand c, String form, Optional<Rule> r, String permission, String what) {
        if (r.isEmpty() || !r.get().onlyReadOnly() || r.get().action() != Action.ALLOW || c.readOnly()) return verdict(r, permission, what);
        return verdict(rules.winnerBesideReadOnlyLists(permission, form), permission, what + ", which is not read-only: " + c.notReadOnly());
    }

    /** A file tool's path ({@code read} or {@code edit}). */
    public Decision path(String permission, Path file) {
        Path real = RealPaths.resolve(file.isAbsolute() ? file : project.resolve(file));
        Verdict v = check(permission, real, permission + " " + real);
        return new Decision(v.action, List.of(), v.rule, v.reason, v.origin);
    }

    /** One "always" rule per sub-command (see {@link AlwaysRules}). */
    public List<String> alwaysRules(String command) {
        if (command == null || command.isBlank()) return List.of();
        Analysis a = BashAnalyzer.analyze(command, project, home);
        return AlwaysRules.of(a);
    }

    private Verdict access(FileAccess f) {
        if (isSpecial(f.path())) {
            return new Verdict(Action.ASK, "default", f.via() + " uses " + f.path() + ", a device or special file");
        }
        boolean folder = java.nio.file.Files.isDirectory(f.path());
        return switch (f.access()) {
            case READ -> folder ? search(f) : check("read", f.path(), f.via() + " reads " + f.path());
            case READ_IF_EXISTS -> !java.nio.file.Files.exists(f.path(), java.nio.file.LinkOption.NOFOLLOW_LINKS) ? outside(f)
                    : folder ? printedFolder(f) : check("read", f.path(), f.via() + " reads " + f.path());
            case TRACKED -> folder ? printedFolder(f) : check("read", f.path(), f.via() + " reads " + f.path());
            case REPOSITORY -> tracked(f);
            case LIST -> stricter(outside(f), listed(f));
            case TREE -> folder ? stricter(stricter(outside(f), listed(f)), below(f, false)) : stricter(outside(f), listed(f));
            case SEARCH -> folder ? search(f) : check("read", f.path(), f.via() + " reads " + f.path());
            case WRITE -> stricter(check("edit", f.path(), f.via() + " writes " + f.path()), underFolder(f));
            case PATH -> outside(f);
        };
    }

    private Verdict outside(FileAccess f) {
        return RealPaths.inside(f.path(), project) ? null
                : verdict(rules.winner("external_directory", f.path().toString()), "external_directory", f.via() + " uses " + f.path() + " outside the project");
    }

    /**
     * A listed folder answers to the {@code read} rules that hold it back (deny or ask): a listing shows names, not
     * content, so a folder no read rule names is not asked about for that alone (outside the project
     * {@code external_directory} still decides).
     */
    private Verdict listed(FileAccess f) {
        String value = RealPaths.inside(f.path(), project) ? relative(f.path()) : f.path().toString();
        Optional<Rule> r = rules.winner("read", value);
        if (r.isEmpty() || r.get().action() == Action.ALLOW) return null;
        return verdict(r, "read", f.via() + " lists " + f.path());
    }

    private Verdict search(FileAccess f) {
        return stricter(check("read", f.path(), f.via() + " reads everything under " + f.path()), below(f, true));
    }

    /** Devices, FIFOs and sockets (not the null device): never an ordinary file operand. */
    private static boolean isSpecial(Path p) {
        if (p.toString().equals("/dev/null")) return false;
        if (p.startsWith("/proc") || p.startsWith("/sys") || p.startsWith("/dev")) return true;
        try {
            var attrs = java.nio.file.Files.readAttributes(p, java.nio.file.attribute.BasicFileAttributes.class, java.nio.file.LinkOption.NOFOLLOW_LINKS);
            return attrs.isOther();
        } catch (java.io.IOException e) {
            return false; // missing: a file that will be created
        }
    }

    /** A folder a git content command prints: the folder's own read rule, and the files git tracks below it. */
    private Verdict printedFolder(FileAccess f) {
        return stricter(check("read", f.path(), f.via() + " reads " + f.path()), tracked(f));
    }

    /**
     * The files git tracks below a folder that a git content command may print (see {@link TrackedFiles}), each
     * judged by the {@code read} rule that holds it back (deny or ask; the strictest wins): "git diff prints tracked
     * file .env". Nothing to list when no rule can hold a read back. When git cannot list them, the folder's own
     * files are walked instead, as for a search (ask).
     */
    private Verdict tracked(FileAccess f) {
        if (!readsCanBeHeldBack()) return null;
        var files = TrackedFiles.below(f.path());
        if (files.isEmpty()) return java.nio.file.Files.isDirectory(f.path()) ? below(f, true) : null;
        Verdict worst = null;
        for (Path p : files.get()) {
            String value = RealPaths.inside(p, project) ? relative(p) : p.toString();
            Optional<Rule> r = rules.winner("read", value);
            if (r.isEmpty() || r.get().action() == Action.ALLOW) continue;
            worst = stricter(worst, verdict(r, "read", f.via() + " prints tracked file " + value));
            if (worst.action == Action.DENY) break;
        }
        return worst;
    }

    /** Whether any rule could answer a read with deny or ask (else no listing of files can find one). */
    private boolean readsCanBeHeldBack() {
        return java.util.stream.Stream.concat(rules.rules().stream(), rules.managed().stream())
                .anyMatch(r -> (r.permission().equals("read") || r.permission().equals("*")) && r.action() != Action.ALLOW);
    }

    private static final int WALK_CAP = 20_000;

    /**
     * What lies below a folder a command enumerates ({@code contents} false: only folders matter, names are what it
     * shows) or searches ({@code contents} true: every file is read): the first one a {@code read} rule does not allow
     * makes it ask (the folder's own rule was checked already). Links are not followed (grep -r and find do not).
     */
    private Verdict below(FileAccess f, boolean contents) {
        String what = f.via() + (contents ? " reads everything under " : " lists everything under ") + f.path();
        int[] seen = {0};
        try (var walk = java.nio.file.Files.walk(f.path())) {
            var it = walk.iterator();
            while (it.hasNext()) {
                Path p = it.next();
                if (++seen[0] > WALK_CAP) return new Verdict(Action.ASK, "default", what + ": too many files to check");
                if (p.equals(f.path()) || (!contents && !java.nio.file.Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS))) continue;
                String value = RealPaths.inside(p, project) ? relative(p) : p.toString();
                Optional<Rule> r = rules.winner("read", value);
                if (r.isEmpty() || r.get().action() == Action.ALLOW) continue; // only rules that hold a path back count
                return new Verdict(Action.ASK, r.get().text(),
                        what + ", which holds " + value + " (read " + r.get().action().name().toLowerCase(java.util.Locale.ROOT) + ")", r.get().origin());
            }
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            return new Verdict(Action.ASK, "default", what + ": cannot list it (" + e.getMessage() + ")");
        }
        return null;
    }

    /**
     * A write to a folder (rm -r, find -delete, mv) reaches everything under it, so edit rules for paths below it
     * count too: {@code rm -rf src} is denied when {@code src/generated/**} is.
     */
    private static final java.util.Set<String> RECURSIVE = java.util.Set.of("rm", "find -delete", "mv source", "shred", "chmod", "chown", "chgrp",
            "git rm", "git clean");

    private Verdict underFolder(FileAccess f) {
        if (!RECURSIVE.contains(f.via()) || !java.nio.file.Files.isDirectory(f.path()) || !RealPaths.inside(f.path(), project)) return null;
        String rel = relative(f.path());
        Verdict worst = null;
        for (Rule r : rules.rules()) {
            if (!r.permission().equals("edit")) continue;
            String p = r.pattern().startsWith("./") ? r.pattern().substring(2) : r.pattern();
            boolean below = rel.equals(".") ? !p.equals("*") && !p.equals("**") : p.startsWith(rel + "/") || !p.contains("/") && !p.equals("*");
            if (below) worst = stricter(worst, new Verdict(r.action(), r.text(), f.via() + " writes " + f.path() + ", which holds paths of this rule", r.origin()));
        }
        return worst;
    }

    private Verdict check(String permission, Path real, String what) {
        if (RealPaths.inside(real, project)) {
            return verdict(rules.winner(permission, relative(real)), permission, what);
        }
        Verdict external = verdict(rules.winner("external_directory", real.toString()), "external_directory", what + " (outside the project)");
        return stricter(external, verdict(rules.winner(permission, real.toString()), permission, what + " (outside the project)"));
    }

    private String relative(Path real) {
        String rel = project.relativize(real).toString().replace('\\', '/');
        return rel.isEmpty() ? "." : rel;
    }

    private static Verdict verdict(Optional<Rule> rule, String permission, String what) {
        return rule.map(r -> new Verdict(r.action(), r.text(), what, r.origin()))
                .orElseGet(() -> new Verdict(Action.ASK, "default", what + ": no rule for " + permission, RuleOrigin.NO_RULE));
    }

    /** deny > ask > allow; on a tie the first found keeps the naming. */
    private static Verdict stricter(Verdict a, Verdict b) {
        if (a == null) return b;
        if (b == null) return a;
        return b.action.ordinal() > a.action.ordinal() ? b : a;
    }

    /** {@code origin}: the deciding rule's; a verdict the analysis forces (no rule) has its reason as origin. */
    private record Verdict(Action action, String rule, String reason, RuleOrigin origin) {
        Verdict(Action action, String rule, String reason) {
            this(action, rule, reason, RuleOrigin.analysis(reason));
        }
    }

}
