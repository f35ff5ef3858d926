package dev.lathe.core.audit;

import java.util.Map;

/**
 * One entry before it is chained: what happened ({@code kind}), when (epoch milliseconds), in which session and call,
 * and the kind's own fields (strings and string lists only: names, verdicts, rules, patterns — never tool output).
 */
record AuditEntry(Kind kind, long time, String session, String callId, Map<String, Object> fields) {
    AuditEntry {
        fields = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(fields));
    }

    enum Kind {
        /** A tool call ended (the pipeline's record). */
        CALL,
        /** The rules decided a permission request. */
        DECISION,
        /** An ask was answered. */
        ANSWER,
        /** Auto-approval's classifier decided an ask (DESIGN §31): decision, reason, model, tokens, cost, duration. */
        AUTO,
        /** The OS sandbox refused to run a command (it could not contain it). */
        REFUSAL,
        /** A hook handler ran (DESIGN §14): event, handler, source file, exit, duration, decision. */
        HOOK,
        /** A request's client environment was ignored: it came from a team account, not the node's own user (DESIGN §26). */
        ENVIRONMENT,
        /** Seals a torn line left by an interrupted write. */
        TORN,
        /** The writer found the log shorter than its anchor ({@link AuditHead}): recorded so the next anchor does not hide it. */
        CUT;

        String wire() { return name().toLowerCase(java.util.Locale.ROOT); }
    }
}
