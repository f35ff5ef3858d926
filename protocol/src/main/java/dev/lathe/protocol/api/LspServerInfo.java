package dev.lathe.protocol.api;

import java.util.Optional;

/**
 * One language server of a folder ({@code GET /lsp}, the {@code lsp.status} event): its {@code name}, its {@code state}
 * ({@code starting}, {@code running}, {@code failed}, {@code stopped}, ... as the LSP client names them), the
 * {@code command} it runs, and the {@code error} that last stopped it, if any.
 */
public record LspServerInfo(String name, String state, String command, Optional<String> error) {}
