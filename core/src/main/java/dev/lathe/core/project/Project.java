package dev.lathe.core.project;

import dev.lathe.core.agent.Agent;
import dev.lathe.core.agent.Agents;
import dev.lathe.core.agent.BuiltinAgents;
import dev.lathe.core.config.Config;
import dev.lathe.core.config.ServerEnvironment;
import dev.lathe.core.model.ModelResolver;
import dev.lathe.core.network.OutboundGate;
import dev.lathe.core.hooks.CommandRules;
import dev.lathe.core.permission.Action;
import dev.lathe.core.permission.Decision;
import dev.lathe.core.permission.GateDecision;
import dev.lathe.core.permission.ProtectedPaths;
import dev.lathe.core.permission.Rule;
import dev.lathe.core.permission.RuleOrigin;
import dev.lathe.core.permission.Ruleset;
import dev.lathe.core.snapshot.Snapshots;
import dev.lathe.core.trust.FolderTrust;
import dev.lathe.protocol.ProjectId;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;


/**
 * One project folder as the server sees it. {@code directory} is the folder sessions were created with; {@code rules}
 * are the permission rules of every config layer (managed policy kept apart, on top); {@code agents} the built-in
 * agents with those its config and agent files define; {@code trust} whether what the folder itself defines that runs
 * code or receives secrets applies (its config was read accordingly); {@code network} what its sessions may connect to
 * (local-only mode, decision 120), which every outbound path of its sessions consults; {@code host} the environment of
 * the server it runs in (the protected paths and the sandbox's folders it names).
 */
public record Project(ProjectId id, Path directory, Path repoRoot, FolderTrust trust, Config config, Ruleset rules, ModelResolver models,
        String instructions, Snapshots snapshots, Agents agents, OutboundGate network,
        ServerEnvironment host) {

    /** Whether the user's settings name auto-approval's classifier ({@code permission.auto}, DESIGN §31). */
    public boolean namesClassifier() { return config.permissionPolicy().auto().isPresent(); }

    /**
     * Why auto-approval cannot answer this folder's asks (the words a prompt asking for it is told, and a client shows
     * beside the mode it does not offer): the administrator's {@code disableAutoApproval}, or no classifier named; empty
     * when it can.
     */
    public Optional<String> autoOff() {
        if (namesClassifier()) return Optional.empty();
        return config.managed().refusalOfAuto().or(() -> Optional.of("auto-approval is off: your config names no classifier"
                + " (permission.auto, docs/auto-approval.md); asks go to a person, or to permission.unattended when nobody watches"));
    }

    /** This project with its instructions (block B) read again. */

    public Project withInstructions(String text) {
        return new Project(id, directory, repoRoot, trust, config, rules, models, text, snapshots, agents, network, host);
    }

    /** This project with its agents read again. */
    public Project withAgents(Agents loaded) {
        return new Project(id, directory, repoRoot, trust, config, rules, models, instructions, snapshots, loaded, network, host);
    }

    /**
     * The agent called {@code name}; the default agent when there is none by that name any more (its file was removed
     * after a message named it), so a stored session always runs.
     */
    public Agent agent(String name) {
        return agents.find(name).or(() -> agents.find(BuiltinAgents.DEFAULT)).orElseThrow();
    }

    /** The rules a session of {@code agent} runs under: the project's, with the agent's own layer on top. */
    public Ruleset rulesFor(String agent) {
        return rulesFor(agent(agent));
    }

    /** The project's rules with {@code agent}'s layer on top ({@link Ruleset#forAgent}). */
    public Ruleset rulesFor(Agent agent) {
        return rules.forAgent(agent.permission());
    }

    /**
     * The bash rules the commands a person configured (hooks, the status line) run under: the project's deny rules and
     * the managed policy's; a denial stops the command (decision 563).
     */
    public CommandRules hookRules() {
        // the project's rules with the managed policy, not an agent's layer: a read-only agent (plan, explore) must not
        // turn the user's own hooks off; a deny rule of the user, the project or the administrator holds for them
        List<Ruleset> held = List.of(rules);
        // a command line is decided by its words and the files they touch: the protected paths decide values, not lines
        var paths = new ProtectedPaths(List.of());
        return line -> {
            Decision d = GateDecision.decide(held, directory, "bash", GateDecision.Subject.COMMAND_LINES, List.of(line), directory, paths);
            return d.action() == Action.DENY ? Optional.of("a bash deny rule (" + d.rule() + ") refuses it: " + d.reason()) : Optional.empty();
        };
    }

    /** The permission rules a config sets: every layer merged, the managed policy kept on top. */
    public static Ruleset rulesOf(Config config) {
        return new Ruleset(rules(config.permission()), rules(config.managedPermission()));
    }

    static List<Rule> rules(List<Config.PermissionRuleConfig> configured) {
        return configured.stream().map(r -> new Rule(r.permission(), r.pattern(), Action.parse(r.action()), originOf(r.origin()))).toList();
    }

    /** The permission engine's name for a config layer. */
    static RuleOrigin originOf(Config.RuleSource from) {
        RuleOrigin.Layer layer = switch (from.layer()) {
            case DEFAULTS -> RuleOrigin.Layer.DEFAULTS;
            case GLOBAL -> RuleOrigin.Layer.GLOBAL;
            case PROJECT -> RuleOrigin.Layer.PROJECT;
            case ENVIRONMENT -> RuleOrigin.Layer.ENVIRONMENT;
            case MANAGED -> RuleOrigin.Layer.MANAGED;
        };
        return new RuleOrigin(layer, from.name());
    }
}
