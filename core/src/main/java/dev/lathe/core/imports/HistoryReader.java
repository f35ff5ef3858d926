package dev.lathe.core.imports;

import dev.lathe.protocol.api.HistoryImportRequest.Locations;
import dev.lathe.protocol.api.LatheException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** One harness's session files, read into Lathe's records. */
sealed interface HistoryReader permits ClaudeCodeHistory, CodexHistory, OpenCodeHistory {
    /** The name {@code lathe import --from} takes. */
    String source();

    /** The folder (or database) the harness keeps its sessions in, from the client's variables. */
    Path root(Locations locations);

    /**
     * Hands each session under {@code root} to {@code out}, one at a time (so memory holds one session, never all);
     * {@code directory}, when given, lets a reader skip files of other folders without reading them. Problems go to
     * {@code problems} as {@code FILE:LINE: what}; none stops the others.
     */
    void each(Path root, Optional<Path> directory, Consumer<Transcript> out, List<String> problems) throws IOException;

    List<String> SOURCES = List.of("claude-code", "opencode", "codex");

    static HistoryReader of(String source) {
        return switch (source == null ? "" : source) {
            case "claude-code" -> new ClaudeCodeHistory();
            case "opencode" -> new OpenCodeHistory();
            case "codex" -> new CodexHistory();
            default -> throw new LatheException.InvalidInput("unknown source '" + source + "'; expected one of " + String.join(", ", SOURCES));
        };
    }

    /** The user's home folder as the client sees it. */
    static Path home(Locations l) {
        return Path.of(l.home().orElseGet(() -> System.getProperty("user.home")));
    }
}
