package dev.lathe.lsp;

/** One problem a server reported: {@code severity} ({@code ERROR}, {@code WARN}, ...), 1-based {@code line} and {@code column}. */
public record LspProblem(String severity, int line, int column, String message) {}
