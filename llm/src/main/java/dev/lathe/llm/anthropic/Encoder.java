package dev.lathe.llm.anthropic;

import dev.lathe.llm.CacheTtl;
import dev.lathe.llm.Content;
import dev.lathe.llm.EncodedJson;
import dev.lathe.llm.EncodedJsonCache;
import dev.lathe.llm.KeptBodies;
import dev.lathe.llm.LlmMessage;
import dev.lathe.llm.LlmRequest;
import dev.lathe.llm.ReasoningEffort;
import dev.lathe.llm.StreamedBody;
import dev.lathe.llm.ToolChoice;
import dev.lathe.llm.ToolSpec;
import dev.lathe.llm.WireJson;
import dev.lathe.llm.http.RequestBody;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
     * The history's messages as sent without a breakpoint (the two that carry the moving ones get theirs as they are
     * written), and the tool definitions: the same at every step of every session, so each is encoded once (decision
     * 370). 16 MiB: twenty sessions of a hundred steps of file reads stay encoded; one long session takes what its
     * history is.
     */
    private static final EncodedJsonCache<LlmMessage> MESSAGES = new EncodedJsonCache<>(16L << 20);
    private static final EncodedJsonCache<List<ToolSpec>> TOOLS = new EncodedJsonCache<>(1L << 20);
    /** The heads (all before the messages) encoded once per value, and the bodies written from them and the messages. */
    private static final StreamedBody<Head> BODIES = new StreamedBody<>(Encoder::writeHead);

    /** A breakpoint on a message's last block, as {@link #cache} writes it; and how an encoded message ends. */
    private static final byte[] CACHE_MARK = ",\"cache_control\":{\"type\":\"ephemeral\"}".getBytes(StandardCharsets.UTF_8);
    private static final byte[] MESSAGE_END = "}]}".getBytes(StandardCharsets.UTF_8);

    private Encoder() {}

    /** The body as posted: written once, into the chunks the HTTP client sends ({@link RequestBody}). */
    static RequestBody body(LlmRequest request) {
        return body(request, StreamedBody.KEPT);
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
     * Fields that stay the same for every step come first ({@link Head}) and {@code messages} last, so the body of step n,
     * up to the end of its messages and apart from the moving message breakpoints, is a byte prefix of step n+1's.
     * Breakpoints (at most four): after system block A (the cached prefix is tools, then system, so it covers tools + A),
     * after block B, and on the last two message boundaries (DESIGN §7). The messages are written as bytes, each found
     * encoded (decision 370), the two with breakpoints with the breakpoint put in, joined as a generator joins array
     * values; and the body begins with the previous step's bytes as far as the head and the messages before the first
     * breakpoint are the same ({@code kept}): a step writes what is new, not the whole history again (issue 55).
     */
    static RequestBody body(LlmRequest request, KeptBodies<StreamedBody.Sent> kept) {
        Head head = Head.of(request);
        int budget = MAX_BREAKPOINTS - Math.min(request.system().size(), 2);
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
        int firstMarked = cacheSecond ? second : cacheLast ? last : all.size();

        int lastAt = last;
        int secondAt = second;
        List<Content> lastSent = lastBlocks;
        List<Content> secondSent = secondBlocks;
        return BODIES.write(head, all, firstMarked, new StreamedBody.Messages() {
            @Override
            public EncodedJson encoded(int i, LlmMessage m) {
                EncodedJson known = MESSAGES.kept(m);
                if (known != null) return known;
                List<Content> blocks = i == lastAt ? lastSent : i == secondAt ? secondSent : blocksOf(m);
                return blocks.isEmpty() ? null : MESSAGES.get(m, k -> StreamedBody.encoded(e -> message(k, blocks, e)));
            }

            @Override
            public void write(int i, byte[] bytes, RequestBody.Writer out) {
                if (!(i == lastAt && cacheLast || i == secondAt && cacheSecond)) {
                    out.write(bytes, 0, bytes.length);
                    return;
                }
                // the breakpoint is the last block's last field: its bytes go in before the block's, the content's and
                // the message's closing brackets, so a message is encoded once, with or without it
                int end = bytes.length - MESSAGE_END.length;
                if (!Arrays.equals(bytes, end, bytes.length, MESSAGE_END, 0, MESSAGE_END.length)) {
                    throw new IllegalStateException("a message that does not end in }]}");
                }
                out.write(bytes, 0, end);
                out.write(CACHE_MARK, 0, CACHE_MARK.length);
                out.write(MESSAGE_END, 0, MESSAGE_END.length);
            }
        }, kept);
    }

    /**
     * Everything a body writes before its messages: what it is made of, and its bytes, from the opening brace to the
     * bracket that opens {@code messages}.
     */
    record Head(String model, int maxTokens, Optional<ReasoningEffort> reasoning, Optional<Double> temperature, List<ToolSpec> tools,
            ToolChoice toolChoice, List<String> system, CacheTtl stableTtl) {
        static Head of(LlmRequest r) {
            return new Head(r.model(), r.maxOutputTokens(), r.reasoning(), r.temperature(), r.tools(), r.toolChoice(), r.system(), r.stableTtl());
        }
    }

    private static void writeHead(Head request, JsonGenerator g) {
        int budget = MAX_BREAKPOINTS;
        g.writeStartObject();
        g.writeStringProperty("model", request.model());
        g.writeNumberProperty("max_tokens", request.maxTokens());
        g.writeBooleanProperty("stream", true);
        if (request.reasoning().isPresent()) {
            // extended thinking: a token budget below max_tokens; the API rejects a temperature alongside it
            g.writeName("thinking");
            g.writeStartObject();
            g.writeStringProperty("type", "enabled");
            g.writeNumberProperty("budget_tokens", request.reasoning().get().budget(request.maxTokens()));
            g.writeEndObject();
        } else if (request.temperature().isPresent()) {
            g.writeNumberProperty("temperature", request.temperature().get());
        }
        if (!request.tools().isEmpty()) {
            g.writeName("tools");
            g.writeRawValue(TOOLS.get(request.tools(), tools -> StreamedBody.encoded(t -> writeTools(tools, t))));
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
                    // the stable blocks' breakpoints: before every moving one, as the API wants a longer TTL first
                    cache(g, request.stableTtl());
                    budget--;
                }
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        g.writeName("messages");
        g.writeStartArray();
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

    /** One message, without a breakpoint: one goes in when it is written ({@link #CACHE_MARK}). */
    private static void message(LlmMessage sender, List<Content> blocks, JsonGenerator g) {
        g.writeStartObject();
        g.writeStringProperty("role", sender.role() == LlmMessage.Role.USER ? "user" : "assistant");
        g.writeName("content");
        g.writeStartArray();
        for (int b = 0; b < blocks.size(); b++) block(blocks.get(b), g);
        g.writeEndArray();
        g.writeEndObject();
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

    private static void block(Content c, JsonGenerator g) {
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

    private static void cache(JsonGenerator g, CacheTtl ttl) {
        g.writeName("cache_control");
        g.writeStartObject();
        g.writeStringProperty("type", "ephemeral");
        if (ttl == CacheTtl.ONE_HOUR) g.writeStringProperty("ttl", "1h");
        g.writeEndObject();
    }
}
