package dev.lathe.core.permission;

import java.util.Locale;

/**
 * Where what decided a permission request came from: the layer of a rule (DESIGN §10: built-in defaults &lt; global
 * &lt; project &lt; agent &lt; "always" approvals, the managed policy over all) and, where there is one, its file or
 * name ({@code source}: {@code ~/.config/lathe/lathe.json}, {@code /repo/.lathe/lathe.json},
 * {@code LATHE_CONFIG_CONTENT}, {@code agent plan (built-in)}); or, for a decision no rule made, the gate itself: a
 * protected path, the analysis of a command (the source is its finding, {@code environment prefix PYTHONPATH}), or no
 * matching rule.
 */
public record RuleOrigin(Layer layer, String source) {
    /** The layers, lowest first, then what decides without a rule. */
    public enum Layer {
        /** Lathe's built-in defaults. */
        DEFAULTS,
        /** The user's global config. */
        GLOBAL,
        /** The project's {@code lathe.json} or {@code .lathe/lathe.json}. */
        PROJECT,
        /** {@code LATHE_CONFIG} (a file) or {@code LATHE_CONFIG_CONTENT} (inline JSON). */
        ENVIRONMENT,
        /** The agent's own permission layer (built-in, an agent file, or the config's {@code agent} section). */
        AGENT,
        /** An "always" answer to an ask, kept for the project or for one session. */
        APPROVAL,
        /** The managed policy: over every other layer. */
        MANAGED,
        /** Not a rule: writing a protected path always asks. */
        PROTECTED_PATH,
        /** Not a rule: the command's analysis found something that must ask (the source says what). */
        ANALYSIS,
        /** Not a rule: none matched, so the default answer applies. */
        NO_RULE,
        /** A rule built by hand whose origin was not given (tests, benchmarks; an agent stamps its own). */
        UNSTATED;

        /** The name in the audit log and {@code lathe debug permission}: {@code project}, {@code protected-path}, … */
        public String wire() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** Of a rule built by hand. */
    public static final RuleOrigin UNSTATED = new RuleOrigin(Layer.UNSTATED, "");

    /** Of a decision no rule matched. */
    public static final RuleOrigin NO_RULE = new RuleOrigin(Layer.NO_RULE, "no rule matched");

    /** Of an "always" approval. */
    public static final RuleOrigin APPROVAL = new RuleOrigin(Layer.APPROVAL, "\"always\" answer");

    /** Of the ask forced on a protected path. */
    public static final RuleOrigin PROTECTED_PATH = new RuleOrigin(Layer.PROTECTED_PATH, "protected path");

    /** Of an answer the command's analysis forced, for {@code finding} ({@code environment prefix PYTHONPATH}). */
    public static RuleOrigin analysis(String finding) {
        return new RuleOrigin(Layer.ANALYSIS, finding);
    }

    /** Of the rules of the agent {@code agent}, defined in {@code where} ({@code built-in}, a file). */
    public static RuleOrigin agent(String agent, String where) {
        return new RuleOrigin(Layer.AGENT, "agent " + agent + " (" + where + ")");
    }
}
