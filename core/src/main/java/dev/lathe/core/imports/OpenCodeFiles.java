package dev.lathe.core.imports;

import dev.lathe.protocol.SessionId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;

/**
 * OpenCode's storage before version 1.2 moved it into {@code opencode.db}: one JSON file per record under
 * {@code $XDG_DATA_HOME/opencode/storage/} — {@code session/PROJECT/SESSION.json} (id, directory, title, parentID,
 * time), {@code message/SESSION/MESSAGE.json} and {@code part/MESSAGE/PART.json}, the same shapes the database keeps in
 * its {@code data} columns. Messages are read in the order they were made, parts by id (OpenCode's ids sort by time).
 * A file that is not JSON is reported and skipped; the others are read.
 */
final class OpenCodeFiles {
    private final Path storage;
    private final List<String> problems;

    OpenCodeFiles(Path storage, List<String> problems) {
        this.storage = storage;
        this.problems = problems;
    }

    /** Every session file, oldest first; none when there is no such storage. */
    List<OpenCodeHistory.Row> sessions() throws IOException {
        Path sessions = storage.resolve("session");
        if (!Files.isDirectory(sessions)) return List.of();
        record Found(OpenCodeHistory.Row row, long created) {}
        List<Found> found = new ArrayList<>();
        for (Path f : jsonFiles(sessions, 2)) {
            JsonNode s = read(f, problems);
            if (s == null || !s.path("id").isString()) continue;
            found.add(new Found(new OpenCodeHistory.Row(s.path("id").asString(), s.path("parentID").asString(""), s.path("directory").asString(""),
                    s.path("title").asString("")), s.path("time").path("created").asLong(0)));
        }
        return found.stream().sorted(Comparator.comparingLong(Found::created).thenComparing(f -> f.row().id())).map(Found::row).toList();
    }

    /** One session's messages and their parts. */
    Transcript read(OpenCodeHistory.Row row, Optional<SessionId> parent) {
        List<String> mine = new ArrayList<>();
        TranscriptBuilder b = null;
        int skipped = 0;
        try {
            record Message(String id, long at, JsonNode body) {}
            List<Message> messages = new ArrayList<>();
            for (Path f : jsonFiles(storage.resolve("message").resolve(row.id()), 1)) {
                JsonNode m = read(f, mine);
                if (m != null) messages.add(new Message(m.path("id").asString(f.getFileName().toString().replaceFirst("\\.json$", "")),
                        m.path("time").path("created").asLong(0), m));
            }
            messages.sort(Comparator.comparingLong(Message::at).thenComparing(Message::id));
            for (Message m : messages) {
                List<JsonNode> parts = new ArrayList<>();
                for (Path f : jsonFiles(storage.resolve("part").resolve(m.id()), 1)) {
                    JsonNode p = read(f, mine);
                    if (p != null) parts.add(p);
                }
                if (b == null) b = new TranscriptBuilder(new ImportIds(OpenCodeHistory.SOURCE, row.id()), m.at(), "opencode/unknown");
                skipped += OpenCodeHistory.message(b, m.id(), m.at(), m.body(), parts);
            }
        } catch (IOException e) {
            mine.add(storage + ": " + row.id() + ": " + e.getMessage());
        }
        problems.addAll(mine);
        return OpenCodeHistory.transcript(b, row, storage.resolve("session"), parent, skipped);
    }

    /** The {@code .json} files {@code depth} levels below {@code dir}, by name (none when it does not exist). */
    private static List<Path> jsonFiles(Path dir, int depth) throws IOException {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.walk(dir, depth)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".json") && Files.isRegularFile(p)).sorted().toList();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static JsonNode read(Path file, List<String> problems) {
        try {
            return JsonLines.document(file, problems).map(json -> OpenCodeHistory.parse(json, file.toString(), problems)).orElse(null);
        } catch (IOException e) {
            problems.add(file + ": " + e.getMessage() + "; skipped");
            return null;
        }
    }
}
