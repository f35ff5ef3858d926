package dev.lathe.core.permission;

/**
 * {@code permission} is a tool key ({@code bash}, {@code edit}, …) or {@code *} for every key; {@code origin} is the
 * layer (and file) it was written in, so a decision can say where the rule that made it came from.
 */
public record Rule(String permission, String pattern, Action action, RuleOrigin origin) {
    /**
     * A rule whose origin is not stated yet: an agent's rules (built-in or from an agent file) get the agent's when the
     * {@code Agent} is made; otherwise only tests and benchmarks build them.
     */
    public Rule(String permission, String pattern, Action action) {
        this(permission, pattern, action, RuleOrigin.UNSTATED);
    }

    /** This rule as written in {@code from}. */
    public Rule from(RuleOrigin from) {
        return new Rule(permission, pattern, action, from);
    }

    /** {@code bash: git status *}: how a decision names its rule. */
    public String text() {
        return permission + ": " + pattern;
    }
}
