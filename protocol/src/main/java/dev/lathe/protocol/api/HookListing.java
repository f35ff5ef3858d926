package dev.lathe.protocol.api;

import java.util.List;

/**
 * {@code GET /hooks}: the hooks that fire in a folder, in the order they run for an event (configuration order), and
 * the hooks an untrusted folder defines that were {@code skipped} until {@code lathe trust} (kind {@code hooks}, one
 * entry per file).
 */
public record HookListing(List<HookInfo> hooks, List<TrustInfo.Skipped> skipped) {
    public HookListing {
        hooks = hooks == null ? List.of() : List.copyOf(hooks);
        skipped = skipped == null ? List.of() : List.copyOf(skipped);
    }
}
