package dev.lathe.core.imports;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A JSON-lines file read one line at a time (a 50 MB transcript is never held whole): each line that parses goes to
 * the handler with its number; one that does not (a file cut short by a crash, a half-written last line) is reported
 * as {@code FILE:LINE} and skipped, and reading goes on.
 */
final class JsonLines {
    static final JsonMapper JSON = JsonMapper.builder().build();

    interface Handler {
        void line(int number, JsonNode record);
    }

    private JsonLines() {}

    static void read(Path file, List<String> problems, Handler handler) throws IOException {
        read(file, problems, _ -> false, handler);
    }

    /**
     * As {@link #read(Path, List, Handler)}, but a line whose top-level {@code type} {@code skip} accepts is passed over
     * without being made into a tree: its fields are only scanned (most of a Claude Code file is bookkeeping records,
     * large ones, that an import has no use for). {@code skip} is asked once per such line; it counts what it skips.
     */
    static void read(Path file, List<String> problems, Predicate<String> skip, Handler handler) throws IOException {
        var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
        try (BufferedReader in = new BufferedReader(new java.io.InputStreamReader(Files.newInputStream(file), decoder), 1 << 16)) {
            String line;
            int n = 0;
            while ((line = in.readLine()) != null) {
                n++;
                if (line.isBlank()) continue;
                if (skippable(line, skip)) continue;
                JsonNode node;
                try {
                    node = JSON.readTree(line);
                } catch (JacksonException e) {
                    problems.add(file + ":" + n + ": not a complete JSON record (the file may be cut short); skipped");
                    continue;
                }
                if (node == null || !node.isObject()) {
                    problems.add(file + ":" + n + ": not a JSON object; skipped");
                    continue;
                }
                handler.line(n, node);
            }
        }
    }

    /** Whether the line is an object whose top-level {@code type} {@code skip} accepts; false for anything unreadable. */
    private static boolean skippable(String line, Predicate<String> skip) {
        try (JsonParser p = JSON.createParser(line)) {
            if (p.nextToken() != JsonToken.START_OBJECT) return false;
            while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (name.equals("type")) return value == JsonToken.VALUE_STRING && skip.test(p.getString());
                p.skipChildren();
            }
            return false;
        } catch (JacksonException e) {
            return false;  // the full parse reports it
        }
    }

    /** Epoch millis of an ISO-8601 time, or {@code fallback} when absent or unreadable. */
    static long millis(JsonNode time, long fallback) {
        if (time == null || !time.isString()) return fallback;
        try {
            return java.time.Instant.parse(time.asString()).toEpochMilli();
        } catch (java.time.format.DateTimeParseException e) {
            return fallback;
        }
    }
}
