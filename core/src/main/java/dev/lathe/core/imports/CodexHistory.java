package dev.lathe.core.imports;

import dev.lathe.protocol.api.HistoryImportRequest.Locations;
import dev.lathe.protocol.session.Attachment;
import dev.lathe.protocol.session.Usage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Codex CLI's sessions: {@code $CODEX_HOME} (default {@code ~/.codex}) {@code /sessions/YYYY/MM/DD/rollout-*.jsonl},
 * one record per line ({@code timestamp}, {@code type}, {@code payload}). {@code session_meta} names the session and
 * its folder, {@code turn_context} the model; {@code response_item}s are what the model was sent and said, in the
 * Responses API's items ({@code message}, {@code reasoning}, {@code function_call} / {@code custom_tool_call} and their
 * outputs); {@code compacted} holds a compaction's summary; {@code event_msg} {@code token_count} the usage of the
 * response before it. The rest (UI events, settings) is counted as skipped.
 */
final class CodexHistory implements HistoryReader {
    static final String SOURCE = "codex";

    @Override public String source() { return SOURCE; }

    @Override
    public Path root(Locations l) {
        return l.codexHome().map(Path::of).orElseGet(() -> HistoryReader.home(l).resolve(".codex")).resolve("sessions");
    }

    @Override
    public void each(Path root, Optional<Path> directory, Consumer<Transcript> out, List<String> problems) throws IOException {
        if (!Files.isDirectory(root)) return;
        List<Path> files;
        try (Stream<Path> s = Files.walk(root)) {
            files = s.filter(p -> p.getFileName().toString().startsWith("rollout-") && p.getFileName().toString().endsWith(".jsonl")).sorted().toList();
        }
        for (Path f : files) out.accept(read(f, problems));
    }

    static Transcript read(Path file, List<String> problems) throws IOException {
        var state = new Reading(file.getFileName().toString().replaceFirst("^rollout-", "").replaceFirst("\\.jsonl$", ""));
        JsonLines.read(file, problems, state::line);
        var built = state.builder().build(state.cwd, Optional.empty(), Optional.empty());
        return new Transcript(state.id, file.toString(), built.session(), built.messages(), List.of(), state.skipped, Optional.empty());
    }

    private static final class Reading {
        private String id;
        private TranscriptBuilder builder;
        private String cwd = "";
        private String model = "openai/unknown";
        private int skipped;
        private boolean inStep;

        Reading(String fileId) { this.id = fileId; }

        TranscriptBuilder builder() {
            if (builder == null) builder = new TranscriptBuilder(new ImportIds(SOURCE, id), 0, model);
            return builder;
        }

        void line(int n, JsonNode r) {
            long at = JsonLines.millis(r.get("timestamp"), 0);
            JsonNode p = r.path("payload");
            switch (r.path("type").asString("")) {
                case "session_meta" -> {
                    id = p.path("id").asString(id);
                    cwd = p.path("cwd").asString(cwd);
                    if (builder == null) builder = new TranscriptBuilder(new ImportIds(SOURCE, id), JsonLines.millis(p.get("timestamp"), at), model);
                }
                case "turn_context" -> {
                    if (p.path("model").isString()) model = "openai/" + p.path("model").asString();
                    if (cwd.isEmpty()) cwd = p.path("cwd").asString("");
                }
                case "response_item" -> item(n, p, at);
                case "compacted" -> {
                    inStep = false;
                    builder().compaction("line" + n, at, false, p.path("message").asString(""));
                }
                case "event_msg" -> {
                    if (p.path("type").asString("").equals("token_count") && p.path("info").path("last_token_usage").isObject()) {
                        JsonNode u = p.path("info").path("last_token_usage");
                        long cached = u.path("cached_input_tokens").asLong(0);
                        builder().usage(new Usage(Math.max(0, u.path("input_tokens").asLong(0) - cached), u.path("output_tokens").asLong(0),
                                u.path("reasoning_output_tokens").asLong(0), cached, u.path("cache_write_input_tokens").asLong(0)));
                        inStep = false;
                    } else {
                        skipped++;
                    }
                }
                default -> skipped++;
            }
        }

        private void item(int n, JsonNode p, long at) {
            String key = p.path("id").asString("line" + n);
            switch (p.path("type").asString("")) {
                case "message" -> {
                    String role = p.path("role").asString("");
                    String text = text(p.path("content"));
                    if (role.equals("assistant")) {
                        step(key, at);
                        builder().text(key, at, text);
                    } else if (role.equals("user") && !injected(text)) {
                        inStep = false;
                        builder().userText(key, at, text);
                        int i = 0;
                        for (Attachment image : images(p.path("content"))) builder().userFile(key + "/image" + i++, at, image.mime(), image.name(), image.url());
                    } else {
                        skipped++;
                    }
                }
                case "reasoning" -> {
                    step(key, at);
                    var sb = new StringBuilder();
                    for (JsonNode s : p.path("summary")) sb.append(sb.isEmpty() ? "" : "\n").append(s.path("text").asString(""));
                    builder().reasoning(key, at, sb.toString(), Optional.empty());
                }
                case "function_call" -> {
                    step(key, at);
                    JsonNode args;
                    try {
                        args = JsonLines.JSON.readTree(p.path("arguments").asString("{}"));
                    } catch (JacksonException e) {
                        args = JsonNodeFactory.instance.objectNode().put("arguments", p.path("arguments").asString(""));
                    }
                    var call = ToolNames.codex(p.path("name").asString(""), args);
                    builder().toolCall(p.path("call_id").asString(key), at, call.tool(), call.inputJson());
                }
                case "custom_tool_call" -> {
                    step(key, at);
                    var call = ToolNames.codex(p.path("name").asString(""), p.path("input"));
                    builder().toolCall(p.path("call_id").asString(key), at, call.tool(), call.inputJson());
                }
                case "local_shell_call" -> {
                    step(key, at);
                    var call = ToolNames.codex("local_shell", p.path("action"));
                    builder().toolCall(p.path("call_id").asString(key), at, call.tool(), call.inputJson());
                }
                case "function_call_output", "custom_tool_call_output", "local_shell_call_output" -> {
                    JsonNode o = p.path("output");
                    // an output is a string, {content, success}, or content items (view_image answers with the picture)
                    String output = o.isString() ? o.asString() : o.isArray() ? text(o) : o.path("content").asString(o.toString());
                    boolean failed = o.isObject() && o.path("success").isBoolean() && !o.path("success").asBoolean();
                    if (!builder().toolResult(p.path("call_id").asString(""), at, output, failed, o.isArray() ? images(o) : List.of())) skipped++;
                    inStep = false;
                }
                default -> skipped++;
            }
        }

        /** A model response's first item opens its step. */
        private void step(String key, long at) {
            if (inStep) return;
            builder().step(key, at, Optional.of(model));
            inStep = true;
        }

        /** What Codex adds to the user's turn itself: its environment, AGENTS.md and skills, never typed by the user. */
        private static boolean injected(String text) {
            String t = text.stripLeading();
            return t.startsWith("<environment_context>") || t.startsWith("<user_instructions>") || t.startsWith("<skills_instructions>")
                    || t.startsWith("# AGENTS.md") || t.startsWith("<permissions instructions>") || t.startsWith("<turn_aborted>");
        }

        /**
         * The {@code input_image} items of a message's content: an image attached to the prompt ({@code codex -i}), named
         * by the {@code <image name=... path="FILE">} text Codex puts before it.
         */
        private static List<Attachment> images(JsonNode content) {
            List<Attachment> out = new ArrayList<>();
            String name = "image";
            for (JsonNode c : content) {
                var opening = IMAGE_OPENING.matcher(c.path("text").asString(""));
                if (opening.matches()) name = opening.group(1) == null ? "image" : opening.group(1);
                if (!c.path("type").asString("").equals("input_image")) continue;
                String url = c.path("image_url").asString("");
                String mime = url.startsWith("data:") && url.indexOf(';') > 5 ? url.substring(5, url.indexOf(';')) : "image/png";
                out.add(new Attachment(mime, name, url));
                name = "image";
            }
            return out;
        }

        /** The text Codex wraps an attached image in; not typed by the user (the image becomes a file part). */
        private static final java.util.regex.Pattern IMAGE_OPENING = java.util.regex.Pattern.compile("<image\\b(?:[^>]*?\\bpath=\"([^\"]*)\")?[^>]*>");

        private static String text(JsonNode content) {
            var sb = new StringBuilder();
            for (JsonNode c : content) {
                String t = c.path("text").asString("");
                if (IMAGE_OPENING.matcher(t).matches() || t.equals("</image>")) continue;
                if (!t.isEmpty()) sb.append(sb.isEmpty() ? "" : "\n").append(t);
            }
            return sb.toString();
        }
    }
}
