package dev.lathe.core.imports;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import tools.jackson.core.JacksonException;
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
        var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
        try (BufferedReader in = new BufferedReader(new java.io.InputStreamReader(Files.newInputStream(file), decoder), 1 << 16)) {
            String line;
            int n = 0;
            while ((line = in.readLine()) != null) {
                n++;
                if (line.isBlank()) continue;
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
