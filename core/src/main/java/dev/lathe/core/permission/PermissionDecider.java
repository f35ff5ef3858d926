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
 * answer wins. Anything the analysis cannot resolve is at least {@code ask}.
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
        if (command == null || command.isBlank()) return new Decision(Action.ASK, List.of(), "default", "empty command");
        Analysis a = BashAnalyzer.analyze(command, workdir, home);
        List<String> lines = a.commands().stream().map(SimpleCommand::line).distinct().toList();
        Verdict best = null;
        for (SimpleCommand c : a.commands()) {
            Optional<Rule> r = rules.winner(permission, c.line());
            if (c.role() == SimpleCommand.Role.WRAPPER && r.map(x -> Pattern.specificity(x.pattern()) == 0).orElse(true)) continue;
            best = stricter(best, verdict(r, permission, "runs `" + c.line() + "`"));
        }
        for (FileAccess f : a.accesses()) best = stricter(best, access(f));
        if (a.dynamic()) best = stricter(best, new Verdict(Action.ASK, "default", "not statically known: " + String.join("; ", a.problems())));
        if (best == null) best = new Verdict(Action.ASK, "default", "nothing to check in the command");
        return new Decision(best.action, lines, best.rule, best.reason);
    }

    /** A file tool's path ({@code read} or {@code edit}). */
    public Decision path(String permission, Path file) {
        Path real = RealPaths.resolve(file.isAbsolute() ? file : project.resolve(file));
        Verdict v = check(permission, real, permission + " " + real);
        return new Decision(v.action, List.of(), v.rule, v.reason);
    }

    /** One "always" rule per sub-command (see {@link AlwaysRules}). */
    public List<String> alwaysRules(String command) {
        if (command == null || command.isBlank()) return List.of();
        Analysis a = BashAnalyzer.analyze(command, project, home);
        return AlwaysRules.of(a);
    }

    private Verdict access(FileAccess f) {
        return switch (f.access()) {
            case READ -> check("read", f.path(), f.via() + " reads " + f.path());
            case WRITE -> stricter(check("edit", f.path(), f.via() + " writes " + f.path()), underFolder(f));
            case PATH -> RealPaths.inside(f.path(), project) ? null
                    : verdict(rules.winner("external_directory", f.path().toString()), "external_directory", f.via() + " uses " + f.path() + " outside the project");
        };
    }

    /**
     * A write to a folder (rm -r, find -delete, mv) reaches everything under it, so edit rules for paths below it
     * count too: {@code rm -rf src} is denied when {@code src/generated/**} is.
     */
    private static final java.util.Set<String> RECURSIVE = java.util.Set.of("rm", "find -delete", "mv source", "shred", "chmod", "chown", "chgrp");

    private Verdict underFolder(FileAccess f) {
        if (!RECURSIVE.contains(f.via()) || !java.nio.file.Files.isDirectory(f.path()) || !RealPaths.inside(f.path(), project)) return null;
        String rel = relative(f.path());
        Verdict worst = null;
        for (Rule r : rules.rules()) {
            if (!r.permission().equals("edit")) continue;
            String p = r.pattern().startsWith("./") ? r.pattern().substring(2) : r.pattern();
            boolean below = rel.equals(".") ? !p.equals("*") && !p.equals("**") : p.startsWith(rel + "/") || !p.contains("/") && !p.equals("*");
            if (below) worst = stricter(worst, new Verdict(r.action(), r.permission() + ": " + r.pattern(), f.via() + " writes " + f.path() + ", which holds paths of this rule"));
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
        return rule.map(r -> new Verdict(r.action(), r.permission() + ": " + r.pattern(), what))
                .orElseGet(() -> new Verdict(Action.ASK, "default", what + ": no rule for " + permission));
    }

    /** deny > ask > allow; on a tie the first found keeps the naming. */
    private static Verdict stricter(Verdict a, Verdict b) {
        if (a == null) return b;
        if (b == null) return a;
        return b.action.ordinal() > a.action.ordinal() ? b : a;
    }

    private record Verdict(Action action, String rule, String reason) {}

}
