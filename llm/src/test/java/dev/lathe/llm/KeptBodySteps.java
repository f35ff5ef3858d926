package dev.lathe.llm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.llm.http.RequestBody;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import tools.jackson.databind.json.JsonMapper;

/**
 * A turn's steps for a protocol written by {@link StreamedBody}: each step's body, begun with the previous step's bytes
 * (issue 55), must be byte for byte the body written whole, through growth across chunk edges, a rewind, messages with
 * nothing to send or with every kind of content, a changed system prompt, tool list, tool choice, output cap,
 * temperature, reasoning, cache key or model, another dialect of the protocol (a provider switch, with a message the
 * transforms repaired), a compaction, and another history whose first message is equal but not the same. Each changes
 * one thing a kept body was written from; a key left out of the comparison makes a step differ.
 */
public final class KeptBodySteps {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final ToolSpec READ = new ToolSpec("read", "Reads a file.",
            "{\"type\":\"object\",\"properties\":{\"path\":{\"type\":\"string\"},\"limit\":{\"type\":\"integer\"}},\"required\":[\"path\"]}");
    private static final ToolSpec NOW = new ToolSpec("now", "The time.", "{\"type\":\"object\"}");

    /** Writes a request's body with the bodies kept in the second argument, in one dialect of the protocol. */
    public interface Dialect extends BiFunction<LlmRequest, KeptBodies<StreamedBody.Sent>, RequestBody> {}

    private final List<Dialect> dialects;
    private final String historyField;
    private final KeptBodies<StreamedBody.Sent> kept = KeptBodies.upTo(16L << 20);
    private final List<LlmMessage> history = new ArrayList<>();
    private Dialect dialect;
    private String model = "gpt-x";
    private List<String> system = List.of("block A", "block B");
    private List<ToolSpec> tools = List.of(READ, NOW);
    private ToolChoice choice = ToolChoice.AUTO;
    private int maxTokens = 4096;
    private Optional<Double> temperature = Optional.of(0.5);
    private Optional<String> cacheKey = Optional.of("ses_1");
    private Optional<ReasoningEffort> reasoning = Optional.empty();
    private int sent;

    /** The protocol's dialects (the first one the turn's own), and the name of the body's history array. */
    public KeptBodySteps(List<Dialect> dialects, String historyField) {
        this.dialects = dialects;
        this.dialect = dialects.getFirst();
        this.historyField = historyField;
    }

    /**
     * The turn with each dialect first (its own for most of the turn, the others at the provider switch), and another
     * history with an equal first message.
     */
    public static void everyWay(List<Dialect> dialects, String historyField) {
        for (int first = 0; first < dialects.size(); first++) {
            List<Dialect> rotated = new ArrayList<>(dialects.subList(first, dialects.size()));
            rotated.addAll(dialects.subList(0, first));
            new KeptBodySteps(rotated, historyField).aTurn();
        }
        new KeptBodySteps(dialects, historyField).anotherHistoryWithAnEqualFirstMessage();
    }

    public void aTurn() {
        history.add(LlmMessage.user(List.of(new Content.Text("Read the files, \"one by one\" ✓"))));
        step();
        for (int i = 0; i < 12; i++) {
            grow(i, 3_000 + 700 * i);
            step();
        }
        long foundBefore = kept.found();
        // a rewind: the history is cut back to messages the kept body wrote
        history.subList(history.size() - 4, history.size()).clear();
        step();
        history.subList(history.size() - 1, history.size()).clear();
        step();
        grow(20, 5_000);
        step();
        // messages with nothing to send (or blank text) between others and last, then one with every kind of content
        history.add(LlmMessage.user(List.of()));
        history.add(LlmMessage.assistant(List.of(new Content.Text("  "), new Content.Reasoning("unsigned", Optional.empty()))));
        step();
        grow(25, 100);
        history.add(LlmMessage.assistant(List.of(new Content.Text("  "))));
        step();
        history.add(LlmMessage.assistant(List.of(new Content.Reasoning("thinking", Optional.of("enc-1")), new Content.Text("Two at once."),
                new Content.ToolCall("c_a", "read", "{\"path\":\"a\"}", Optional.empty()), new Content.ToolCall("c_b", "now", "", Optional.empty()))));
        history.add(LlmMessage.user(List.of(new Content.ToolResult("c_a", "read", "a's text", false), new Content.ToolResult("c_b", "now", "no clock", true),
                new Content.Text("and look"), new Content.Image("image/png", "iVBORw0K"), new Content.Image("application/pdf", "JVBERi0"))));
        step();
        grow(21, 100);
        step();
        assertThat(kept.found()).as("the steps above began with a kept body").isGreaterThanOrEqualTo(foundBefore + 5);

        system = List.of("block A", "block B, changed");
        step();
        system = List.of("block A");
        step();
        tools = List.of(READ);
        step();
        choice = ToolChoice.NONE;
        step();
        choice = ToolChoice.AUTO;
        step();
        maxTokens = 8192;
        step();
        temperature = Optional.of(0.9);
        step();
        cacheKey = Optional.of("ses_2");
        step();
        reasoning = Optional.of(ReasoningEffort.LOW);
        step();
        reasoning = Optional.empty();
        grow(22, 200);
        step();

        // a provider switch: another model and dialect, and the transforms repair a message in the middle (new ids)
        for (Dialect other : dialects.subList(1, dialects.size())) {
            dialect = other;
            model = "o4-mini";
            int middle = history.size() / 2;
            history.set(middle, repaired(history.get(middle)));
            step();
            grow(23, 300);
            step();
        }
        dialect = dialects.getFirst();
        model = "gpt-y";
        step();

        // a compaction: the first message stays, the ones after it are replaced by a summary, the newest kept
        List<LlmMessage> tail = new ArrayList<>(history.subList(history.size() - 4, history.size()));
        history.subList(1, history.size()).clear();
        history.add(LlmMessage.assistant(List.of(new Content.Text("Reading."))));
        history.add(LlmMessage.user(List.of(new Content.Text("Summary of the reads so far."))));
        history.add(LlmMessage.assistant(List.of(new Content.Text("Going on."))));
        history.addAll(tail);
        step();
        grow(24, 400);
        step();
        assertThat(sent).isGreaterThanOrEqualTo(30 + 2 * (dialects.size() - 1));
    }

    /** A history of another turn that begins with an equal (not the same) message is written whole, as it is. */
    public void anotherHistoryWithAnEqualFirstMessage() {
        history.add(LlmMessage.user(List.of(new Content.Text("same prompt"))));
        for (int i = 0; i < 3; i++) grow(i, 2_000);
        step();
        history.set(0, LlmMessage.user(List.of(new Content.Text("same prompt"))));
        history.set(2, LlmMessage.user(List.of(new Content.ToolResult("other", "read", "other output", false))));
        step();
        grow(9, 100);
        step();
    }

    /** Two tool-using steps: the model's call, then its result, {@code size} characters with text that needs escaping. */
    private void grow(int i, int size) {
        String id = "call_" + i;
        history.add(LlmMessage.assistant(List.of(new Content.Text("Reading " + i + "."),
                new Content.ToolCall(id, "read", "{\"path\":\"module_" + i + ".py\"}", Optional.empty()))));
        var output = new StringBuilder();
        while (output.length() < size) output.append("line \"").append(output.length()).append("\"\t✓ ").append(i).append('\n');
        history.add(LlmMessage.user(List.of(new Content.ToolResult(id, "read", output.toString(), false))));
    }

    private static LlmMessage repaired(LlmMessage m) {
        List<Content> content = new ArrayList<>();
        for (Content c : m.content()) {
            content.add(switch (c) {
                case Content.ToolCall call -> new Content.ToolCall("fc_" + call.callId(), call.name(), call.argsJson(), call.signature());
                case Content.ToolResult r -> new Content.ToolResult("fc_" + r.callId(), r.name(), r.output(), r.isError());
                default -> c;
            });
        }
        return new LlmMessage(m.role(), content);
    }

    /** The request as a turn's step makes it: new lists of the same message objects, compared with the body written whole. */
    private void step() {
        var request = new LlmRequest(model, new ArrayList<>(system), new ArrayList<>(tools), new ArrayList<>(history), maxTokens, choice, temperature,
                cacheKey, reasoning);
        String whole = new String(dialect.apply(request, KeptBodies.none()).bytes(), StandardCharsets.UTF_8);
        String begun = new String(dialect.apply(request, kept).bytes(), StandardCharsets.UTF_8);
        assertThat(begun).as("step %d", sent).isEqualTo(whole);
        assertThat(JSON.readTree(begun).path(historyField).size()).isPositive();
        sent++;
    }
}
