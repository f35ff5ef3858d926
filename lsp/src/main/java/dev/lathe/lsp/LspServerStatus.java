package dev.lathe.lsp;

import java.util.Optional;

/** One server of a project now: its {@code name}, {@code state}, the {@code command} it runs, its last error if any. */
public record LspServerStatus(String name, String state, String command, Optional<String> lastError) {}
