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
     * One {@code @@} section, its lines in order: context and removed lines are what the file must contain, context
     * and added lines what it will contain. {@code header} is the optional text after {@code @@}, a line (e.g. a
     * method signature) to find before the context; {@code endOfFile} says the context ends at the end of the file.
     */
    public record Hunk(String header, List<Line> lines, boolean endOfFile) {
        public Hunk {
            lines = List.copyOf(lines);
        }

        public List<String> oldLines() { return lines.stream().filter(l -> l.kind() != Kind.ADDED).map(Line::text).toList(); }

        public List<String> newLines() { return lines.stream().filter(l -> l.kind() != Kind.REMOVED).map(Line::text).toList(); }
    }

    public enum Kind { CONTEXT, REMOVED, ADDED }

    public record Line(Kind kind, String text) {}
}
