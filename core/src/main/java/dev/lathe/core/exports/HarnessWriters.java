package dev.lathe.core.exports;

import dev.lathe.protocol.api.HarnessExportResult;
import dev.lathe.protocol.api.HistoryImportRequest;
import dev.lathe.protocol.api.LatheException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;

/** Picks the writer of the harness an export names and the project folder it writes the session for. */
public final class HarnessWriters {
    private HarnessWriters() {}

    /**
     * @param directory the project folder in the other harness (absolute; the session's own when empty)
     * @param where     the asking user's variables that say where each harness keeps its files
     * @throws LatheException.InvalidInput naming the cause when the harness is unknown, the folder is not one, the other
     *                                     harness has no storage or does not know the folder, or its storage cannot be written
     */
    public static HarnessExportResult write(String to, ExportSource source, Optional<String> directory, HistoryImportRequest.Locations where) {
        if (!to.equals(ClaudeCodeWriter.NAME) && !to.equals(OpenCodeWriter.NAME)) {
            throw new LatheException.InvalidInput("cannot export to '" + to + "': --to takes claude-code or opencode");
        }
        Path folder = folder(directory.orElse(source.session().directory()));
        return to.equals(ClaudeCodeWriter.NAME) ? ClaudeCodeWriter.write(source, folder, where) : OpenCodeWriter.write(source, folder, where);
    }

    /** The folder's real path (what the other harness sees as its working folder once started there). */
    private static Path folder(String directory) {
        try {
            Path dir = Path.of(directory);
            if (!dir.isAbsolute()) throw new LatheException.InvalidInput("--dir must be an absolute folder, not " + directory);
            if (!Files.isDirectory(dir)) throw new LatheException.InvalidInput(directory + " is not a folder");
            return dir.toRealPath();
        } catch (InvalidPathException | IOException e) {
            throw new LatheException.InvalidInput(directory + " is not a folder: " + e.getMessage());
        }
    }
}
