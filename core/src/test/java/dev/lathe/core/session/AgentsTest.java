package dev.lathe.core.session;

import dev.lathe.core.context.ContextBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.lathe.llm.Protocols;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.api.CreateSessionRequest;
import dev.lathe.protocol.api.InputPart;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.api.PromptRequest;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.ToolState;
import dev.lathe.protocol.session.UserMessage;
import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.RecordedRequest;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.Turn;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Agents end to end: the real core, tools and the OpenAI-chat encoder against the fake model over HTTP. What an agent
 * changes is checked where it matters, in the request the model receives (block A, tools, model, temperature) and in
 * what its tools were allowed to do to real files.
 */
class AgentsTest {
    static final String CONFIG = """
            {"model": "fake/m", "smallModel": "fake/small",
             "provider": {"fake": {"protocol": "openai-chat", "baseUrl": "%s",
                                   "models": {"m": {"context": 100000, "output": 4000}, "small": {"context": 100000, "output": 4000}}}},
             "permission": {"edit": {"*": "allow", "*.txt": "allow"}, "bash": {"*": "allow", "rm *": "allow"}},
             "agent": {"auditor": {"description": "Audits", "mode": "primary", "prompt": "You audit, in one step.", "tools": ["read"], "steps": 1},
                       "fast": {"mode": "primary", "model": "fake/small"}}}
            """;

    /** A Claude Code subagent file as its users write them, byte for byte what `.claude/agents/` holds. */
    static final String CLAUDE_REVIEWER = """
            ---
            name: code-reviewer
            description: Expert code review specialist. Proactively reviews code for quality, security, and maintainability. Use immediately after writing or modifying code.
            tools: Read, Grep, Glob, Bash
            model: haiku
            ---

            You are a senior code reviewer ensuring high standards of code quality and security.

            When invoked:
            1. Run git diff to see recent changes
            2. Focus on modified files
            3. Begin review immediately

            Review checklist:
            - Code is simple and readable
            - No exposed secrets or API keys
            """;

    @TempDir Path tmp;
    FakeLlm llm;
    Harness h;
    Path project;

    @BeforeEach
    void start() throws Exception {
        llm = FakeLlm.start();
        h = new Harness(tmp, CONFIG.formatted(llm.baseUrl()), 20, Protocols.standard(HttpClient.newHttpClient()));
        project = h.project.toRealPath();
        Files.writeString(project.resolve("a.txt"), "alpha\n");
    }

    @AfterEach
    void stop() throws Exception {
        h.close();
        llm.close();
    }

    private static String blockA(RecordedRequest r) {
        JsonNode first = r.json().path("messages").path(0);
        assertThat(first.path("role").asString()).isEqualTo("system");
        return first.path("content").isString() ? first.path("content").asString() : first.path("content").path(0).path("text").asString();
    }

    private SessionId session(String agent) {
        return h.api.createSession(CreateSessionRequest.in(project.toString()).withAgent(Optional.of(agent))).id();
    }

    private void prompt(SessionId id, String text, Optional<String> agent) throws InterruptedException {
        h.api.prompt(id, new PromptRequest(List.of(new InputPart.Text(text)), agent, Optional.empty()));
        h.awaitIdle(id);
    }

    private Part.Tool tool(SessionId id, String callId) {
        for (MessageWithParts m : h.api.messages(id)) {
            for (Part p : m.parts()) if (p instanceof Part.Tool t && t.callId().equals(callId)) return t;
        }
        throw new AssertionError("no call " + callId);
    }

    private static String prompt(String resource) throws Exception {
        try (var in = AgentsTest.class.getResourceAsStream("/dev/lathe/core/agent/" + resource)) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
        }
    }

    @Test
    void planCannotEditAndRunsOnlyReadOnlyCommandsEvenWhereTheProjectAllowsEverything() throws Exception {
        llm.enqueue(Turn.of(Step.toolCall("c_ls", "bash", "{\"command\":\"ls\"}"),
                Step.toolCall("c_rm", "bash", "{\"command\":\"rm a.txt\"}"),
                Step.toolCall("c_edit", "edit", "{\"path\":\"a.txt\",\"oldString\":\"alpha\",\"newString\":\"ALPHA\"}"),
                Step.toolCall("c_write", "write", "{\"path\":\"b.txt\",\"content\":\"new\"}")));
        llm.enqueue(Turn.of(Step.text("The plan: tidy by hand.")));
        SessionId id = session("plan");

        prompt(id, "tidy up", Optional.empty());

        RecordedRequest request = llm.requests().getFirst();
        assertThat(blockA(request)).isEqualTo(prompt("plan.md"));
        assertThat(tool(id, "c_ls").state()).isInstanceOfSatisfying(ToolState.Completed.class, c -> assertThat(c.output()).contains("a.txt"));
        assertThat(tool(id, "c_rm").state()).isInstanceOfSatisfying(ToolState.Failed.class, f -> assertThat(f.error()).startsWith("Denied by bash: "));
        // plan denies edit outright: the file tools are not even offered (issue 82, as OpenCode hides them), and a call anyway fails
        assertThat(request.toolNames()).contains("read", "bash").doesNotContain("edit", "write", "apply_patch");
        assertThat(tool(id, "c_edit").state()).isInstanceOfSatisfying(ToolState.Failed.class, f -> assertThat(f.error()).startsWith("Unknown tool 'edit'"));
        assertThat(tool(id, "c_write").state()).isInstanceOf(ToolState.Failed.class);
        assertThat(Files.readString(project.resolve("a.txt"))).isEqualTo("alpha\n");
        assertThat(project.resolve("b.txt")).doesNotExist();
        // the model read the denials and went on (DESIGN §26): the plan's answer came after them
        assertThat(llm.requests()).hasSize(2);
        assertThat(llm.requests().get(1).toolResult("c_edit")).hasValueSatisfying(t -> assertThat(t).contains("Unknown tool 'edit'"));
    }

    @Test
    void aClaudeCodeAgentFileWorksUnchangedAsAChildSessionsAgent() throws Exception {
        Files.createDirectories(project.resolve(".claude/agents"));
        Files.writeString(project.resolve(".claude/agents/code-reviewer.md"), CLAUDE_REVIEWER);
        llm.enqueue(Turn.of(Step.toolCall("c_read", "read", "{\"path\":\"a.txt\"}"), Step.toolCall("c_edit", "edit",
                "{\"path\":\"a.txt\",\"oldString\":\"alpha\",\"newString\":\"ALPHA\"}")));
        llm.enqueue(Turn.of(Step.text("Looks fine.")));
        SessionId parent = h.session().id();

        // a subagent is no session's own agent at the top level
        var refused = catchThrowableOfType(LatheException.class, () -> session("code-reviewer"));
        assertThat(refused.getMessage()).contains("code-reviewer").contains("subagent");
        SessionId child = h.api.createSession(new CreateSessionRequest(project.toString(), Optional.empty(), Optional.of("code-reviewer"),
                Optional.empty(), Optional.of(parent))).id();
        prompt(child, "review a.txt", Optional.empty());

        RecordedRequest first = llm.requests().getFirst();
        assertThat(blockA(first)).isEqualTo(CLAUDE_REVIEWER.substring(CLAUDE_REVIEWER.indexOf("You are a senior")).strip());
        // Bash maps to bash, bash_output and bash_kill; the last two join once a command runs in the background (decision 494)
        assertThat(first.toolNames()).containsExactly("bash", "glob", "grep", "read");
        // model: haiku is the configured small model
        assertThat(first.model()).isEqualTo("small");
        assertThat(tool(child, "c_read").state()).isInstanceOf(ToolState.Completed.class);
        // a tool it was not given does not run even when the model names it
        assertThat(tool(child, "c_edit").state()).isInstanceOfSatisfying(ToolState.Failed.class, f -> assertThat(f.error()).contains("Unknown tool 'edit'"));
        assertThat(Files.readString(project.resolve("a.txt"))).isEqualTo("alpha\n");
        assertThat(h.api.session(child).parentId()).contains(parent);
        assertThat(h.api.agents(project.toString())).anySatisfy(a -> {
            assertThat(a.name()).isEqualTo("code-reviewer");
            assertThat(a.mode()).isEqualTo("subagent");
            assertThat(a.source()).contains(project.resolve(".claude/agents/code-reviewer.md").toString());
        });
    }

    @Test
    void customPrimaryAgentsFromAnAgentFileAndFromConfig() throws Exception {
        Files.createDirectories(project.resolve(".lathe/agents"));
        Files.writeString(project.resolve(".lathe/agents/writer.md"), """
                ---
                description: Writes prose
                mode: primary
                temperature: 0.4
                tools: [read, write]
                ---
                You write clear prose.
                """);
        Files.writeString(project.resolve(".lathe/agents/broken.md"), "---\ndescription: [unclosed\n---\nNo.\n");
        llm.enqueue(Turn.of(Step.toolCall("c_bash", "bash", "{\"command\":\"ls\"}")));
        llm.enqueue(Turn.of(Step.text("Done.")));
        llm.enqueue(Turn.of(Step.text("Audited.")));

        // the broken file is skipped, the others load
        assertThat(h.api.agents(project.toString())).extracting(a -> a.name())
                .containsExactly("build", "plan", "review", "explore", "general", "auditor", "fast", "writer");
        SessionId writer = session("writer");
        prompt(writer, "write something", Optional.empty());
        RecordedRequest w = llm.requests().getFirst();
        assertThat(blockA(w)).isEqualTo("You write clear prose.");
        assertThat(w.toolNames()).containsExactly("read", "write");
        assertThat(w.json().path("temperature").asDouble()).isEqualTo(0.4);
        assertThat(tool(writer, "c_bash").state()).isInstanceOfSatisfying(ToolState.Failed.class, f -> assertThat(f.error()).contains("Unknown tool 'bash'"));
        assertThat(llm.requests()).hasSize(2);

        SessionId auditor = session("auditor");
        prompt(auditor, "audit", Optional.empty());
        RecordedRequest a = llm.requests().getLast();
        assertThat(blockA(a)).isEqualTo("You audit, in one step.");
        assertThat(a.toolNames()).containsExactly("read");
        assertThat(a.json().has("temperature")).isFalse();
        // steps: 1 makes the first step the last: no tools may be called, a summary is asked for
        assertThat(a.json().path("tool_choice").asString()).isEqualTo("none");
        assertThat(a.body()).contains(ContextBuilder.STEP_LIMIT_NOTE);
    }

    @Test
    void aReviewIsOneMessagesAgentAndTheSessionGoesOnAsItWas() throws Exception {
        llm.enqueue(Turn.of(Step.text("Reviewed.")));
        llm.enqueue(Turn.of(Step.text("Fixed.")));
        SessionId id = h.session().id();

        prompt(id, "review this", Optional.of("review"));
        assertThat(h.api.session(id).agent()).as("the session's own agent").isEqualTo("build");
        prompt(id, "now fix the first finding", Optional.empty());

        List<RecordedRequest> r = llm.requests();
        assertThat(r.get(0).toolNames()).contains("report_findings").doesNotContain("write", "edit");
        assertThat(r.get(1).toolNames()).contains("edit").doesNotContain("report_findings");
    }

    @Test
    void switchingAgentsMidSessionChangesWhatTheModelGetsFromThatMessageOn() throws Exception {
        llm.enqueue(Turn.of(Step.text("Built.")));
        llm.enqueue(Turn.of(Step.text("Planned.")));
        llm.enqueue(Turn.of(Step.text("Still planning.")));
        llm.enqueue(Turn.of(Step.text("Fast.")));
        SessionId id = h.session().id();

        prompt(id, "one", Optional.empty());
        prompt(id, "two", Optional.of("plan"));
        assertThat(h.api.session(id).agent()).isEqualTo("plan");
        prompt(id, "three", Optional.empty());
        prompt(id, "four", Optional.of("fast"));

        List<RecordedRequest> r = llm.requests();
        assertThat(blockA(r.get(0))).isEqualTo(prompt("build.md"));
        assertThat(blockA(r.get(1))).isEqualTo(prompt("plan.md"));
        assertThat(blockA(r.get(2))).isEqualTo(prompt("plan.md"));
        // fast has no prompt of its own: the default agent's
        assertThat(blockA(r.get(3))).isEqualTo(prompt("build.md"));
        // its model is its own; the session's stays what the user chose
        assertThat(r.get(2).model()).isEqualTo("m");
        assertThat(r.get(3).model()).isEqualTo("small");
        assertThat(h.api.session(id).model()).isEqualTo("fake/m");
        assertThat(h.api.session(id).agent()).isEqualTo("fast");
        assertThat(h.api.messages(id)).filteredOn(m -> m.info() instanceof UserMessage).extracting(m -> ((UserMessage) m.info()).agent())
                .containsExactly("build", "plan", "plan", "fast");
        assertThat(h.api.messages(id)).filteredOn(m -> m.info() instanceof dev.lathe.protocol.session.AssistantMessage)
                .extracting(m -> ((dev.lathe.protocol.session.AssistantMessage) m.info()).agent()).containsExactly("build", "plan", "plan", "fast");

        var unknown = catchThrowableOfType(LatheException.class, () -> h.api.prompt(id, new PromptRequest(List.of(new InputPart.Text("x")),
                Optional.of("nope"), Optional.empty())));
        assertThat(unknown.getMessage()).isEqualTo("unknown agent 'nope'; available: build, plan, review, auditor, fast");
        var subagent = catchThrowableOfType(LatheException.class, () -> h.api.prompt(id, new PromptRequest(List.of(new InputPart.Text("x")),
                Optional.of("explore"), Optional.empty())));
        assertThat(subagent.getMessage()).contains("subagent");
        assertThat(h.api.session(id).agent()).isEqualTo("fast");
    }

    @Test
    void anAgentFileAddedWhileTheProjectIsOpenIsUsedByTheNextPrompt() throws Exception {
        llm.enqueue(Turn.of(Step.text("Late.")));
        SessionId id = h.session().id();
        assertThat(h.api.agents(project.toString())).noneMatch(a -> a.name().equals("late"));
        Files.createDirectories(project.resolve(".lathe/agents"));
        Files.writeString(project.resolve(".lathe/agents/late.md"), "---\nmode: primary\n---\nI came late.\n");

        prompt(id, "hi", Optional.of("late"));

        assertThat(blockA(llm.requests().getFirst())).isEqualTo("I came late.");
    }
}
