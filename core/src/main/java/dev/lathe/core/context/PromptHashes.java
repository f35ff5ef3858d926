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
        return of(request, previousShape, new Kept());
    }

    /**
     * As above; the sums of the messages {@code kept} holds from the turn's previous request are taken as they were,
     * up to the first message that is not the same object (the context build hands unchanged ones on as such).
     */
    public static Map<String, String> of(LlmRequest request, Optional<String> previousShape, Kept kept) {
        Map<String, String> out = new LinkedHashMap<>();
        out.put(ALGORITHM, BlockSum.ALGORITHM);
        out.put(SYSTEM, sum(request.system().isEmpty() ? "" : request.system().getFirst()));
        out.put(TOOLS, toolsSum(request.tools()));
        out.put(INSTRUCTIONS, sum(String.join("\0", request.system().subList(Math.min(1, request.system().size()), request.system().size()))));
        List<LlmMessage> messages = request.messages();
        int n = messages.size();
        // ends[i]: the sum of messages 0..i, each its role, its blocks and an end mark
        long[] ends = new long[n];
        int same = 0;
        while (same < n && same < kept.messages.length && kept.messages[same] == messages.get(same)) {
            ends[same] = kept.ends[same];
            same++;
        }
        for (int i = same; i < n; i++) {
            var sum = RunningSum.from(i == 0 ? START : ends[i - 1]);
            LlmMessage m = messages.get(i);
            sum.update(role(m));
            for (Content c : m.content()) feed(c, sum);
            sum.update(1);
            ends[i] = sum.state();
        }
        kept.messages = messages.toArray(LlmMessage[]::new);
        kept.ends = ends;
        // prefix: the messages cut to the previous request's shape, the last one cut after its blocks then, and closed
        int[] cut = previousShape.flatMap(PromptHashes::parseShape).orElse(new int[] {-1, -1});
        if (cut[0] > 0 && cut[0] <= n && cut[1] > 0 && cut[1] <= messages.get(cut[0] - 1).content().size()) {
            LlmMessage last = messages.get(cut[0] - 1);
            if (cut[1] == last.content().size()) {
                out.put(PREFIX, RunningSum.hex(ends[cut[0] - 1]));
            } else {
                var prefix = RunningSum.from(cut[0] == 1 ? START : ends[cut[0] - 2]);
                prefix.update(role(last));
                for (int j = 0; j < cut[1]; j++) feed(last.content().get(j), prefix);
                prefix.update(1);
                out.put(PREFIX, prefix.hex());
            }
        }
        out.put(MESSAGES, RunningSum.hex(n == 0 ? START : ends[n - 1]));
        int lastSize = messages.isEmpty() ? 0 : messages.getLast().content().size();
        out.put(SHAPE, n + ":" + lastSize);
        return out;
    }

    /** The messages of a turn's previous request and the sums at their ends, kept for its next (issue 55). */
    public static final class Kept {
        private LlmMessage[] messages = new LlmMessage[0];
        private long[] ends = new long[0];
    }

    private static final long START = new RunningSum().state();
    private static final byte[] USER = "USER\0".getBytes(StandardCharsets.UTF_8);
    private static final byte[] ASSISTANT = "ASSISTANT\0".getBytes(StandardCharsets.UTF_8);

    /** What a message's role adds: its name and a NUL. */
    private static byte[] role(LlmMessage m) {
        return switch (m.role()) {
            case USER -> USER;
            case ASSISTANT -> ASSISTANT;
        };
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
     * Feeds a block to {@code sum}: its kind and its fields, each ended by a NUL, field by field rather than joined into
     * one string first. Not the record's {@code toString}, whose first call per record type builds method handles
     * (~5 ms on the step that first sends a tool call and its result).
     */
    private static void feed(Content block, RunningSum sum) {
        String[] fields = switch (block) {
            case Content.Text t -> new String[] {"text", t.text()};
            case Content.Image i -> new String[] {"image", i.mime(), i.base64()};
            case Content.Reasoning r -> new String[] {"reasoning", r.text(), r.signature().orElse("")};
            case Content.ToolCall c -> new String[] {"call", c.callId(), c.name(), c.argsJson(), c.signature().orElse("")};
            case Content.ToolResult r -> new String[] {"result", r.callId(), r.name(), r.output(), r.isError() ? "error" : "ok"};
        };
        for (String field : fields) {
            sum.update(TextSums.of(field));
            sum.update(0);
        }
    }

    private static String sum(String text) {
        return BlockSum.of(text.getBytes(StandardCharsets.UTF_8));
    }
}
