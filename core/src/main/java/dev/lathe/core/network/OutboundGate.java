package dev.lathe.core.network;

import java.net.URI;

/**
 * The network policy of one project instance, consulted by each outbound path before it opens a connection: a refusal
 * is recorded in {@code blocked} under {@code folder} (once per folder, host and purpose) and the caller reports
 * {@link #refusal} in its own way (a model error, a tool failure the model reads, a server left out).
 */
public record OutboundGate(NetworkPolicy policy, String folder, BlockedConnections blocked) {
    /** Everything allowed, nothing recorded (a caller outside any project, tests). */
    public static final OutboundGate OPEN = new OutboundGate(NetworkPolicy.OPEN, "", BlockedConnections.inMemory());

    /** Whether {@code purpose} may connect to {@code target} now; a refusal is recorded. */
    public boolean allows(Purpose purpose, URI target) {
        if (policy.allows(purpose, target)) return true;
        blocked.record(folder, purpose, target);
        return false;
    }

    public boolean isLocal() { return policy.isLocal(); }

    public String refusal(Purpose purpose, URI target) { return NetworkPolicy.refusal(purpose, target); }
}
