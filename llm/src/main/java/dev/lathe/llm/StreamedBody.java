package dev.lathe.llm;

import dev.lathe.llm.http.RequestBody;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.json.JsonMapper;

/**
 * A request body written as a stream of parts each encoded once (decisions 370, 436; issue 55), for the protocols whose
 * body is a head (every field before the history's array, that array opened, and the items the head itself puts in it,
 * such as system messages), then the history's messages as items of that array, then {@code ]}}. The head is encoded
 * once per value; each message once into the items it becomes, joined with commas, by its protocol's cache; and the
 * body begins with the previous step's bytes ({@link KeptBodies}) as far as the head and the messages (the same objects)
 * are the same, so a step writes what is new, not the whole history again. The bytes are those a generator writing the
 * whole request would write.
 *
 * @param <H> what the head is written from, compared by value
 */
public final class StreamedBody<H> {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /**
     * Each history's last body, which its next step begins with: one body per running turn, its whole chunks shared with
     * the next one. One bound for every protocol (16 MiB: twenty sessions a hundred file reads in), so a server that
     * speaks several holds no more; a kept body says which head it was written from, so no other protocol's is taken.
     */
    public static final KeptBodies<Sent> KEPT = KeptBodies.upTo(16L << 20);

    private final EncodedJsonCache<H> heads = new EncodedJsonCache<>(1L << 20);
    private final Function<H, byte[]> head;

    /**
     * A body as sent and what its beginning was written from: the head, then the messages that may be written as they
     * were, each with the offset its bytes end at (a message with nothing to send ends where the one before it did).
     */
    public record Sent(Object head, LlmMessage[] messages, long[] ends, long headLength, boolean headItems, RequestBody body) {}

    /** How one protocol's messages are written. */
    public interface Messages {
        /** Message {@code i}'s items, encoded and joined with commas; null or empty when it sends nothing. */
        EncodedJson encoded(int i, LlmMessage m);

        /** Writes message {@code i}'s encoded items: as they are, unless the protocol puts something in (a breakpoint). */
        default void write(int i, byte[] items, RequestBody.Writer out) {
            out.write(items, 0, items.length);
        }
    }

    /** Writes a head with {@code writeHead}: the whole body with no messages, whose closing {@code ]}} is left off. */
    public StreamedBody(BiConsumer<H, JsonGenerator> writeHead) {
        this.head = h -> head(g -> writeHead.accept(h, g));
    }

    /**
     * The body of {@code head} and the messages {@code all}. Those from {@code moving} on may be written otherwise at the
     * next step (a breakpoint that moves) and are never taken from a kept body; those before it are, as far as they are
     * the same objects as the kept body's and its head is equal to {@code head}.
     */
    public RequestBody write(H head, List<LlmMessage> all, int moving, Messages messages, KeptBodies<Sent> kept) {
        Sent before = all.isEmpty() ? null : kept.find(all.getFirst());
        RequestBody.Writer out;
        long headLength;
        boolean headItems;
        int same = 0;
        if (before != null && before.head().equals(head)) {
            int limit = Math.min(before.messages().length, moving);
            while (same < limit && all.get(same) == before.messages()[same]) same++;
            headLength = before.headLength();
            headItems = before.headItems();
            out = new RequestBody.Writer(before.body(), same == 0 ? headLength : before.ends()[same - 1]);
        } else {
            EncodedJson known = heads.get(head, this.head);
            out = new RequestBody.Writer();
            byte[] bytes = known.asUnquotedUTF8();
            out.write(bytes, 0, bytes.length);
            headLength = known.size();
            // a head whose array is still empty ends with the bracket that opens it
            headItems = bytes.length > 0 && bytes[bytes.length - 1] != '[';
        }
        long[] ends = new long[moving];
        if (same > 0) System.arraycopy(before.ends(), 0, ends, 0, same);
        boolean any = headItems || out.length() > headLength;
        for (int i = same; i < all.size(); i++) {
            EncodedJson known = messages.encoded(i, all.get(i));
            if (known != null && known.size() > 0) {
                if (any) out.write(',');
                messages.write(i, known.asUnquotedUTF8(), out);
                any = true;
            }
            if (i < moving) ends[i] = out.length();
        }
        out.write(']');
        out.write('}');
        RequestBody body = out.body();
        if (!all.isEmpty()) {
            kept.keep(all.getFirst(), new Sent(head, all.subList(0, moving).toArray(LlmMessage[]::new), ends, headLength, headItems, body),
                    body.length());
        }
        return body;
    }

    /**
     * The head of a protocol that writes all of a request but its history before the history, in one of its dialects (what
     * the server at the base URL takes): the request without its messages, compared by value.
     */
    public record RequestHead<D>(LlmRequest request, D dialect) {
        public static <D> RequestHead<D> of(LlmRequest r, D dialect) {
            return new RequestHead<>(new LlmRequest(r.model(), r.system(), r.tools(), List.of(), r.maxOutputTokens(), r.toolChoice(),
                    r.temperature(), r.cacheKey(), r.reasoning(), r.stableTtl()), dialect);
        }
    }

    /**
     * The bodies of a protocol that writes all of a request but its history before the history ({@link RequestHead}),
     * whose messages are written the same wherever they stand: each encoded once into its items (16 MiB of them, by
     * value), and all of them may be taken from the kept body ({@link #KEPT}).
     */
    public static final class OfRequests<D> {
        private final StreamedBody<RequestHead<D>> bodies;
        private final Messages messages;

        /** {@code writeHead} writes a head as {@link #StreamedBody} says; {@code writeItems} the items a message becomes. */
        public OfRequests(BiConsumer<RequestHead<D>, JsonGenerator> writeHead, BiConsumer<LlmMessage, JsonGenerator> writeItems) {
            this.bodies = new StreamedBody<>(writeHead);
            EncodedJsonCache<LlmMessage> cache = new EncodedJsonCache<>(16L << 20);
            Function<LlmMessage, byte[]> encode = m -> items(g -> writeItems.accept(m, g));
            this.messages = (i, m) -> cache.get(m, encode);
        }

        /** The body as posted, begun with the previous step's bytes where they are the same. */
        public RequestBody body(LlmRequest request, D dialect) {
            return body(request, dialect, KEPT);
        }

        /** The body, begun with a body {@code kept} holds (tests: {@link KeptBodies#none()} writes it whole). */
        public RequestBody body(LlmRequest request, D dialect, KeptBodies<Sent> kept) {
            List<LlmMessage> all = request.messages();
            return bodies.write(RequestHead.of(request, dialect), all, all.size(), messages, kept);
        }
    }

    /**
     * How such a head ends: the history's array, named {@code field}, opened with the system prompt's blocks as its first
     * messages, one each (so they stay separate blocks), and the body closed (the closing is left off the head's bytes).
     */
    public static void systemMessages(String field, List<String> system, JsonGenerator g) {
        g.writeName(field);
        g.writeStartArray();
        for (String block : system) {
            g.writeStartObject();
            g.writeStringProperty("role", "system");
            g.writeStringProperty("content", block);
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    /**
     * A tool's result as an item of the history's array, as both OpenAI protocols send it: its kind ({@code kindField}:
     * {@code kind}), the call it answers, and the output, marked when the tool failed (neither protocol has a field for it).
     */
    public static void toolOutput(Content.ToolResult r, String kindField, String kind, String callField, String outputField, JsonGenerator g) {
        g.writeStartObject();
        g.writeStringProperty(kindField, kind);
        g.writeStringProperty(callField, r.callId());
        g.writeStringProperty(outputField, r.isError() ? "Error: " + r.output() : r.output());
        g.writeEndObject();
    }

    /** What {@code write} writes, alone, as bytes: written into a body later exactly as a generator would write it. */
    public static byte[] encoded(Consumer<JsonGenerator> write) {
        var out = new ByteArrayOutputStream(1024);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            write.accept(g);
        }
        return out.toByteArray();
    }

    /**
     * The items {@code write} writes into an array, joined with commas as a generator joins them, without the array's
     * brackets: a message that becomes several items of the history's array (tool results as messages of their own).
     */
    public static byte[] items(Consumer<JsonGenerator> write) {
        byte[] array = encoded(g -> {
            g.writeStartArray();
            write.accept(g);
            g.writeEndArray();
        });
        return Arrays.copyOfRange(array, 1, array.length - 1);
    }

    /** The head's bytes: {@code write} writes the body with no messages, and the closing {@code ]}} is left off. */
    private static byte[] head(Consumer<JsonGenerator> write) {
        byte[] whole = encoded(write);
        if (whole.length < 2 || whole[whole.length - 2] != ']' || whole[whole.length - 1] != '}') {
            throw new IllegalStateException("a head that does not end in ]}");
        }
        return Arrays.copyOf(whole, whole.length - 2);
    }
}
