package dev.lathe.llm.anthropic;

import dev.lathe.llm.Content;
import dev.lathe.llm.EncodedJson;
import dev.lathe.llm.EncodedJsonCache;
import dev.lathe.llm.LlmMessage;
import dev.lathe.llm.LlmRequest;
import dev.lathe.llm.ToolChoice;
import dev.lathe.llm.ToolSpec;
import dev.lathe.llm.WireJson;
import dev.lathe.llm.http.RequestBody;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@link LlmRequest} → Messages API JSON. Pure and deterministic. Cache breakpoints (at most four, the API's limit):
 * the last tool definition, each system block (A, then B), then the last message; a fourth goes on the
 * second-to-last message when the budget allows, so the next step reads its prefix from the cache.
 */
final class Encoder {
    static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int MAX_BREAKPOINTS = 4;
    private static final int MAX_SCHEMAS = 1024;
    private static final Map<String, JsonNode> SCHEMAS = new ConcurrentHashMap<>();
    /**
     * The history's messages as sent, but for the two that carry the moving breakpoints, and the tool definitions: the
     * same at every step of every session, so each is encoded once (decision 370). 16 MiB: twenty sessions of a hundred
     * steps of file reads stay encoded; one long session takes what its history is.
     */
    private static final EncodedJsonCache<LlmMessage> MESSAGES = new EncodedJsonCache<>(16L << 20);
    private static final EncodedJsonCache<List<ToolSpec>> TOOLS = new EncodedJsonCache<>(1L << 20);

    private Encoder() {}

    /** The body as posted: written once, into the chunks the HTTP client sends ({@link RequestBody}). */
    static RequestBody body(LlmRequest request) {
        var out = new RequestBody.Writer();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            write(request, g);
        }
        return out.body();
    }

    /** The body's bytes in one array, for tests; what is sent is {@link #body}. */
    static byte[] encode(LlmRequest request) {
        return body(request).bytes();
    }

    /** The body as a tree, for tests that look at its parts; what is sent is {@link #body}. */
    static ObjectNode tree(LlmRequest request) {
        return (ObjectNode) JSON.readTree(encode(request));
    }

    /**
     * Fields that stay the same for every step come first and {@code messages} last, so the body of step n, up to the
     * end of its messages and apart from the moving message breakpoints, is a byte prefix of step n+1's. Breakpoints
     * (at most four): after system block A (the cached prefix is tools, then system, so it covers tools + A), after
     * block B, and on the last two message boundaries (DESIGN §7). Written straight to the generator: a tree of the
     * whole history, built and then serialized at every step, was a tenth of a warm server's CPU per step (issue 43).
     */
    private static void write(LlmRequest request, JsonGenerator g) {
        int budget = MAX_BREAKPOINTS;
        g.writeStartObject();
        g.writeStringProperty("model", request.model());
        g.writeNumberProperty("max_tokens", request.maxOutputTokens());
        g.writeBooleanProperty("stream", true);
        if (request.reasoning().isPresent()) {
            // extended thinking: a token budget below max_tokens; the API rejects a temperature alongside it
            g.writeName("thinking");
            g.writeStartObject();
            g.writeStringProperty("type", "enabled");
            g.writeNumberProperty("budget_tokens", request.reasoning().get().budget(request.maxOutputTokens()));
            g.writeEndObject();
        } else if (request.temperature().isPresent()) {
            g.writeNumberProperty("temperature", request.temperature().get());
        }
        if (!request.tools().isEmpty()) {
            g.writeName("tools");
            g.writeRawValue(TOOLS.get(request.tools(), tools -> encoded(t -> writeTools(tools, t))));
            g.writeName("tool_choice");
            g.writeStartObject();
            g.writeStringProperty("type", request.toolChoice() == ToolChoice.NONE ? "none" : "auto");
            g.writeEndObject();
        }
        if (!request.system().isEmpty()) {
            g.writeName("system");
            g.writeStartArray();
            for (String block : request.system()) {
                g.writeStartObject();
                g.writeStringProperty("type", "text");
                g.writeStringProperty("text", block);
                if (budget > 2) {
                    cache(g);
                    budget--;
                }
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        // the last two messages that write a block carry a breakpoint on their last block, unless that is thinking (which
        // cannot); only theirs and those the cache does not hold are filtered: the history's others are found as they are
        List<LlmMessage> all = request.messages();
        int last = -1;
        int second = -1;
        List<Content> lastBlocks = List.of();
        List<Content> secondBlocks = List.of();
        for (int i = all.size() - 1; i >= 0 && second < 0; i--) {
            List<Content> blocks = blocksOf(all.get(i));
            if (blocks.isEmpty()) continue;
            if (last < 0) {
                last = i;
                lastBlocks = blocks;
            } else {
                second = i;
                secondBlocks = blocks;
            }
        }
        boolean cacheLast = last >= 0 && budget > 0 && !(lastBlocks.getLast() instanceof Content.Reasoning);
        if (cacheLast) budget--;
        boolean cacheSecond = second >= 0 && budget > 0 && !(secondBlocks.getLast() instanceof Content.Reasoning);
        g.writeName("messages");
        g.writeStartArray();
        for (int i = 0; i < all.size(); i++) {
            LlmMessage m = all.get(i);
            if (i == last && cacheLast) {
                message(m, lastBlocks, true, g);
            } else if (i == second && cacheSecond) {
                message(m, secondBlocks, true, g);
            } else {
                EncodedJson known = MESSAGES.kept(m);
                if (known == null) {
                    List<Content> blocks = i == last ? lastBlocks : i == second ? secondBlocks : blocksOf(m);
                    if (blocks.isEmpty()) continue;
                    known = MESSAGES.get(m, k -> encoded(e -> message(k, blocks, false, e)));
                }
                g.writeRawValue(known);
            }
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void writeTools(List<ToolSpec> tools, JsonGenerator g) {
        g.writeStartArray();
        for (ToolSpec t : tools) {
            g.writeStartObject();
            g.writeStringProperty("name", t.name());
            g.writeStringProperty("description", t.description());
            g.writeName("input_schema");
            g.writeTree(schema(t.parametersSchema()));
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    /** One message; {@code breakpoint}: its last block carries the cache breakpoint. */
    private static void message(LlmMessage sender, List<Content> blocks, boolean breakpoint, JsonGenerator g) {
        g.writeStartObject();
        g.writeStringProperty("role", sender.role() == LlmMessage.Role.USER ? "user" : "assistant");
        g.writeName("content");
        g.writeStartArray();
        for (int b = 0; b < blocks.size(); b++) block(blocks.get(b), g, breakpoint && b == blocks.size() - 1);
        g.writeEndArray();
        g.writeEndObject();
    }

    /** What {@code write} writes, alone, as bytes: written into the body later exactly as a generator would write it. */
    private static byte[] encoded(java.util.function.Consumer<JsonGenerator> write) {
        var out = new ByteArrayOutputStream(1024);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            write.accept(g);
        }
        return out.toByteArray();
    }

    /** The message's blocks that are written: its own list when that is all of them (a step's history nearly always). */
    private static List<Content> blocksOf(LlmMessage m) {
        for (Content c : m.content()) {
            if (!writesABlock(c)) return m.content().stream().filter(Encoder::writesABlock).toList();
        }
        return m.content();
    }

    /** Whether {@code c} becomes a block: blank text and reasoning without the provider's signature are left out. */
    private static boolean writesABlock(Content c) {
        return switch (c) {
            case Content.Text t -> !t.text().isBlank();
            case Content.Reasoning r -> r.signature().isPresent();
            case Content.Image _, Content.ToolCall _, Content.ToolResult _ -> true;
        };
    }

    private static void block(Content c, JsonGenerator g, boolean cached) {
        g.writeStartObject();
        switch (c) {
            case Content.Text t -> {
                g.writeStringProperty("type", "text");
                g.writeStringProperty("text", t.text());
            }
            case Content.Image i -> {
                g.writeStringProperty("type", i.isPdf() ? "document" : "image");
                g.writeName("source");
                g.writeStartObject();
                g.writeStringProperty("type", "base64");
                g.writeStringProperty("media_type", i.mime());
                g.writeStringProperty("data", i.base64());
                g.writeEndObject();
            }
            case Content.Reasoning r -> {
                String sig = r.signature().orElseThrow();
                if (sig.startsWith(Decoder.REDACTED)) {
                    g.writeStringProperty("type", "redacted_thinking");
                    g.writeStringProperty("data", sig.substring(Decoder.REDACTED.length()));
                } else {
                    g.writeStringProperty("type", "thinking");
                    g.writeStringProperty("thinking", r.text());
                    g.writeStringProperty("signature", sig);
                }
            }
            case Content.ToolCall call -> {
                g.writeStringProperty("type", "tool_use");
                g.writeStringProperty("id", call.callId());
                g.writeStringProperty("name", call.name());
                g.writeName("input");
                g.writeTree(WireJson.objectOrEmpty(call.argsJson()));
            }
            case Content.ToolResult r -> {
                g.writeStringProperty("type", "tool_result");
                g.writeStringProperty("tool_use_id", r.callId());
                g.writeStringProperty("content", r.output().isEmpty() ? "(no output)" : r.output());
                if (r.isError()) g.writeBooleanProperty("is_error", true);
            }
        }
        if (cached) cache(g);
        g.writeEndObject();
    }

    /**
     * A tool's parameter schema as a tree, parsed once per schema text: the same tools go out with every step. Shared and
     * only ever written, never changed. Bounded: a server whose projects offer more distinct schemas starts over.
     */
    private static JsonNode schema(String text) {
        JsonNode known = SCHEMAS.get(text);
        if (known != null) return known;
        JsonNode parsed = WireJson.schema(text);
        if (SCHEMAS.size() >= MAX_SCHEMAS) SCHEMAS.clear();
        SCHEMAS.put(text, parsed);
        return parsed;
    }

    private static void cache(JsonGenerator g) {
        g.writeName("cache_control");
        g.writeStartObject();
        g.writeStringProperty("type", "ephemeral");
        g.writeEndObject();
    }
}
