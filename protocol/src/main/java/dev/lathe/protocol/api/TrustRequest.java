package dev.lathe.protocol.api;

import java.util.List;

/**
 * Body of {@code PUT /trust}: the user's answer for the folder; {@code true} trusts it (its definitions apply from the
 * next prompt), {@code false} keeps it untrusted and records that it was asked. {@code lathe trust --revoke} is the way
 * back to "never asked".
 *
 * <p>{@code approve}: the {@link TrustInfo.Item#hash}es of the pending items the question showed. Only what was shown
 * is approved: an item that changed between the question and the answer (or appeared meanwhile) stays withheld and is
 * asked about again. Absent: everything the folder defines at the moment of the answer ({@code lathe trust}).
 */
public record TrustRequest(Boolean trusted, List<String> approve) {
    public TrustRequest {
        approve = approve == null ? null : List.copyOf(approve);
    }

    public TrustRequest(Boolean trusted) {
        this(trusted, null);
    }
}
