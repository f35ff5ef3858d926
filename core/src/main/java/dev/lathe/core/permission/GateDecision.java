package dev.lathe.core.permission;

import java.nio.file.Path;
import java.util.List;

/**
 * The one decision of the permission gate: what the rules say about one permission request of a tool call (a rule key
 * and its patterns), before any ask. A real turn's gate and {@code lathe debug permission} both call {@link #decide},
 * so the debug command shows exactly what a turn would do.
 *
 * <p>The request is held to every rule set at once (a subagent answers to its own and its parent's) and every pattern;
 * the strictest answer wins (deny &gt; ask &gt; allow), a tie keeping the first one found. A {@code bash} request is
 * decided by what the line would really run ({@link PermissionDecider#bash}: sub-commands, file operands, redirections);
 * any other key by the rule that wins its pattern ({@link Ruleset#winner}), {@code ask} when none does. A request with no
 * pattern is allowed.
 */
public final class GateDecision {
    private GateDecision() {}

    /**
     * @param rulesets the rule sets the call is held to, "always" approvals already added
     * @param projectRoot the session's project folder (paths in bash lines are decided relative to it)
     * @param permission the rule key ({@code bash}, {@code read}, {@code edit}, {@code external_directory}, ...)
     * @param patterns the values matched against that key's patterns (commands, paths relative to the project, URLs)
     * @param workdir where a bash line runs
     */
    public static Decision decide(List<Ruleset> rulesets, Path projectRoot, String permission, List<String> patterns, Path workdir) {
        Decision strictest = null;
        for (Ruleset ruleset : rulesets) {
            var commands = permission.equals("bash") ? new PermissionDecider(ruleset, projectRoot) : null;
            for (String pattern : patterns) {
                Decision d = commands != null ? commands.bash(pattern, workdir) : byRule(ruleset, permission, pattern);
                if (strictest == null || d.action().ordinal() > strictest.action().ordinal()) strictest = d;
            }
        }
        return strictest != null ? strictest : new Decision(Action.ALLOW, List.of(), "default", "nothing to check");
    }

    private static Decision byRule(Ruleset ruleset, String permission, String pattern) {
        var winner = ruleset.winner(permission, pattern);
        return new Decision(winner.map(Rule::action).orElse(Action.ASK), List.of(),
                winner.map(r -> r.permission() + ": " + r.pattern()).orElse("default"),
                winner.isPresent() ? "a " + permission + " rule matches" : "no rule matches " + permission + "; the default is ask");
    }
}
