package dev.lathe.core.toolcall;

/**
 * Seam that sees every call once it ended, with its verdict ({@link AuditRecord}), whatever the outcome — including
 * calls refused before they ran. Must not throw and should be quick: it runs on the call's thread before its part is
 * stored. {@link #NONE} records nothing.
 */
@FunctionalInterface
public interface AuditLog {
    void record(AuditRecord entry);

    AuditLog NONE = _ -> {};
}
