package dev.lathe.core.session;

import dev.lathe.core.context.PromptHashes;
import dev.lathe.core.report.CacheReports;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.llm.Content;
import dev.lathe.llm.LlmMessage;
import dev.lathe.llm.LlmRequest;
import dev.lathe.llm.ToolChoice;
import dev.lathe.llm.ToolSpec;
import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.PartId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.CacheReport;
import dev.lathe.protocol.api.CacheReport.Block;
import dev.lathe.protocol.api.CacheReport.Outcome;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.Usage;
import dev.lathe.protocol.session.UserMessage;
import dev.lathe.protocol.wire.WireJson;
import dev.lathe.llm.Protocols;
import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.Turn;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cache report over stored steps: usage figures decoded from recorded provider responses by Lathe's own decoders,
 * block hashes computed by {@link PromptHashes} from requests that keep, extend or change their blocks.
 */
class CacheReportTest {
    static final String GROK = "xai/grok-4-fast";
    static final String SONNET = "anthropic/claude-sonnet-4-5";
    static final ToolSpec READ = new ToolSpec("read", "Read a file", "{\"type\":\"object\"}");
    static final ToolSpec WRITE = new ToolSpec("write", "Write a file", "{\"type\":\"object\"}");

    final SessionId session = SessionId.next();
    final List<MessageWithParts> history = new ArrayList<>();
    /** The shape of the last request, as the turn passes it to {@link PromptHashes#of}. */
    Optional<String> lastShape = Optional.empty();

    @Test
    void namesTheBlockThatChangedFirstWithTheHitRatioOfEachRequest() {
        // xAI chat completions, two agent loops: prompt 436 with 152 cached, 670 with 618; 390 with 192, 526 with 512
        List<Usage> loop = RecordedUsage.of("openai-chat", "charmbracelet-fantasy/TestOpenAICompatibleCommon/xai-grok-4-fast/multi_tool.cassette.json");
        List<Usage> other = RecordedUsage.of("openai-chat", "charmbracelet-fantasy/TestOpenAICompatibleCommon/xai-grok-code-fast/tool.cassette.json");
        assertThat(loop).containsExactly(new Usage(284, 68, 148, 152, 0), new Usage(52, 25, 44, 618, 0));
        assertThat(other.getFirst()).isEqualTo(new Usage(198, 26, 97, 192, 0));
        assertThat(other.get(1)).isEqualTo(new Usage(14, 27, 72, 512, 0));

        List<LlmMessage> talk = new ArrayList<>(List.of(user("add a test")));
        MessageId first = assistant(GROK);
        step(first, request("Agents: run mvn test.", List.of(READ), talk), loop.get(0));
        talk.add(LlmMessage.assistant(List.of(new Content.ToolCall("c1", "read", "{}"))));
        talk.add(LlmMessage.user(List.of(new Content.ToolResult("c1", "read", "class A {}", false))));
        step(first, request("Agents: run mvn test.", List.of(READ), talk), loop.get(1));
        // the user edited AGENTS.md between two prompts: block B changes, the tools do not
        talk.add(LlmMessage.assistant(List.of(new Content.Text("Done."))));
        talk.add(user("and another"));
        MessageId second = assistant(GROK);
        step(second, request("Agents: run mvn verify.", List.of(READ), talk), other.get(0));
        // an MCP server came up: the tools change
        talk.add(LlmMessage.assistant(List.of(new Content.Text("Sure."))));
        talk.add(user("go on"));
        MessageId third = assistant(GROK);
        step(third, request("Agents: run mvn verify.", List.of(READ, WRITE), talk), other.get(1));

        CacheReport report = CacheReports.of(session, history);

        assertThat(report.requests()).containsExactly(
                new CacheReport.Request(first, 1, GROK, 284, 152, 0, 68, 152.0 / 436, Outcome.FIRST, Optional.empty(), Optional.empty()),
                new CacheReport.Request(first, 2, GROK, 52, 618, 0, 25, 618.0 / 670, Outcome.KEPT, Optional.empty(), Optional.empty()),
                new CacheReport.Request(second, 1, GROK, 198, 192, 0, 26, 192.0 / 390, Outcome.BROKE, Optional.of(Block.INSTRUCTIONS), Optional.empty()),
                new CacheReport.Request(third, 1, GROK, 14, 512, 0, 27, 512.0 / 526, Outcome.BROKE, Optional.of(Block.TOOLS), Optional.empty()));
        assertThat(report.totals()).isEqualTo(new CacheReport.Totals(4, 548, 1474, 0, 146, 1474.0 / 2022,
                new CacheReport.Breaks(0, 0, 1, 1, 0), 0));
        // on the wire: the block and the outcome by their lower-case names
        String json = WireJson.write(report);
        assertThat(json).contains("\"broke\":\"instructions\"", "\"broke\":\"tools\"", "\"outcome\":\"kept\"", "\"hitRatio\":0.9223880597014925");
        assertThat(WireJson.read(json, CacheReport.class)).isEqualTo(report);
    }

    @Test
    void aPrefixThatContinuesIsKeptWithNoBreak() {
        List<Usage> loop = RecordedUsage.of("openai-chat", "charmbracelet-fantasy/TestOpenAICompatibleCommon/xai-grok-code-fast/tool.cassette.json");
        List<LlmMessage> talk = new ArrayList<>(List.of(user("what is in a.txt?")));
        MessageId m = assistant(GROK);
        step(m, request("Agents.", List.of(READ), talk), loop.get(0));
        talk.add(LlmMessage.assistant(List.of(new Content.ToolCall("c1", "read", "{\"path\":\"a.txt\"}"))));
        talk.add(LlmMessage.user(List.of(new Content.ToolResult("c1", "read", "alpha", false))));
        step(m, request("Agents.", List.of(READ), talk), loop.get(1));

        CacheReport report = CacheReports.of(session, history);

        assertThat(report.requests()).extracting(CacheReport.Request::outcome).containsExactly(Outcome.FIRST, Outcome.KEPT);
        assertThat(report.requests()).extracting(CacheReport.Request::hitRatio).containsExactly(192.0 / 390, 512.0 / 526);
        assertThat(report.requests()).allSatisfy(r -> assertThat(r.broke()).isEmpty());
        assertThat(report.totals()).isEqualTo(new CacheReport.Totals(2, 212, 704, 0, 53, 704.0 / 916, CacheReport.Breaks.NONE, 0));
    }

    @Test
    void aMissWithAnUnchangedPrefixIsToldApartFromABreak() {
        // Anthropic: 6 uncached, 6,289 read, 3,337 written; then a large prompt served with no cache at all
        Usage cached = RecordedUsage.of("anthropic-messages", "vercel-ai-anthropic/anthropic-code-execution-20260120-prompt-cache.1.chunks.txt").getFirst();
        Usage cold = RecordedUsage.of("anthropic-messages", "vercel-ai-anthropic/anthropic-code-execution-file-upload.1.chunks.txt").getFirst();
        assertThat(cached).isEqualTo(new Usage(6, 198, 0, 6289, 3337));
        assertThat(cold.cacheRead() + cold.cacheWrite()).isZero();
        assertThat(cold.input()).isEqualTo(11505);

        List<LlmMessage> talk = new ArrayList<>(List.of(user("run the tests")));
        MessageId m = assistant(SONNET);
        step(m, request("Agents.", List.of(READ), talk), cached);
        talk.add(LlmMessage.assistant(List.of(new Content.Text("They pass."))));
        talk.add(user("thanks"));  // an hour later: nothing changed, the provider's cache entry is gone
        MessageId later = assistant(SONNET);
        step(later, request("Agents.", List.of(READ), talk), cold);

        CacheReport report = CacheReports.of(session, history);

        assertThat(report.requests().getFirst().hitRatio()).isEqualTo(6289.0 / 9632);
        CacheReport.Request missed = report.requests().get(1);
        assertThat(missed.outcome()).isEqualTo(Outcome.MISSED);
        assertThat(missed.broke()).isEmpty();
        assertThat(missed.reason()).contains("cache expired or evicted");
        assertThat(missed.hitRatio()).isZero();
        assertThat(report.totals().missed()).isEqualTo(1);
        assertThat(report.totals().breaks()).isEqualTo(CacheReport.Breaks.NONE);
        assertThat(report.totals().hitRatio()).isEqualTo(6289.0 / (9632 + 11505));
    }

    @Test
    void aProviderThatNeverCachesIsNotReportedAsMissing() {
        // Anthropic requests sent without cache_control: 11,505 and then 612 uncached tokens, nothing read or written; the
        // second reads far less than a tenth of the first, which would be a miss from a provider that caches
        Usage first = RecordedUsage.of("anthropic-messages", "vercel-ai-anthropic/anthropic-code-execution-file-upload.1.chunks.txt").getFirst();
        Usage second = RecordedUsage.of("anthropic-messages", "vercel-ai-anthropic/anthropic-compaction.1.chunks.txt").getFirst();
        assertThat(List.of(first.input(), second.input())).containsExactly(11505L, 612L);
        assertThat(first.cacheRead() + first.cacheWrite() + second.cacheRead() + second.cacheWrite()).isZero();
        List<LlmMessage> talk = new ArrayList<>(List.of(user("summarise the upload")));
        MessageId m = assistant(SONNET);
        step(m, request("Agents.", List.of(READ), talk), first);
        talk.add(LlmMessage.assistant(List.of(new Content.Text("It is a CSV."))));
        talk.add(user("and the other file"));
        step(m, request("Agents.", List.of(READ), talk), second);

        assertThat(CacheReports.of(session, history).requests()).extracting(CacheReport.Request::outcome).containsExactly(Outcome.FIRST, Outcome.KEPT);
    }

    @Test
    void aCompactionOrAModelSwitchExplainsTheBreak() {
        List<Usage> loop = RecordedUsage.of("openai-chat", "charmbracelet-fantasy/TestOpenAICompatibleCommon/xai-grok-4-fast/multi_tool.cassette.json");
        Usage anthropic = RecordedUsage.of("anthropic-messages", "vercel-ai-anthropic/anthropic-code-execution-20260120-prompt-cache.1.chunks.txt").getFirst();

        // a failover inside one message: Anthropic is overloaded, the step moves to xAI
        List<LlmMessage> talk = new ArrayList<>(List.of(user("refactor A")));
        MessageId failover = assistant(SONNET);
        step(failover, request("Agents.", List.of(READ), talk), anthropic);
        talk.add(LlmMessage.assistant(List.of(new Content.ToolCall("c1", "read", "{}"))));
        talk.add(LlmMessage.user(List.of(new Content.ToolResult("c1", "read", "class A {}", false))));
        part(failover, id -> new Part.ModelSwitch(id, session, failover, SONNET, GROK, "overloaded: Overloaded"));
        step(failover, request("Agents.", List.of(READ), talk), loop.get(0));

        // compaction: a user message carries the part, an assistant message answers with the summary (extending the
        // conversation), then the next request starts over from the summary
        talk.add(LlmMessage.assistant(List.of(new Content.Text("Refactored."))));
        talk.add(user("Summarise the conversation so far."));
        MessageId compactionMessage = userMessage();
        MessageId summary = MessageId.next();
        part(compactionMessage, id -> new Part.Compaction(id, session, compactionMessage, true, Optional.of(summary)));
        assistant(summary, GROK, compactionMessage);
        step(summary, request("Agents.", List.of(READ), talk), loop.get(1));
        List<LlmMessage> compacted = new ArrayList<>(List.of(user("Task: refactor A. Summary: done."), user("next")));
        MessageId after = assistant(GROK);
        step(after, request("Agents.", List.of(READ), compacted), loop.get(0));
        // a later rewrite nobody explains (a revert) names no reason
        MessageId reverted = assistant(GROK);
        step(reverted, request("Agents.", List.of(READ), List.of(user("something else"))), loop.get(1));

        CacheReport report = CacheReports.of(session, history);

        assertThat(report.requests()).extracting(CacheReport.Request::model).containsExactly(SONNET, GROK, GROK, GROK, GROK);
        assertThat(report.requests()).extracting(CacheReport.Request::outcome)
                .containsExactly(Outcome.FIRST, Outcome.BROKE, Outcome.KEPT, Outcome.BROKE, Outcome.BROKE);
        assertThat(report.requests()).extracting(CacheReport.Request::broke)
                .containsExactly(Optional.empty(), Optional.of(Block.MODEL), Optional.empty(), Optional.of(Block.MESSAGES), Optional.of(Block.MESSAGES));
        assertThat(report.requests()).extracting(CacheReport.Request::reason).containsExactly(Optional.empty(),
                Optional.of("model switch: " + SONNET + " → " + GROK), Optional.empty(), Optional.of("compaction"), Optional.empty());
        assertThat(report.requests()).extracting(CacheReport.Request::step).containsExactly(1, 2, 1, 1, 1);
        assertThat(report.totals().breaks()).isEqualTo(new CacheReport.Breaks(1, 0, 0, 0, 2));
        assertThat(report.totals().hitRatio()).isEqualTo((6289.0 + 152 + 618 + 152 + 618) / (9632 + 436 + 670 + 436 + 670));
    }

    @Test
    void pruningInsideATurnExplainsTheNextStepsRewrite() {
        Usage usage = new Usage(100, 10, 0, 2_000, 0);
        List<LlmMessage> talk = new ArrayList<>(List.of(user("read the logs")));
        MessageId m = assistant(GROK);
        talk.add(LlmMessage.assistant(List.of(new Content.ToolCall("c1", "read", "{}"))));
        talk.add(LlmMessage.user(List.of(new Content.ToolResult("c1", "read", "a very long log", false))));
        step(m, request("Agents.", List.of(READ), talk), usage);
        // after the step the compactor prunes old outputs: the part sits on the turn's own assistant message
        part(m, id -> new Part.Compaction(id, session, m, true, Optional.empty(), List.of("c1"), Optional.empty()));
        talk.set(2, LlmMessage.user(List.of(new Content.ToolResult("c1", "read", "[Output cleared from the context]", false))));
        step(m, request("Agents.", List.of(READ), talk), usage);
        talk.add(LlmMessage.assistant(List.of(new Content.Text("Done."))));
        step(m, request("Agents.", List.of(READ), talk), usage);

        assertThat(CacheReports.of(session, history).requests()).extracting(CacheReport.Request::outcome, CacheReport.Request::reason)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Outcome.FIRST, Optional.empty()),
                        org.assertj.core.groups.Tuple.tuple(Outcome.BROKE, Optional.of("compaction")),
                        org.assertj.core.groups.Tuple.tuple(Outcome.KEPT, Optional.empty()));
    }

    @Test
    void stepsRecordedBeforeTheShapeHashesAreUnknownNotBroken() {
        MessageId m = assistant(GROK);
        part(m, id -> new Part.StepStart(id, session, m, Optional.empty(), Map.of("system", "a", "tools", "b", "instructions", "c", "messages", "d")));
        part(m, id -> new Part.StepFinish(id, session, m, "tool_calls", new Usage(100, 10, 0, 0, 0), 0, Optional.empty()));
        part(m, id -> new Part.StepStart(id, session, m, Optional.empty(), Map.of()));
        part(m, id -> new Part.StepFinish(id, session, m, "stop", new Usage(10, 10, 0, 100, 0), 0, Optional.empty()));
        // a step still streaming has no usage yet: it is left out
        part(m, id -> new Part.StepStart(id, session, m, Optional.empty(), Map.of()));

        CacheReport report = CacheReports.of(session, history);

        assertThat(report.requests()).extracting(CacheReport.Request::outcome).containsExactly(Outcome.FIRST, Outcome.UNKNOWN);
        assertThat(report.totals().requests()).isEqualTo(2);
    }

    @Test
    void aStepHashedWithSha256BeforeTheChecksumsIsComparedWithNothing() {
        List<Usage> loop = RecordedUsage.of("openai-chat", "charmbracelet-fantasy/TestOpenAICompatibleCommon/xai-grok-code-fast/tool.cassette.json");
        List<LlmMessage> talk = new ArrayList<>(List.of(user("what is in a.txt?")));
        MessageId m = assistant(GROK);
        // as stored before decision 58: every key, and no checksum named
        part(m, id -> new Part.StepStart(id, session, m, Optional.empty(), Map.of("system", "1f0e", "tools", "2a9c", "instructions", "77b1",
                "messages", "90cc", "shape", "1:1")));
        part(m, id -> new Part.StepFinish(id, session, m, "tool_calls", loop.get(0), 0, Optional.empty()));
        lastShape = Optional.of("1:1");
        talk.add(LlmMessage.assistant(List.of(new Content.ToolCall("c1", "read", "{\"path\":\"a.txt\"}"))));
        talk.add(LlmMessage.user(List.of(new Content.ToolResult("c1", "read", "alpha", false))));
        step(m, request("Agents.", List.of(READ), talk), loop.get(1));
        talk.add(LlmMessage.assistant(List.of(new Content.Text("It says alpha."))));
        talk.add(user("thanks"));
        step(m, request("Agents.", List.of(READ), talk), loop.get(1));

        CacheReport report = CacheReports.of(session, history);

        assertThat(report.requests()).extracting(CacheReport.Request::outcome).containsExactly(Outcome.FIRST, Outcome.UNKNOWN, Outcome.KEPT);
    }

    @Test
    void checksumsTellAChangedBlockAndAnExtendedConversation() {
        List<LlmMessage> talk = new ArrayList<>(List.of(user("what is in a.txt?")));
        Map<String, String> first = PromptHashes.of(request("Agents.", List.of(READ), talk), Optional.empty());
        talk.add(LlmMessage.assistant(List.of(new Content.Text("alpha"))));
        Map<String, String> grown = PromptHashes.of(request("Agents.", List.of(READ), talk), Optional.of(first.get(PromptHashes.SHAPE)));
        Map<String, String> otherInstructions = PromptHashes.of(request("Agents!", List.of(READ), talk), Optional.empty());

        assertThat(first.get(PromptHashes.ALGORITHM)).isEqualTo("crc32c+crc32/2");
        assertThat(first.get(PromptHashes.SYSTEM)).matches("[0-9a-f]{16}").isEqualTo(otherInstructions.get(PromptHashes.SYSTEM));
        assertThat(first.get(PromptHashes.INSTRUCTIONS)).isEqualTo(grown.get(PromptHashes.INSTRUCTIONS))
                .isNotEqualTo(otherInstructions.get(PromptHashes.INSTRUCTIONS));
        assertThat(grown.get(PromptHashes.PREFIX)).isEqualTo(first.get(PromptHashes.MESSAGES));
        assertThat(grown.get(PromptHashes.MESSAGES)).isNotEqualTo(first.get(PromptHashes.MESSAGES));
        assertThat(otherInstructions.get(PromptHashes.MESSAGES)).isEqualTo(grown.get(PromptHashes.MESSAGES));
    }

    @Test
    void aRealSessionKeepsItsPrefixUntilACompactionAndAModelSwitchBreakIt(@TempDir Path tmp) throws Exception {
        try (var llm = FakeLlm.start()) {
            String config = "{\"model\": \"fake/m\", \"provider\": {\"fake\": {\"protocol\": \"openai-chat\", \"baseUrl\": \"" + llm.baseUrl()
                    + "\", \"models\": {\"m\": {\"context\": 100000, \"output\": 4000}, \"n\": {\"context\": 100000, \"output\": 4000}}}}}";
            try (var h = new Harness(tmp, config, 10, Protocols.standard(HttpClient.newHttpClient()))) {
                Files.writeString(h.project.resolve("a.txt"), "alpha\n");
                llm.enqueue(Turn.of(Step.text("Reading."), Step.toolCall("c1", "read", "{\"path\":\"a.txt\"}")).finish("tool_calls").usage(1_500, 10, 0, 0));
                llm.enqueue(Turn.of(Step.text("It says alpha.")).usage(100, 10, 1_500, 0));
                llm.enqueue(Turn.of(Step.text("Yes.")).usage(100, 10, 1_600, 0));
                llm.enqueue(Turn.of(Step.text("## Progress\nRead a.txt.")).usage(100, 10, 1_700, 0));  // the summary
                llm.enqueue(Turn.of(Step.text("Go on.")).usage(900, 10, 900, 0));
                llm.enqueue(Turn.of(Step.text("Switched.")).usage(1_000, 10, 0, 0));
                var s = h.session();
                h.promptAndWait(s.id(), "what is in a.txt?");
                h.promptAndWait(s.id(), "sure?");
                h.api.compact(s.id());
                h.promptAndWait(s.id(), "next");
                h.api.prompt(s.id(), new dev.lathe.protocol.api.PromptRequest(List.of(new dev.lathe.protocol.api.InputPart.Text("other model")),
                        Optional.empty(), Optional.of("fake/n")));
                h.awaitIdle(s.id());
                assertThat(llm.requests()).hasSize(6);

                CacheReport report = h.api.cache(s.id());

                // the summary request extends the conversation (a cache hit); the request after it starts from the summary
                assertThat(report.requests()).extracting(CacheReport.Request::outcome).containsExactly(Outcome.FIRST, Outcome.KEPT, Outcome.KEPT,
                        Outcome.KEPT, Outcome.BROKE, Outcome.BROKE);
                assertThat(report.requests()).extracting(CacheReport.Request::broke).containsExactly(Optional.empty(), Optional.empty(),
                        Optional.empty(), Optional.empty(), Optional.of(Block.MESSAGES), Optional.of(Block.MODEL));
                assertThat(report.requests()).extracting(CacheReport.Request::reason).containsExactly(Optional.empty(), Optional.empty(),
                        Optional.empty(), Optional.empty(), Optional.of("compaction"), Optional.of("model switch: fake/m → fake/n"));
                assertThat(report.requests()).extracting(CacheReport.Request::model).containsExactly("fake/m", "fake/m", "fake/m", "fake/m", "fake/m",
                        "fake/n");
                assertThat(report.totals().hitRatio()).isEqualTo((1_500.0 + 1_600 + 1_700 + 900) / (1_500 + 1_600 + 1_700 + 1_800 + 1_800 + 1_000));
            }
        }
    }

    // --- building a stored history

    private static LlmMessage user(String text) { return LlmMessage.user(List.of(new Content.Text(text))); }

    private static LlmRequest request(String instructions, List<ToolSpec> tools, List<LlmMessage> messages) {
        return new LlmRequest("m", List.of("You are Lathe.", instructions), tools, List.copyOf(messages), 4000, ToolChoice.AUTO, Optional.empty(),
                Optional.empty());
    }

    private MessageId userMessage() {
        var m = new UserMessage(MessageId.next(), session, System.currentTimeMillis(), "build", GROK);
        history.add(new MessageWithParts(m, List.of()));
        return m.id();
    }

    /** A new assistant message answering a new user message. */
    private MessageId assistant(String model) { return assistant(MessageId.next(), model, userMessage()); }

    private MessageId assistant(MessageId id, String model, MessageId parent) {
        var a = new AssistantMessage(id, session, parent, "build", model, System.currentTimeMillis(), Optional.empty(), Optional.empty(),
                Optional.empty(), Usage.ZERO, 0);
        history.add(new MessageWithParts(a, List.of()));
        return id;
    }

    /** A step as the turn stores it: the request's hashes on its start, the provider's usage on its finish. */
    private void step(MessageId message, LlmRequest request, Usage usage) {
        Map<String, String> hashes = PromptHashes.of(request, lastShape);
        lastShape = Optional.of(hashes.get(PromptHashes.SHAPE));
        part(message, id -> new Part.StepStart(id, session, message, Optional.empty(), hashes));
        part(message, id -> new Part.StepFinish(id, session, message, "stop", usage, 0, Optional.empty()));
    }

    private void part(MessageId message, java.util.function.Function<PartId, Part> make) {
        for (int i = 0; i < history.size(); i++) {
            if (history.get(i).info().id().equals(message)) {
                List<Part> parts = new ArrayList<>(history.get(i).parts());
                parts.add(make.apply(PartId.next()));
                history.set(i, new MessageWithParts(history.get(i).info(), parts));
                return;
            }
        }
        throw new AssertionError("no message " + message);
    }
}
