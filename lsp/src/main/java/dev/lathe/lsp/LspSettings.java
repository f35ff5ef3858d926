package dev.lathe.lsp;

import java.time.Duration;
import java.util.Map;

/**
 * What configuration says about language servers (DESIGN §14, §15): {@code enabled} is false for {@code "lsp": false};
 * {@code servers} are the config's entries by name, which add a server, override a built-in's fields or disable it;
 * {@code warnings} adds warnings to the errors reported after an edit; {@code diagnosticsWait} bounds how long an edit
 * waits for a server's diagnostics (DESIGN §18; config's {@code lsp.wait}; {@code wait} cannot name a record component:
 * it would hide {@code Object.wait()}).
 */
public record LspSettings(boolean enabled, Map<String, LspServerSpec> servers, boolean warnings, Duration diagnosticsWait) {
    public LspSettings {
        servers = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(servers));
    }
}
