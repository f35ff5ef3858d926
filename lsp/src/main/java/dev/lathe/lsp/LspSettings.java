package dev.lathe.lsp;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What config gives (DESIGN §15, {@code lsp}): {@code enabled} ({@code "lsp": false} turns every server off),
 * {@code servers} by name in the order they are tried for an extension (the built-ins, with config's entries added,
 * overriding or disabling them), {@code warnings} (diagnostics after an edit show warnings too; errors only by
 * default), {@code diagnosticsWait} (how long an edit waits for its diagnostics, server start included; 10 s by default; config's
 * {@code wait}: a record component cannot be named {@code wait}, it would hide {@code Object.wait()}).
 */
public record LspSettings(boolean enabled, Map<String, LspServerSpec> servers, boolean warnings, Duration diagnosticsWait) {
    /** How long an edit waits for diagnostics unless config says otherwise (DESIGN §18). */
    public static final Duration DEFAULT_WAIT = Duration.ofSeconds(10);

    public LspSettings {
        Objects.requireNonNull(diagnosticsWait, "diagnosticsWait");
        if (diagnosticsWait.isNegative()) throw new IllegalArgumentException("lsp wait must not be negative: " + diagnosticsWait);
        // order matters (the first server found for an extension serves it): kept, not copied into Map.copyOf
        servers = Collections.unmodifiableMap(new LinkedHashMap<>(servers));
    }

    /** The built-in servers, errors only, the default wait. */
    public static LspSettings defaults() {
        return new LspSettings(true, BuiltinServers.table(), false, DEFAULT_WAIT);
    }

    /** No language server at all ({@code "lsp": false}). */
    public static LspSettings off() {
        return new LspSettings(false, Map.of(), false, DEFAULT_WAIT);
    }
}
