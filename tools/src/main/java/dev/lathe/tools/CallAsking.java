package dev.lathe.tools;

/**
 * Which tool call a {@link PermissionCheck} is for: the tool's name, its arguments as they run (after any hook's
 * rewrite) and what the pre-call hooks said about asking the user. The tool-call pipeline puts it on every check the
 * call's tool makes, so it reaches the permission gate through whatever wraps the gate (the network policy, a
 * sandbox): nothing between them needs to know about it, and nobody finds the gate by its type.
 */
public record CallAsking(String tool, String argsJson, Hook hook) {
    /** A check made outside a tool call (or before this was put on checks): no tool, no arguments, the rules decide. */
    public static final CallAsking NONE = new CallAsking("", "{}", Hook.AS_RULES_SAY);

    /** What the pre-call hooks said about asking the user for a call (Claude Code's {@code permissionDecision} allow/ask). */
    public enum Hook {
        /** Nothing: the rules decide. */
        AS_RULES_SAY,
        /** No need to ask: a call the rules would ask for runs (a deny rule still denies). */
        ALLOW,
        /** Ask the user even when the rules allow (a deny rule still denies). */
        ASK;

        /** The stronger of two hooks' answers: asking wins over allowing. */
        public Hook and(Hook other) { return compareTo(other) >= 0 ? this : other; }
    }
}
