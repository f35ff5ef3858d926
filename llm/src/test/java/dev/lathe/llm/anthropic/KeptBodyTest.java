package dev.lathe.llm.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.llm.Content;
import dev.lathe.llm.KeptBodies;
import dev.lathe.llm.LlmMessage;
import dev.lathe.llm.LlmRequest;
import dev.lathe.llm.ReasoningEffort;
import dev.lathe.llm.ToolChoice;
import dev.lathe.llm.ToolSpec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A body begun with the previous step's bytes (issue 55) is byte for byte the body written whole, step after step of a
 * turn: through growth across chunk edges, a breakpoint that moves back onto messages sent without one (a rewind), a
 * changed system prompt, tool list, tool choice, output cap, temperature or reasoning, a provider switch that repairs a
 * message, a compaction that replaces messages, and a message with nothing to send. Each of these changes one thing the
 * kept body was written from; a key left out of the comparison makes its step differ.
 */
class KeptBodyTest {
    private static final ToolSpec READ = new ToolSpec("read", "Reads a file.", "{\"type\":\"object\",\"properties\":{\"path\":{\"type\":\"string\"}}}");
    private static final ToolSpec NOW = new ToolSpec("now", "The time.", "{\"type\":\"object\"}");

    private final KeptBodies<Encoder.Sent> kept = KeptBodies.upTo(16L << 20);
    private final List<LlmMessage> history = new ArrayList<>();
    private String model = "claude-x";
    private List<String> system = List.of("block A", "block B");
    private List<ToolSpec> tools = List.of(READ, NOW);
    private ToolChoice choice = ToolChoice.AUTO;
    private int maxTokens = 4096;
    private Optional<Double> temperature = Optional.of(0.5);
    private Optional<ReasoningEffort> reasoning = Optional.empty();
    private int sent;

    @Test
    void everyStepsBodyIsTheBodyWrittenWhole() {
        history.add(LlmMessage.user(List.of(new Content.Text("Read the files, \"one by one\" ✓"))));
        step();
        for (int i = 0; i < 12; i++) {
            grow(i, 3_000 + 700 * i);
            step();
        }
        long foundBefore = kept.found();
        // a rewind: the breakpoints move back onto messages the kept body wrote without them
        history.subList(history.size() - 4, history.size()).clear();
        step();
        history.subList(history.size() - 1, history.size()).clear();
        step();
        grow(20, 5_000);
        step();
        // a message with nothing to send, between others and last
        history.add(LlmMessage.assistant(List.of(new Content.Text("  "))));
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
        reasoning = Optional.of(ReasoningEffort.LOW);
        step();
        reasoning = Optional.empty();
        grow(22, 200);
        step();

        // a provider switch: another model, and the transforms repair a message in the middle (a new object, new ids)
        model = "claude-y";
        int middle = history.size() / 2;
        history.set(middle, repaired(history.get(middle)));
        step();
        grow(23, 300);
        step();

        // a compaction: the first message stays, the ones after it are replaced by a summary, the newest kept
        var summary = LlmMessage.user(List.of(new Content.Text("Summary of the reads so far.")));
        var answer = LlmMessage.assistant(List.of(new Content.Text("Going on.")));
        List<LlmMessage> tail = new ArrayList<>(history.subList(history.size() - 4, history.size()));
        history.subList(1, history.size()).clear();
        history.add(LlmMessage.assistant(List.of(new Content.Text("Reading."))));
        history.add(summary);
        history.add(answer);
        history.addAll(tail);
        step();
        grow(24, 400);
        step();
        assertThat(sent).isGreaterThanOrEqualTo(30);
    }

    /** A history of another turn that begins with an equal (not the same) message is written whole, as it is. */
    @Test
    void anEqualFirstMessageOfAnotherHistoryIsAnotherHistory() {
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
                case Content.ToolCall call -> new Content.ToolCall("toolu_" + call.callId(), call.name(), call.argsJson(), call.signature());
                case Content.ToolResult r -> new Content.ToolResult("toolu_" + r.callId(), r.name(), r.output(), r.isError());
                default -> c;
            });
        }
        return new LlmMessage(m.role(), content);
    }

    /** The request as a turn's step makes it: new lists of the same message objects, compared with the body written whole. */
    private void step() {
        var request = new LlmRequest(model, new ArrayList<>(system), new ArrayList<>(tools), new ArrayList<>(history), maxTokens, choice, temperature,
                Optional.empty(), reasoning);
        String whole = new String(Encoder.body(request, KeptBodies.none()).bytes(), StandardCharsets.UTF_8);
        String begun = new String(Encoder.body(request, kept).bytes(), StandardCharsets.UTF_8);
        assertThat(begun).as("step %d", sent).isEqualTo(whole);
        assertThat(Encoder.JSON.readTree(begun).path("messages").size()).isPositive();
        sent++;
    }
}
