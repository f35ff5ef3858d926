package dev.lathe.core.toolcall;

/**
 * One call as the audit seam sees it: which session and call, which tool (as named by the caller, possibly unknown),
 * who made it, how it ended and why ({@code detail}: the error, the hook's or the rule's reason; empty when it
 * completed), and when it started and ended (epoch milliseconds).
 */
public record AuditRecord(String sessionId, String callId, String tool, Origin origin, Verdict verdict, String detail, long startedAt,
        long endedAt) {
    /** How a call ended. */
    public enum Verdict {
        /** The tool ran and returned a result. */
        COMPLETED,
        /** Refused before it ran: unknown or not offered tool, invalid arguments. */
        INVALID,
        /** A pre-call hook blocked it. */
        BLOCKED,
        /** A permission rule or the user refused it. */
        REJECTED,
        /** The tool failed with an error the model can act on. */
        FAILED,
        /** The tool crashed (an internal error). */
        CRASHED
    }
}
