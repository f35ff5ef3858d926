package dev.lathe.protocol.api;

import java.util.Optional;

/**
 * Body of {@code POST /sessions/{id}/export/harness} ({@code lathe export ID --to claude-code|opencode [--dir DIR]},
 * DESIGN §27): which harness's own storage to write the session into ({@code to}: {@code claude-code} or
 * {@code opencode}), the project folder it continues in there ({@code directory}, absolute; the session's own folder
 * when absent), and the client's variables that say where that harness keeps its files ({@code locations}), so the
 * server writes the storage of the user who asked.
 */
public record HarnessExportRequest(String to, Optional<String> directory, HistoryImportRequest.Locations locations) {
    public HarnessExportRequest {
        directory = directory == null ? Optional.empty() : directory;
        locations = locations == null ? HistoryImportRequest.Locations.NONE : locations;
    }
}
