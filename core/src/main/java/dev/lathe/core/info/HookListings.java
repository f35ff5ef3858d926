package dev.lathe.core.info;

import dev.lathe.core.config.Config;
import dev.lathe.core.hooks.Hook;
import dev.lathe.core.hooks.HookHandler;
import dev.lathe.core.trust.Withheld;
import dev.lathe.protocol.api.HookInfo;
import dev.lathe.protocol.api.HookListing;
import dev.lathe.protocol.api.TrustInfo;

/**
 * A folder's effective hooks as {@code GET /hooks} and {@code lathe hooks} answer them: {@link Config#hooks()} (every
 * layer's, Claude Code's and Codex's files and plugins' included), and what an untrusted folder's files defined that
 * was skipped.
 */
public final class HookListings {
    private HookListings() {}

    public static HookListing of(Config config) {
        return of(config, java.util.List.of());
    }

    /** The hooks of {@code config}, then {@code pluginHooks} (the Java plugins', which fire after them). */
    public static HookListing of(Config config, java.util.List<Hook> pluginHooks) {
        return new HookListing(java.util.stream.Stream.concat(config.hooks().stream(), pluginHooks.stream()).map(HookListings::info).toList(),
                config.withheldOf(Withheld.Kind.HOOKS).stream()
                        .map(w -> new TrustInfo.Skipped(w.kind().id(), w.count(), w.source(), w.items(), w.message())).toList());
    }

    static HookInfo info(Hook hook) {
        String type = switch (hook.handler()) {
            case HookHandler.Command _ -> "command";
            case HookHandler.Http _ -> "http";
            case HookHandler.Java _ -> "plugin";
        };
        return new HookInfo(hook.event().wire(), hook.matcher().written(), type, hook.handler().shown(), hook.source().file());
    }
}
