package dev.lathe.llm;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Loads the recorded provider responses bundled under {@code fixtures/providers/} and their manifest. */
public final class Fixtures {
    public static final JsonMapper JSON = JsonMapper.builder().build();

    /** One manifest entry. */
    public record Entry(String file, String protocol, String format, List<String> features) {
        public boolean has(String feature) { return features.contains(feature); }

        @Override public String toString() { return file; }
    }

    private Fixtures() {}

    /** Every protocol the manifest files recordings under, {@code other} (protocols Lathe does not speak) included. */
    public static java.util.Set<String> protocols() {
        java.util.Set<String> out = new java.util.TreeSet<>();
        for (JsonNode f : JSON.readTree(read("manifest.json")).path("files")) out.add(f.path("protocol").asString());
        return out;
    }

    public static List<Entry> entries(String protocol) {
        List<Entry> out = new ArrayList<>();
        for (JsonNode f : JSON.readTree(read("manifest.json")).path("files")) {
            if (!f.path("protocol").asString().equals(protocol)) continue;
            List<String> features = new ArrayList<>();
            f.path("features").forEach(n -> features.add(n.asString()));
            out.add(new Entry(f.path("file").asString(), protocol, f.path("format").asString(), features));
        }
        return out;
    }

    public static String read(String relative) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/fixtures/providers/" + relative)) {
            if (in == null) throw new IllegalArgumentException("no fixture " + relative);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every streamed response in a fixture, each as its SSE {@code data:} payloads in order. */
    public static List<List<String>> streams(Entry entry) {
        String text = read(entry.file());
        List<List<String>> out = new ArrayList<>();
        if (entry.format().startsWith("jsonl-events")) {
            out.addAll(splitResponses(text.lines().filter(l -> !l.isBlank()).toList()));
        } else if (entry.format().startsWith("raw-sse")) {
            out.addAll(splitResponses(dataOf(text)));
        } else if (entry.format().startsWith("vcr-cassette-json")) {
            for (JsonNode i : JSON.readTree(text).path("interactions")) {
                String body = i.path("response").path("body").asString("");
                if (body.contains("data:")) out.add(dataOf(body));
            }
        }
        return out;
    }

    /**
     * Some recordings hold several responses back to back: a chat chunk with a new {@code id} after a finish reason,
     * or an Anthropic {@code message_start} after {@code message_stop}, starts the next one.
     */
    static List<List<String>> splitResponses(List<String> data) {
        List<List<String>> out = new ArrayList<>();
        List<String> current = new ArrayList<>();
        String id = "";
        boolean finished = false;
        for (String d : data) {
            JsonNode n = d.strip().startsWith("{") ? JSON.readTree(d) : JSON.createObjectNode();
            String type = n.path("type").asString("");
            String chunkId = n.path("id").asString("");
            boolean startsNew = finished && (type.equals("message_start") || (!chunkId.isEmpty() && !chunkId.equals(id)));
            if (startsNew && !current.isEmpty()) {
                out.add(current);
                current = new ArrayList<>();
                finished = false;
            }
            current.add(d);
            if (!chunkId.isEmpty() && type.isEmpty()) id = chunkId;
            if (type.equals("message_stop") || n.path("choices").path(0).path("finish_reason").isString()) finished = true;
        }
        if (!current.isEmpty()) out.add(current);
        return out;
    }

    /** The recorded request bodies of a cassette, in order. */
    public static List<JsonNode> requests(Entry entry) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode i : JSON.readTree(read(entry.file())).path("interactions")) out.add(JSON.readTree(i.path("request").path("body").asString()));
        return out;
    }

    private static List<String> dataOf(String sse) {
        var parser = new dev.lathe.llm.sse.SseParser();
        List<String> out = new ArrayList<>();
        for (String line : sse.split("\r?\n", -1)) parser.line(line).ifPresent(e -> out.add(e.data()));
        parser.finish().ifPresent(e -> out.add(e.data()));
        return out;
    }
}
