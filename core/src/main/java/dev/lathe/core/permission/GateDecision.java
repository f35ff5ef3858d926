package dev.lathe.core.permission;

import java.nio.file.Path;
import java.util.List;

/**
 * The one decision of the permission gate: what the rules say about one permission request of a tool call (a rule key
 * and its patterns), before any ask. A real turn's gate and {@code lathe debug permission} both call {@link #decide},
 * so the debug command shows exactly what a turn would do.
 *
 * <p>The request is held to every rule set at once (a subagent answers to its own and its parent's) and every pattern;
 * the strictest answer wins (deny &gt; ask &gt; allow), a tie keeping the first one found. A request whose patterns are
 * {@link Subject#COMMAND_LINES} is decided by what each line would really run ({@link PermissionDecider#commandLine}:
 * sub-commands, file operands, redirections), whatever its rule key — bash's or a tool's that declares a command;
 * other patterns by the rule that wins each ({@link Ruleset#winner}), {@code ask} when none does. A request with no
 * pattern is allowed. Writing a {@link ProtectedPaths protected path} ({@code edit} on {@code .git/hooks/**},
 * {@code .git/config}, {@code .lathe/**}, {@code lathe.json}, Lathe's config folder) is at least {@code ask}, whatever
 * the rules and "always" approvals say.
 */
public final class GateDecision {
    private GateDecision() {}

    /** What a request's patterns are, which says how they are decided. */
    public enum Subject {
        /** Shell command lines: split into simple commands, every one (and every file it touches) must pass. */
        COMMAND_LINES,
        /** Paths, URLs, names: each matched whole against the key's rules. */
        VALUES
    }

    /**
     * @param rulesets the rule sets the call is held to, "always" approvals already added
     * @param projectRoot the session's project folder (paths in bash lines are decided relative to it)
     * @param permission the rule key ({@code bash}, {@code read}, {@code edit}, {@code external_directory}, ...)
     * @param subject what {@code patterns} are: command lines or plain values
     * @param patterns the values matched against that key's patterns (commands, paths relative to the project, URLs)
     * @param workdir where a command line runs
     * @param protectedPaths Lathe's secrets (refused whatever the rules say) and the paths whose writing always asks
     */
    public static Decision decide(List<Ruleset> rulesets, Path projectRoot, String permission, Subject subject, List<String> patterns,
            Path workdir, ProtectedPaths protectedPaths) {
        Decision strictest = null;
        for (Ruleset ruleset : rulesets) {
            // only command lines need the analysis (it resolves the project's real path)
            var commands = subject == Subject.COMMAND_LINES ? new PermissionDecider(ruleset, projectRoot) : null;
            for (String pattern : patterns) {
                Decision d = switch (subject) {
                    case COMMAND_LINES -> commands.commandLine(permission, pattern, workdir);
                    case VALUES -> byRule(ruleset, permission, pattern);
                };
                if (strictest == null || d.action().ordinal() > strictest.action().ordinal()) strictest = d;
            }
        }
        if (subject == Subject.VALUES) {
            // Lathe's own secrets are refused to every tool, whatever the rules or an "always" answer say
            for (String pattern : patterns) {
                var secret = protectedPaths.secret(projectRoot, pattern);
                if (secret.isPresent()) return new Decision(Action.DENY, List.of(), SECRET_RULE, secret.get(), RuleOrigin.PROTECTED_PATH);
            }
        }
        if (subject == Subject.VALUES && (strictest == null || strictest.action() == Action.ALLOW)) {
            // protected paths ask whatever edit rules and "always" approvals say: no rule can pre-allow them
            for (String pattern : patterns) {
                var why = protectedPaths.reason(pattern);
                if (permission.equals(ProtectedPaths.WRITE_KEY) && why.isPresent()) {
                    return new Decision(Action.ASK, List.of(), PROTECTED_RULE, why.get() + "; writing it always asks", RuleOrigin.PROTECTED_PATH);
                }
            }
        }
        return strictest != null ? strictest : new Decision(Action.ALLOW, List.of(), "default", "nothing to check", RuleOrigin.NO_RULE);
    }

    /** The {@link Decision#rule} of a denial of one of Lathe's secrets ({@link ProtectedPaths#secret}). */
    public static final String SECRET_RULE = "lathe secret";

    /** The {@link Decision#rule} of an ask forced by {@link ProtectedPaths}. */
    public static final String PROTECTED_RULE = "protected path";

    /** "an edit rule", "a read rule", "an external_directory rule": the article goes by the key's first letter. */
    static String article(String word) {
        return !word.isEmpty() && "aeiouAEIOU".indexOf(word.charAt(0)) >= 0 ? "an" : "a";
    }

    private static Decision byRule(Ruleset ruleset, String permission, String pattern) {
        var winner = ruleset.winner(permission, pattern);
        return new Decision(winner.map(Rule::action).orElse(Action.ASK), List.of(), winner.map(Rule::text).orElse("default"),
                winner.isPresent() ? article(permission) + " " + permission + " rule matches" : "no rule matches " + permission + "; the default is ask",
                winner.map(Rule::origin).orElse(RuleOrigin.NO_RULE));
    }
}
