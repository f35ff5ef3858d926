package dev.lathe.protocol.api;

/**
 * One problem a language server reported in a file ({@code lsp.diagnostics}): {@code severity} ({@code ERROR},
 * {@code WARN}, {@code INFO}, {@code HINT}), 1-based {@code line} and {@code column} as the model sees them in
 * {@code read}, and the server's {@code message}.
 */
public record LspProblemInfo(String severity, int line, int column, String message) {}
