package dev.lathe.protocol.api;

/** Body of {@code PUT /auth/{provider}}: the key to store (owner-only file, never echoed, never logged). */
public record AuthRequest(String key) {
    /** Hides the key. */
    @Override public String toString() { return "AuthRequest[key=***]"; }
}
