package dev.lathe.tools.builtin.patch;

import java.util.List;
import java.util.Optional;

/** A parsed {@code *** Begin Patch} document: file changes in the order they were written. */
public record Patch(List<FileChange> changes) {
    public Patch {
        changes = List.copyOf(changes);
    }

    /** One file's part of the patch; paths are as written (absolute or relative to the project). */
    public sealed interface FileChange {
        String path();

        record Add(String path, String content) implements FileChange {}

        record Delete(String path) implements FileChange {}

        record Update(String path, Optional<String> moveTo, List<Hunk> hunks) implements FileChange {
            public Update {
                hunks = List.copyOf(hunks);
            }
        }
    }

    /**
     * One {@code @@} section: {@code oldLines} (context and removed lines) become {@code newLines} (context and added
     * lines). {@code header} is the optional text after {@code @@}, a line (e.g. a method signature) to find before
     * the context; {@code endOfFile} says the context ends at the end of the file.
     */
    public record Hunk(String header, List<String> oldLines, List<String> newLines, boolean endOfFile) {
        public Hunk {
            oldLines = List.copyOf(oldLines);
            newLines = List.copyOf(newLines);
        }
    }
}
