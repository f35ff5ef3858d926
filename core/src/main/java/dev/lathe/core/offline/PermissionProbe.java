package dev.lathe.core.offline;

import dev.lathe.core.permission.Action;
import dev.lathe.core.permission.AutoApproval;
import dev.lathe.core.permission.HardDeny;
import dev.lathe.core.agent.AgentLoader;
import dev.lathe.core.config.Config;
import dev.lathe.core.config.ConfigException;
import dev.lathe.core.config.ConfigLoader;
import dev.lathe.core.config.LathePaths;
import dev.lathe.core.permission.Decision;
import dev.lathe.core.permission.GateDecision;
import dev.lathe.core.permission.ProtectedPaths;
import dev.lathe.core.permission.Ruleset;
import dev.lathe.core.project.Project;
import dev.lathe.core.project.ProjectRoot;
import dev.lathe.tools.PermissionSource;
import dev.lathe.tools.PermissionCheck;
import dev.lathe.tools.ProjectPaths;
import dev.lathe.tools.ToolFailure;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * {@code lathe debug permission}: what a turn's permission gate would decide for a tool call in a project, by the
 * gate's own function ({@link GateDecision}) over the checks the built-in tools make. The rules are the config files'
 * (with the managed policy) under the permission layer of one agent; "always" answers stored by a server are not
 * included, nor is a parent session's rule set.
 */
public final class PermissionProbe {
    /** One tool call to decide, by the shape of what it names. */
    public sealed interface Request {
        /** A command line, as {@code bash} gets it; {@code workdir} as its argument (default: the project folder). */
        record Command(String permission, String command, Optional<String> workdir) implements Request {}

        /** A file or folder, as {@code read}, {@code edit} and the other file tools get it. */
        record PathAccess(String permission, String path) implements Request {}

        /** Anything else: the value a tool's own rules match ({@code webfetch}'s URL, a skill's name, ...). */
        record Value(String permission, String value) implements Request {}
    }

    private final Path project;
    private final Ruleset rules;
    /** Lathe's secrets and the paths whose writing asks, where the environment the probe was opened with places them. */
    private final ProtectedPaths protectedPaths;

    /** Auto-approval as the user's, managed and command-line settings configure it (DESIGN §31). */
    private final Optional<AutoApproval> auto;

    private PermissionProbe(Path project, Ruleset rules, ProtectedPaths protectedPaths, Optional<AutoApproval> auto) {
        this.project = project;
        this.rules = rules;
        this.protectedPaths = protectedPaths;
        this.auto = auto;
    }

    /**
     * The rules of {@code project} for {@code agent}; warnings about agent files that were skipped go to
     * {@code warnings} first.
     *
     * @throws OfflineFailure when the config does not load or no agent has that name
     */
    public static PermissionProbe open(Map<String, String> env, Path project, String agent, Consumer<String> warnings) {
        var paths = LathePaths.fromEnvironment(env);
        Config config;
        try {
            config = ConfigLoader.standard(paths, env).load(ProjectRoot.repoRoot(project));
        } catch (ConfigException e) {
            throw new OfflineFailure(e.getMessage());
        }
        var loaded = AgentLoader.load(config, AgentLoader.userFolders(paths), ProjectRoot.repoRoot(project), project);
        loaded.warnings().forEach(warnings);
        var chosen = loaded.agents().find(agent)
                .orElseThrow(() -> new OfflineFailure("unknown agent '" + agent + "'; available: " + String.join(", ", loaded.agents().names())));
        return new PermissionProbe(project, Project.rulesOf(config).forAgent(chosen.permission()), ProtectedPaths.fromEnvironment(env),
                config.permissionPolicy().auto());
    }

    /**
     * The strictest decision over the checks the call would make, in the order a tool makes them (a path or working
     * folder outside the project is checked for {@code external_directory} first; a tie keeps the first).
     *
     * @throws OfflineFailure when the tool would fail before asking (an empty path, or one the file system cannot name)
     */
    public Decision decide(Request request) {
        try {
            return strictest(checks(request), request);
        } catch (ToolFailure | InvalidPathException e) {
            throw new OfflineFailure(e.getMessage());
        }
    }

    /**
     * {@code lathe debug permission --auto "COMMAND"}: what auto-approval would do with a bash command, step by step — the
     * rules' answer, the built-in {@code hardDeny} list's, and whether the classifier would be asked, with the call and
     * what it reaches as it would be shown. The classifier itself is not asked here: that is a model request, which only
     * a server's spend ledger sends; {@code lathe permissions auto-log} shows what it answered in real sessions.
     */
    public List<String> auto(String command) {
        Decision ruled = decide(new Request.Command("bash", command, Optional.empty()));
        List<String> out = new ArrayList<>();
        out.add("rules:      " + shown(ruled));
        Optional<Decision> hard = ruled.action() == Action.DENY ? Optional.empty()
                : new HardDeny(project, Path.of(System.getProperty("user.home")), protectedPaths).decide("bash", GateDecision.Subject.COMMAND_LINES,
                        List.of(command.strip()), project);
        out.add("hardDeny:   " + (ruled.action() == Action.DENY ? "not consulted (the rules deny first)"
                : hard.map(d -> "deny — " + d.reason()).orElse("nothing on the list")));
        Action answer = hard.isPresent() ? Action.DENY : ruled.action();
        String classifier = switch (answer) {
            case DENY -> "not asked: denied before it (nothing the rules or the list deny is ever sent to it)";
            case ALLOW -> "not asked: the rules allow it";
            case ASK -> auto.map(a -> "asks " + a.model() + " (" + (a.start() == AutoApproval.Start.ALWAYS ? "on from each session's start"
                    : "on when a prompt asks for it: --auto, the terminal UI's mode, the web toggle") + "), within " + a.timeout().toSeconds()
                    + " s; it would be shown the session's user messages, this call and what it reaches: " + reach(command))
                    .orElse("none configured (permission.auto in your own config): a person is asked");
        };
        out.add("classifier: " + classifier);
        return out;
    }

    private String reach(String command) {
        List<String> reach = new HardDeny(project, Path.of(System.getProperty("user.home")), protectedPaths).reaches("bash",
                GateDecision.Subject.COMMAND_LINES, List.of(command.strip()), project);
        return reach.isEmpty() ? "nothing outside the project" : String.join("; ", reach);
    }

    private static String shown(Decision d) {
        String source = d.origin().source();
        return d.action().name().toLowerCase(java.util.Locale.ROOT) + " by " + d.rule() + " (" + d.origin().layer().wire()
                + (source == null || source.isBlank() ? "" : " " + source) + ") — " + d.reason();
    }

    private List<PermissionCheck> checks(Request request) {
        List<PermissionCheck> checks = new ArrayList<>();
        switch (request) {
            case Request.Command c -> {
                if (c.workdir().isPresent()) {
                    Path workdir = ProjectPaths.resolve(project, c.workdir().get());
                    ProjectPaths.externalCheck(project, workdir, workdir).ifPresent(checks::add);
                }
                checks.add(PermissionCheck.of(c.permission(), PermissionSource.Pattern.COMMAND, c.command().strip(), c.command()));
            }
            case Request.PathAccess p -> {
                // as the file tools decide: on the real path (links resolved), asked with both names when they differ
                var target = ProjectPaths.target(project, ProjectPaths.resolve(project, p.path()));
                Path file = target.real();
                Path folder = Files.isDirectory(file) || file.getParent() == null ? file : file.getParent();
                ProjectPaths.externalCheck(ProjectPaths.real(project), file, folder).ifPresent(checks::add);
                checks.add(new PermissionCheck(p.permission(), PermissionSource.Pattern.PATH, target.patterns(), target.patterns(), p.path(),
                        java.util.Map.of()));
            }
            case Request.Value v -> checks.add(PermissionCheck.of(v.permission(), PermissionSource.Pattern.VALUE, v.value(), v.value()));
        }
        return checks;
    }

    private Decision strictest(List<PermissionCheck> checks, Request request) {
        Path workdir = request instanceof Request.Command c && c.workdir().isPresent() ? ProjectPaths.resolve(project, c.workdir().get()) : project;
        Decision strictest = null;
        for (PermissionCheck check : checks) {
            Decision d = GateDecision.decide(List.of(rules), project, check.permission(), subject(check), check.patterns(), workdir, protectedPaths);
            if (strictest == null || d.action().ordinal() > strictest.action().ordinal()) strictest = d;
        }
        return strictest;
    }

    /** As the turn's gate decides it ({@code PermissionGate}): command lines by what they run, the rest whole. */
    private static GateDecision.Subject subject(PermissionCheck check) {
        return switch (check.subject()) {
            case COMMAND -> GateDecision.Subject.COMMAND_LINES;
            case PATH, URL, VALUE, PATCH, NONE -> GateDecision.Subject.VALUES;
        };
    }
}
