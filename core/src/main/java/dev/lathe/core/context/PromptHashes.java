package dev.lathe.core.context;

import dev.lathe.llm.Content;
import dev.lathe.llm.LlmMessage;
import dev.lathe.llm.LlmRequest;
import dev.lathe.llm.ToolSpec;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.session.Part;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Short hashes of the blocks of one request in the cache layout of DESIGN §7, recorded on each step so a cache report
 * can say which block changed between two requests: {@code system} (block A), {@code tools}, {@code instructions}
 * (block B) and {@code messages} (all of them). Messages grow at every step, so their hash alone cannot tell growth
 * from a rewrite: {@code shape} records how many messages the request had and how many blocks its last one held, and
 * {@code prefix} hashes this request's messages cut to the previous request's shape — equal to the previous
 * {@code messages} exactly when this request extends the previous one. Hashes cover the protocol-neutral request,
 * not the wire bytes.
 */
public final class PromptHashes {
    public static final String SYSTEM = "system";
    public static final String TOOLS = "tools";
    public static final String INSTRUCTIONS = "instructions";
    public static final String MESSAGES = "messages";
    public static final String SHAPE = "shape";
    public static final String PREFIX = "prefix";
    /** Which checksum made the others ({@link BlockSum}); absent on steps stored before decision 58, which used SHA-256. */
    public static final String ALGORITHM = "sum";

    private PromptHashes() {}

    /** {@code previousShape}: the {@code shape} of the session's previous request, when there was one. */
    public static Map<String, String> of(LlmRequest request, Optional<String> previousShape) {
        Map<String, String> out = new LinkedHashMap<>();
        out.put(ALGORITHM, BlockSum.ALGORITHM);
        out.put(SYSTEM, sum(request.system().isEmpty() ? "" : request.system().getFirst()));
        out.put(TOOLS, toolsSum(request.tools()));
        out.put(INSTRUCTIONS, sum(String.join("\0", request.system().subList(Math.min(1, request.system().size()), request.system().size()))));
        List<LlmMessage> messages = request.messages();
        int[] cut = previousShape.flatMap(PromptHashes::parseShape).orElse(new int[] {-1, -1});
        var all = new BlockSum();
        // fed the same bytes as all until the previous request's end, then closed like a message. When that end is a
        // whole message of this request (a request that only appended messages: most steps) prefix's bytes are all's
        // up to that message's end, so all's sum there is taken instead of feeding the history twice.
        boolean cutEndsAMessage = cut[0] > 0 && cut[1] > 0 && cut[0] <= messages.size() && messages.get(cut[0] - 1).content().size() == cut[1];
        var prefix = cut[0] > 0 && !cutEndsAMessage ? new BlockSum() : null;
        for (int i = 0; i < messages.size(); i++) {
            LlmMessage m = messages.get(i);
            byte[] role = (m.role() + "\0").getBytes(StandardCharsets.UTF_8);
            all.update(role);
            if (prefix != null) prefix.update(role);
            List<Content> content = m.content();
            for (int j = 0; j < content.size(); j++) {
                feed(content.get(j), all, prefix);
                if (prefix == null) continue;
                if (i == cut[0] - 1 && j == cut[1] - 1) {
                    prefix.update(1);
                    out.put(PREFIX, prefix.hex());
                    prefix = null;
                }
            }
            all.update(1); // end of message
            if (prefix != null) prefix.update(1);
            if (cutEndsAMessage && i == cut[0] - 1) out.put(PREFIX, all.hex());
        }
        out.put(MESSAGES, all.hex());
        int last = messages.isEmpty() ? 0 : messages.getLast().content().size();
        out.put(SHAPE, messages.size() + ":" + last);
        return out;
    }

    /** The shape of the last request recorded in a session's history. */
    public static Optional<String> lastShape(List<MessageWithParts> history) {
        for (MessageWithParts m : history.reversed()) {
            for (Part p : m.parts().reversed()) {
                if (p instanceof Part.StepStart s && s.promptHashes().containsKey(SHAPE)) return Optional.of(s.promptHashes().get(SHAPE));
            }
        }
        return Optional.empty();
    }

    static Optional<int[]> parseShape(String shape) {
        int colon = shape.indexOf(':');
        try {
            return colon < 0 ? Optional.empty()
                    : Optional.of(new int[] {Integer.parseInt(shape.substring(0, colon)), Integer.parseInt(shape.substring(colon + 1))});
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * The sum of the tool definitions: their names, descriptions and schemas, each ended by a NUL. The same tools go out
     * with every step of a session, so the last list's sum is kept (a list equal to it, usually of the very same
     * definitions, compares in a few reference checks, where summing it again meant ~15k characters per step).
     */
    private static String toolsSum(List<ToolSpec> tools) {
        ToolsSum known = lastTools;
        if (known != null && known.tools().equals(tools)) return known.sum();
        var text = new StringBuilder();
        for (ToolSpec t : tools) text.append(t.name()).append('\0').append(t.description()).append('\0').append(t.parametersSchema()).append('\0');
        String sum = sum(text.toString());
        lastTools = new ToolsSum(List.copyOf(tools), sum);
        return sum;
    }

    private record ToolsSum(List<ToolSpec> tools, String sum) {}

    private static volatile ToolsSum lastTools;

    /**
     * Feeds a block to {@code all} (and to {@code prefix}, when not null): its kind and its fields, each ended by a NUL,
     * field by field rather than joined into one string first (the whole history passes here at every step). Not the
     * record's {@code toString}, whose first call per record type builds method handles (~5 ms on the step that first
     * sends a tool call and its result).
     */
    private static void feed(Content block, BlockSum all, BlockSum prefix) {
        String[] fields = switch (block) {
            case Content.Text t -> new String[] {"text", t.text()};
            case Content.Image i -> new String[] {"image", i.mime(), i.base64()};
            case Content.Reasoning r -> new String[] {"reasoning", r.text(), r.signature().orElse("")};
            case Content.ToolCall c -> new String[] {"call", c.callId(), c.name(), c.argsJson(), c.signature().orElse("")};
            case Content.ToolResult r -> new String[] {"result", r.callId(), r.name(), r.output(), r.isError() ? "error" : "ok"};
        };
        for (String field : fields) {
            byte[] bytes = TextSums.of(field);
            all.update(bytes);
            all.update(0);
            if (prefix != null) {
                prefix.update(bytes);
                prefix.update(0);
            }
        }
    }

    private static String sum(String text) {
        return BlockSum.of(text.getBytes(StandardCharsets.UTF_8));
    }
}
