package dev.lathe.core.session;

import static dev.lathe.core.session.ScriptedProtocol.call;
import static dev.lathe.core.session.ScriptedProtocol.finish;
import static dev.lathe.core.session.ScriptedProtocol.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.core.agent.Agent;
import dev.lathe.core.agent.Agents;
import dev.lathe.core.context.ContextBuilder;
import dev.lathe.core.context.KeptMessages;
import dev.lathe.core.context.PromptHashes;
import dev.lathe.core.model.ResolvedModel;
import dev.lathe.core.project.Project;
import dev.lathe.core.session.inbox.PromptIntake;
import dev.lathe.llm.LlmEvent;
import dev.lathe.llm.LlmMessage;
import dev.lathe.llm.LlmRequest;
import dev.lathe.llm.StopReason;
import dev.lathe.protocol.PartId;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.api.Restore;
import dev.lathe.protocol.api.RewindRequest;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.MessageError;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.ToolState;
import dev.lathe.protocol.session.UserMessage;
import dev.lathe.tools.ToolRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The messages a turn keeps between its steps (issue 55): a build that reuses them sends exactly what a build afresh
 * sends, whatever changed in between (the history grew, a tool's result came, a rewind, an edited output, outputs
 * pruned, another provider, a stopped answer), and the prompt sums taken from kept sums are the ones summed afresh.
 */
class KeptMessagesTest {
    private static final String CONFIG = "{\"model\": \"fake/m\", \"provider\": {"
            + "\"fake\": {\"protocol\": \"openai-chat\", \"baseUrl\": \"http://127.0.0.1:9/v1\", \"models\": {\"m\": {\"context\": 100000, \"output\": 4000}}},"
            + "\"mistral\": {\"protocol\": \"openai-chat\", \"baseUrl\": \"http://127.0.0.1:9/v1\", \"models\": {\"m\": {\"context\": 100000, \"output\": 4000}}}}}";

    @TempDir Path tmp;

    /** The session's project, agent and models, a history of four steps, and the builder a turn uses. */
    private record Setting(Project project, Agent agent, ResolvedModel fake, ResolvedModel mistral, List<MessageWithParts> history, ContextBuilder builder) {
        LlmRequest fresh(ResolvedModel model, List<MessageWithParts> h) {
            return builder.build(project, agent, model, h, ContextBuilder.Step.NORMAL);
        }

        /** Built with {@code kept}; asserted to be what a build afresh makes, its prompt sums too. */
        LlmRequest kept(KeptMessages kept, ResolvedModel model, List<MessageWithParts> h) {
            LlmRequest request = builder.build(project, agent, model, h, ContextBuilder.Step.NORMAL, kept);
            assertThat(request).isEqualTo(fresh(model, h));
            Optional<String> shape = Optional.of("3:1");
            assertThat(PromptHashes.of(request, shape, kept.sums())).isEqualTo(PromptHashes.of(request, shape));
            return request;
        }
    }

    private Setting setting(Harness h) throws Exception {
        Files.writeString(h.project.resolve("a.txt"), "alpha\n".repeat(50));
        var s = h.session();
        for (int i = 1; i <= 3; i++) {
            h.llm.then(concat(new LlmEvent[] {new LlmEvent.ReasoningDelta(0, "look " + i, Optional.of("sig" + i))},
                    call(1, "call_" + i, "read", "{\"path\":\"a.txt\",\"offset\":" + i + "}"), new LlmEvent[] {finish(StopReason.TOOL_CALLS)}));
        }
        h.llm.then(text("Read it."), finish(StopReason.STOP));
        h.promptAndWait(s.id(), "read a.txt");
        Project project = h.projects.get(h.project.toString());
        return new Setting(project, project.agent(s.agent()), PromptIntake.resolve(project, "fake/m"), PromptIntake.resolve(project, "mistral/m"),
                h.api.messages(s.id()), new ContextBuilder(ToolRegistry.builtins(), tmp.resolve("outputs")));
    }

    @Test
    void theStepsOfATurnShareTheMessagesTheHistoryDidNotChange() throws Exception {
        try (var h = new Harness(tmp, CONFIG, 10, null)) {
            setting(h);
            List<LlmRequest> sent = h.llm.requests;
            assertThat(sent).hasSize(4);
            // a part written late (a step's snapshot, its finish written behind) is a new object, so its step is rendered
            // again once; built afresh at every step, none would be the same object
            int comparable = 0;
            int same = 0;
            for (int step = 1; step < sent.size(); step++) {
                List<LlmMessage> before = sent.get(step - 1).messages();
                // all but the last: the one after it (the new results) may join it
                for (int i = 0; i < before.size() - 1; i++) {
                    comparable++;
                    if (sent.get(step).messages().get(i) == before.get(i)) same++;
                }
            }
            assertThat(same).as("of %d", comparable).isGreaterThanOrEqualTo(comparable / 2).isPositive();
        }
    }

    @Test
    void aHistoryThatGrowsAndGoesBackIsSentAsBuiltAfresh() throws Exception {
        try (var h = new Harness(tmp, CONFIG, 10, null)) {
            Setting t = setting(h);
            var kept = KeptMessages.create();
            List<Part> parts = t.history().getLast().parts();
            List<Integer> starts = new ArrayList<>();
            for (int i = 0; i < parts.size(); i++) if (parts.get(i) instanceof Part.StepStart) starts.add(i);
            starts.add(parts.size());
            // step by step, each step's call first running, then done
            for (int k = 1; k < starts.size(); k++) {
                List<Part> upTo = parts.subList(0, starts.get(k));
                int call = lastTool(upTo);
                if (call >= 0) {
                    var tool = (Part.Tool) upTo.get(call);
                    List<Part> running = new ArrayList<>(upTo);
                    running.set(call, tool.withState(new ToolState.Pending(tool.input())));
                    assertThat(sent(t.kept(kept, t.fake(), withParts(t.history(), running)))).contains("Tool execution was interrupted");
                }
                t.kept(kept, t.fake(), withParts(t.history(), upTo));
            }
            LlmRequest whole = t.kept(kept, t.fake(), t.history());
            LlmRequest again = t.kept(kept, t.fake(), t.history());
            for (int i = 0; i < whole.messages().size(); i++) assertThat(again.messages().get(i)).isSameAs(whole.messages().get(i));
            // a rewind to the second step, then the whole again
            LlmRequest rewound = t.kept(kept, t.fake(), withParts(t.history(), parts.subList(0, starts.get(2))));
            assertThat(rewound.messages()).hasSizeLessThan(whole.messages().size());
            t.kept(kept, t.fake(), t.history());
        }
    }

    @Test
    void aContextKeptAcrossTurnsACompactionAndARewindIsTheOneBuiltAfresh() throws Exception {
        try (var h = new Harness(tmp, CONFIG, 10, null)) {
            Setting t = setting(h);
            var kept = KeptMessages.create();
            var session = t.history().getFirst().info().sessionId();
            t.kept(kept, t.fake(), t.history());
            h.llm.then(concat(call(1, "call_9", "read", "{\"path\":\"a.txt\",\"offset\":9}"), new LlmEvent[] {finish(StopReason.TOOL_CALLS)}));
            h.llm.then(text("Second."), finish(StopReason.STOP));
            h.promptAndWait(session, "again");
            List<MessageWithParts> second = h.api.messages(session);
            assertThat(sent(t.kept(kept, t.fake(), second))).contains("Second.", "call_9");
            // compacted: the model reads the summary, then what follows it
            h.llm.then(text("The summary so far."), finish(StopReason.STOP));
            h.api.compact(session);
            assertThat(sent(t.kept(kept, t.fake(), h.api.messages(session)))).contains("The summary so far.");
            h.llm.then(text("Third."), finish(StopReason.STOP));
            h.promptAndWait(session, "once more");
            List<MessageWithParts> third = h.api.messages(session);
            assertThat(sent(t.kept(kept, t.fake(), third))).contains("The summary so far.", "Third.");
            // the last turn rewound: the model never reads it again
            MessageWithParts lastPrompt = third.stream().filter(m -> m.info() instanceof UserMessage).reduce((a, b) -> b).orElseThrow();
            h.api.rewind(session, RewindRequest.to(lastPrompt.info().id(), Restore.conversation));
            assertThat(sent(t.kept(kept, t.fake(), h.api.messages(session)))).contains("The summary so far.").doesNotContain("Third.");
            // and the history as it was before each change, built with what the later builds kept
            t.kept(kept, t.fake(), third);
            t.kept(kept, t.fake(), second);
            t.kept(kept, t.fake(), t.history());
        }
    }

    @Test
    void anEditedOutputPrunedOutputsAnotherProviderAndAStoppedAnswerAreNeverSentAsKept() throws Exception {
        try (var h = new Harness(tmp, CONFIG, 10, null)) {
            Setting t = setting(h);
            var kept = KeptMessages.create();
            t.kept(kept, t.fake(), t.history());
            List<Part> parts = new ArrayList<>(t.history().getLast().parts());
            int first = parts.indexOf(parts.stream().filter(Part.Tool.class::isInstance).findFirst().orElseThrow());
            var tool = (Part.Tool) parts.get(first);

            // the first output edited (a new part where the old one was), as a background task's start: its tools offered
            var c = (ToolState.Completed) tool.state();
            parts.set(first, tool.withState(new ToolState.Completed(c.input(), "edited output", c.title(), Map.of("background", "true"), c.startedAt(),
                    c.endedAt(), c.attachments(), c.display())));
            LlmRequest edited = t.kept(kept, t.fake(), withParts(t.history(), parts));
            assertThat(sent(edited)).contains("edited output");
            LlmRequest back = t.kept(kept, t.fake(), t.history());
            assertThat(sent(back)).doesNotContain("edited output");
            assertThat(edited.tools()).hasSizeGreaterThan(back.tools().size());

            // the first call's output pruned by a compaction: the same parts, now sent as a placeholder
            List<MessageWithParts> pruned = new ArrayList<>(t.history());
            MessageWithParts prompt = pruned.getFirst();
            List<Part> promptParts = new ArrayList<>(prompt.parts());
            promptParts.add(new Part.Compaction(PartId.next(), tool.sessionId(), prompt.info().id(), true, Optional.empty(), List.of(tool.callId()),
                    Optional.empty()));
            pruned.set(0, new MessageWithParts(prompt.info(), promptParts));
            assertThat(sent(t.kept(kept, t.fake(), pruned))).contains("Output cleared from the context");
            assertThat(sent(t.kept(kept, t.fake(), t.history()))).doesNotContain("Output cleared from the context");

            // another provider: its reasoning dropped and its ids made Mistral's, then back
            LlmRequest other = t.kept(kept, t.mistral(), t.history());
            assertThat(sent(other)).doesNotContain("call_1", "look 1");
            assertThat(sent(t.kept(kept, t.fake(), t.history()))).contains("call_1", "look 1");

            // the last step failed: its text is dropped, unless the user stopped the answer there (the user saw it)
            List<Part> failed = new ArrayList<>(t.history().getLast().parts());
            var end = (Part.StepFinish) failed.getLast();
            failed.set(failed.size() - 1, new Part.StepFinish(end.id(), end.sessionId(), end.messageId(), StopReason.ERROR.wire(), end.usage(), end.cost(),
                    end.snapshot()));
            List<MessageWithParts> failedHistory = withParts(t.history(), failed);
            assertThat(sent(t.kept(kept, t.fake(), failedHistory))).doesNotContain("Read it.");
            var answer = (AssistantMessage) failedHistory.getLast().info();
            List<MessageWithParts> stopped = new ArrayList<>(failedHistory);
            stopped.set(stopped.size() - 1, new MessageWithParts(answer.failed(1L, MessageError.aborted(), answer.usage(), answer.cost()), failed));
            assertThat(sent(t.kept(kept, t.fake(), stopped))).contains("Read it.", ContextBuilder.INTERRUPTED);
            assertThat(sent(t.kept(kept, t.fake(), failedHistory))).doesNotContain("Read it.");
        }
    }

    @Test
    void blockBIsTheSameStringUntilTheInstructionsTheAgentsOrTheSubagentToolChange() throws Exception {
        try (var h = new Harness(tmp, CONFIG, 10, null)) {
            Setting t = setting(h);
            var kept = KeptMessages.create();
            LlmRequest first = t.kept(kept, t.fake(), t.history());
            assertThat(first.system().getLast()).contains("# Subagents");
            assertThat(t.kept(kept, t.fake(), t.history()).system().getLast()).as("kept: the very same string").isSameAs(first.system().getLast());

            // instructions read again (an AGENTS.md edited)
            Project edited = t.project().withInstructions("Always answer in French.");
            assertThat(keptAs(t, kept, edited, t.agent()).system().getLast()).contains("Always answer in French.");
            // agents read again (a subagent's file removed)
            Agent gone = edited.agents().subagents().getFirst();
            Project fewer = edited.withAgents(new Agents(edited.agents().all().stream().filter(a -> a != gone).toList()));
            assertThat(keptAs(t, kept, fewer, t.agent()).system().getLast()).doesNotContain("- " + gone.name() + ":");
            // an agent that starts no subagents: the block has the instructions only
            Agent subagent = fewer.agents().subagents().getFirst();
            assertThat(keptAs(t, kept, fewer, subagent).system().getLast()).isEqualTo("Always answer in French.");
            assertThat(keptAs(t, kept, fewer, t.agent()).system().getLast()).contains("# Subagents");
        }
    }

    /** Built with {@code kept} for {@code project} and {@code agent}; asserted to be what a build afresh makes. */
    private static LlmRequest keptAs(Setting t, KeptMessages kept, Project project, Agent agent) {
        LlmRequest request = t.builder().build(project, agent, t.fake(), t.history(), ContextBuilder.Step.NORMAL, kept);
        assertThat(request).isEqualTo(t.builder().build(project, agent, t.fake(), t.history(), ContextBuilder.Step.NORMAL));
        return request;
    }

    private static String sent(LlmRequest request) {
        return request.messages().toString();
    }

    private static int lastTool(List<Part> parts) {
        for (int i = parts.size() - 1; i >= 0; i--) if (parts.get(i) instanceof Part.Tool) return i;
        return -1;
    }

    /** The history with its last message's parts replaced. */
    private static List<MessageWithParts> withParts(List<MessageWithParts> history, List<Part> parts) {
        List<MessageWithParts> out = new ArrayList<>(history);
        out.set(out.size() - 1, new MessageWithParts(history.getLast().info(), List.copyOf(parts)));
        return out;
    }

    private static LlmEvent[] concat(LlmEvent[]... groups) {
        return Stream.of(groups).flatMap(Stream::of).toArray(LlmEvent[]::new);
    }
}
