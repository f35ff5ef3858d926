package dev.lathe.protocol.api;

import java.util.List;

/**
 * What {@code lathe export --to} wrote: the other harness's new session {@code id}, the project {@code directory} it
 * belongs to there, the {@code file} written (Claude Code's transcript, OpenCode's database), the shell command that
 * continues it ({@code resume}), and, one line each, what the other harness's format could not carry
 * ({@code notCarried}; empty when everything was).
 */
public record HarnessExportResult(String to, String id, String directory, String file, String resume, List<String> notCarried) {
    public HarnessExportResult {
        notCarried = notCarried == null ? List.of() : List.copyOf(notCarried);
    }
}
