package dev.lathe.core.imports;

import dev.lathe.tools.FileGateway;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A JSON-lines file read one line at a time (a 50 MB transcript is never held whole): each line that parses goes to
 * the handler with its number; one that does not (a file cut short by a crash, a half-written last line), or one longer
 * than {@link BoundedLines#MAX_RECORD_BYTES} (never held: issue 52), is reported as {@code FILE:LINE} and skipped, and
 * reading goes on.
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
     * As {@link #read(Path, List, Handler)}, but a line whose kind ({@link #skippable}: its {@code type}, made more
     * precise by a nested one) {@code skip} accepts is passed over without being made into a tree: its fields are only scanned (most of a Claude Code file is bookkeeping records,
     * large ones, that an import has no use for). {@code skip} is asked once per such line; it counts what it skips.
     */
    static void read(Path file, List<String> problems, Predicate<String> skip, Handler handler) throws IOException {
        read(file, BoundedLines.MAX_RECORD_BYTES, problems, skip, handler);
    }

    /** As {@link #read(Path, List, Predicate, Handler)} with a line longer than {@code cap} bytes skipped and reported. */
    static void read(Path file, int cap, List<String> problems, Predicate<String> skip, Handler handler) throws IOException {
        read(file, cap, BoundedLines.MAX_FILE_BYTES, problems, skip, handler);
    }

    /**
     * As {@link #read(Path, int, List, Predicate, Handler)}, reading at most {@code maxFile} bytes of the file: a larger
     * file (or a FIFO, a device) is refused by the gateway and reported, and one that grows past it while it is read is
     * cut there and reported; neither throws, so the other sessions of an import go on.
     */
    static void read(Path file, int cap, long maxFile, List<String> problems, Predicate<String> skip, Handler handler) throws IOException {
        FileGateway.Opened opened;
        try {
            opened = FileGateway.anywhere().open(file, maxFile);
        } catch (FileGateway.Refused e) {
            problems.add(e.getMessage() + "; skipped");
            return;
        }
        try (var lines = new BoundedLines(opened.in(), cap)) {
            each(file, lines, cap, problems, skip, handler);
        } catch (FileGateway.Refused e) {
            problems.add(e.getMessage() + "; the records after that point were not read");
        }
    }

    private static void each(Path file, BoundedLines lines, int cap, List<String> problems, Predicate<String> skip, Handler handler) throws IOException {
        Optional<BoundedLines.Line> next;
        while ((next = lines.next()).isPresent()) {
            int n = (int) next.get().number();
            if (next.get().text().isEmpty()) {
                problems.add(file + ":" + n + ": a record longer than " + BoundedLines.shown(cap) + "; skipped");
                continue;
            }
            String line = next.get().text().get();
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

    /**
     * A whole JSON file (OpenCode's, a subagent's metadata) when it holds at most {@link BoundedLines#MAX_RECORD_BYTES},
     * else empty with the reason in {@code problems}; an unreadable file throws.
     */
    static Optional<String> document(Path file, List<String> problems) throws IOException {
        // the gateway's one handle: a FIFO or a device is refused, not waited on; the cap is BoundedLines'
        try (var in = FileGateway.anywhere().open(file).in()) {
            Optional<String> text = BoundedLines.document(in, BoundedLines.MAX_RECORD_BYTES);
            if (text.isEmpty()) problems.add(file + ": longer than " + BoundedLines.shown(BoundedLines.MAX_RECORD_BYTES) + "; skipped");
            return text;
        }
    }

    /**
     * Whether the line is an object whose kind {@code skip} accepts; false for anything unreadable. The kind is the
     * top-level {@code type}, followed by {@code /} and the {@code type} of the object named like it when that object
     * came first and opens with its {@code type} (Claude Code's {@code {"attachment":{"type":"file",…},"type":"attachment"}}
     * is {@code attachment/file}), so a reader can keep one kind of a record type and pass over the rest unparsed.
     */
    private static boolean skippable(String line, Predicate<String> skip) {
        try (JsonParser p = JSON.createParser(line)) {
            if (p.nextToken() != JsonToken.START_OBJECT) return false;
            java.util.Map<String, String> inner = null;
            while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (name.equals("type")) {
                    if (value != JsonToken.VALUE_STRING) return false;
                    String type = p.getString();
                    String detail = inner == null ? null : inner.get(type);
                    return skip.test(detail == null ? type : type + "/" + detail);
                }
                if (value == JsonToken.START_OBJECT) {
                    String detail = leadingType(p);
                    if (detail != null) {
                        if (inner == null) inner = new java.util.HashMap<>(4);
                        inner.put(name, detail);
                    }
                } else {
                    p.skipChildren();
                }
            }
            return false;
        } catch (JacksonException e) {
            return false;  // the full parse reports it
        }
    }

    /** The {@code type} an object opens with, or null; reads the object to its end, its other values skipped unparsed. */
    private static String leadingType(JsonParser p) {
        if (p.nextToken() != JsonToken.PROPERTY_NAME) return null;  // {}
        String first = p.currentName();
        JsonToken value = p.nextToken();
        String type = first.equals("type") && value == JsonToken.VALUE_STRING ? p.getString() : null;
        p.skipChildren();
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            p.nextToken();
            p.skipChildren();
        }
        return type;
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
