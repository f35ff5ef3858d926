package dev.lathe.core.permission;

import dev.lathe.core.permission.bash.ReadOnlyCommands;
import java.util.List;

/**
 * {@code permission} is a tool key ({@code bash}, {@code edit}, …) or {@code *} for every key; {@code origin} is the
 * layer (and file) it was written in, so a decision can say where the rule that made it came from. {@code onlyReadOnly}
 * marks an entry of a read-only command list ({@link #readOnlyCommands}): it allows a command only when
 * {@code ReadOnlyCommands} judges the command read-only, and for any other the remaining rules decide.
 */
public record Rule(String permission, String pattern, Action action, RuleOrigin origin, boolean onlyReadOnly) {
    public Rule(String permission, String pattern, Action action, RuleOrigin origin) {
        this(permission, pattern, action, origin, false);
    }

    /**
     * A rule whose origin is not stated yet: an agent's rules (built-in or from an agent file) get the agent's when the
     * {@code Agent} is made; otherwise only tests and benchmarks build them.
     */
    public Rule(String permission, String pattern, Action action) {
        this(permission, pattern, action, RuleOrigin.UNSTATED);
    }

    /** This rule as written in {@code from}. */
    public Rule from(RuleOrigin from) {
        return new Rule(permission, pattern, action, from, onlyReadOnly);
    }

    /**
     * The read-only command list: one {@code bash} allow rule per program {@code ReadOnlyCommands} knows, each allowing
     * only what it judges read-only. The one way code declares such a list (a rule test holds every other to it).
     */
    public static List<Rule> readOnlyCommands() {
        return ReadOnlyCommands.patterns().stream().map(p -> new Rule("bash", p, Action.ALLOW, RuleOrigin.UNSTATED, true)).toList();
    }

    /** {@code bash: git status *}: how a decision names its rule. */
    public String text() {
        return permission + ": " + pattern;
    }
}
