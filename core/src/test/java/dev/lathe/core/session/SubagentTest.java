package dev.lathe.core.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.llm.Protocols;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.api.PermissionReplyRequest;
import dev.lathe.protocol.api.PromptRequest;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.event.PermissionReply;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.SessionStatus;
import dev.lathe.protocol.session.ToolState;
import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.RecordedRequest;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.Turn;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Subagents (DESIGN §11) through the real core over real HTTP against the FakeLlm: the {@code task} tool runs an agent
 * in a child session with its own prompt and tools, hands back only its final text, runs in parallel with its
 * siblings, stops with its parent, resumes by {@code taskId}, and is held to its parent's permissions.
 */
class SubagentTest {
    static final String REVIEWER = """
            ---
            description: Reviews a change for bugs and reports them
            mode: subagent
            ---
            REVIEWER-PROMPT: You review code changes and report problems with file and line.
            """;

    /** Words of the built-in general agent's prompt (block A): its requests carry them, the parent's do not. */
    static final String GENERAL = "general-purpose agent";

    @TempDir Path tmp;

    private Harness harness(FakeLlm llm, String extra) throws Exception {
        String config = "{\"model\": \"fake/m\", \"provider\": {\"fake\": {\"protocol\": \"openai-chat\", \"baseUrl\": \"" + llm.baseUrl()
                + "\", \"models\": {\"m\": {\"context\": 100000, \"output\": 4000}}}}" + extra + "}";
        return new Harness(tmp, config, 20, Protocols.standard(HttpClient.newHttpClient()));
    }

    private static Turn task(String callId, String agent, String prompt) {
        return Turn.of(Step.toolCall(callId, "task", "{\"description\":\"Review the change\",\"prompt\":\"" + prompt + "\",\"agent\":\"" + agent
                + "\"}")).finish("tool_calls");
    }

    private static boolean isChild(RecordedRequest r, String marker) {
        return r.system().contains(marker);
    }

    @Test
    void aMarkdownSubagentRunsInAChildSessionAndTheParentGetsOnlyItsFinalText() throws Exception {
        try (var llm = FakeLlm.start(); var h = harness(llm, "")) {
            Files.createDirectories(h.project.resolve(".lathe/agents"));
            Files.writeString(h.project.resolve(".lathe/agents/reviewer.md"), REVIEWER);
            Files.writeString(h.project.resolve("a.txt"), "SECRET-FILE-CONTENT\n");
            llm.respondWith(r -> {
                if (isChild(r, "REVIEWER-PROMPT")) {
                    return r.toolResult("r1").isEmpty() ? Turn.of(Step.text("CHILD-THINKING: let me read it."),
                            Step.toolCall("r1", "read", "{\"path\":\"a.txt\"}")).finish("tool_calls") : Turn.of(Step.text("CHILD-FINAL: a.txt looks fine."));
                }
                return r.toolResult("t1").isEmpty() ? task("t1", "reviewer", "Review a.txt") : Turn.of(Step.text("PARENT-DONE"));
            });
            Session parent = h.session();
            h.promptAndWait(parent.id(), "review my change");

            List<Session> children = h.api.children(parent.id());
            assertThat(children).hasSize(1);
            Session child = children.getFirst();
            assertThat(child.parentId()).contains(parent.id());
            assertThat(child.agent()).isEqualTo("reviewer");
            assertThat(child.model()).isEqualTo(parent.model());
            assertThat(child.directory()).isEqualTo(parent.directory());
            assertThat(h.api.status(child.id())).isInstanceOf(SessionStatus.Idle.class);

            List<RecordedRequest> childRequests = llm.requests().stream().filter(r -> isChild(r, "REVIEWER-PROMPT")).toList();
            assertThat(childRequests).hasSize(2);
            RecordedRequest first = childRequests.getFirst();
            // block A is the agent's own prompt; the task tool is not offered to a subagent
            assertThat(first.system()).startsWith("REVIEWER-PROMPT");
            assertThat(first.toolNames()).doesNotContain("task").contains("read", "bash");
            assertThat(first.lastUserText()).contains("Review a.txt");
            assertThat(first.body()).doesNotContain("review my change");

            RecordedRequest parentFirst = llm.requests().getFirst();
            assertThat(parentFirst.toolNames()).contains("task");
            assertThat(parentFirst.system()).contains("# Subagents").contains("- reviewer: Reviews a change for bugs and reports them")
                    .contains("- explore: ").contains("- general: ");
            String system = parentFirst.system();
            assertThat(List.of(system.indexOf("- explore: "), system.indexOf("- general: "), system.indexOf("- reviewer: "))).as("sorted by name").isSorted();
            // the list is in block B: the tool definitions are the same bytes in every project
            assertThat(parentFirst.json().path("tools").toString()).doesNotContain("reviewer");
            String result = llm.requests().getLast().toolResult("t1").orElseThrow();
            assertThat(result).contains("CHILD-FINAL: a.txt looks fine.").contains("taskId: " + child.id().value())
                    .doesNotContain("CHILD-THINKING").doesNotContain("SECRET-FILE-CONTENT");

            MessageWithParts answer = h.api.messages(parent.id()).getLast();
            assertThat(answer.parts()).filteredOn(Part.Subtask.class::isInstance).singleElement()
                    .isEqualTo(new Part.Subtask(((Part.Subtask) answer.parts().stream().filter(Part.Subtask.class::isInstance).findFirst().orElseThrow()).id(),
                            parent.id(), answer.info().id(), child.id(), "reviewer", "Review a.txt"));
            Part.Tool call = answer.parts().stream().filter(Part.Tool.class::isInstance).map(Part.Tool.class::cast).findFirst().orElseThrow();
            assertThat(call.state()).isInstanceOfSatisfying(ToolState.Completed.class,
                    c -> assertThat(c.metadata()).containsEntry("sessionId", child.id().value()).containsEntry("agent", "reviewer"));
            // the child's usage is its own; the parent counts only its own requests
            Session childNow = h.api.session(child.id());
            assertThat(childNow.usage().input()).isPositive();
            long own = h.api.messages(parent.id()).stream().map(MessageWithParts::info).filter(AssistantMessage.class::isInstance)
                    .mapToLong(m -> ((AssistantMessage) m).usage().input()).sum();
            assertThat(h.api.session(parent.id()).usage().input()).isEqualTo(own);
        }
    }

    @Test
    void twoTasksInOneResponseRunAtTheSameTime() throws Exception {
        try (var llm = FakeLlm.start(); var h = harness(llm, "")) {
            var bothStarted = new CountDownLatch(2);
            var overlapped = new AtomicInteger();
            llm.respondWith(r -> {
                if (isChild(r, GENERAL)) {
                    String which = r.lastUserText().contains("ONE") ? "ONE" : "TWO";
                    bothStarted.countDown();
                    try {
                        // each child waits here for the other: only children that run at once both get through
                        if (bothStarted.await(5, TimeUnit.SECONDS)) overlapped.incrementAndGet();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return Turn.of(Step.text("RESULT-" + which));
                }
                if (r.toolResult("a").isEmpty()) {
                    return Turn.of(Step.toolCall("a", "task", "{\"description\":\"Part one\",\"prompt\":\"Do part ONE\",\"agent\":\"general\"}"),
                            Step.toolCall("b", "task", "{\"description\":\"Part two\",\"prompt\":\"Do part TWO\",\"agent\":\"general\"}"))
                            .finish("tool_calls");
                }
                return Turn.of(Step.text("both done"));
            });
            Session parent = h.session();
            h.promptAndWait(parent.id(), "do both parts");

            assertThat(overlapped.get()).isEqualTo(2);
            RecordedRequest last = llm.requests().getLast();
            assertThat(last.toolResult("a")).hasValueSatisfying(t -> assertThat(t).contains("RESULT-ONE").doesNotContain("RESULT-TWO"));
            assertThat(last.toolResult("b")).hasValueSatisfying(t -> assertThat(t).contains("RESULT-TWO").doesNotContain("RESULT-ONE"));
            assertThat(h.api.children(parent.id())).hasSize(2).allSatisfy(c -> assertThat(c.agent()).isEqualTo("general"));
        }
    }

    @Test
    void abortingTheParentStopsTheChildAndKillsItsCommand() throws Exception {
        try (var llm = FakeLlm.start(); var h = harness(llm, ", \"permission\": {\"bash\": \"allow\"}")) {
            llm.respondWith(r -> isChild(r, GENERAL)
                    ? Turn.of(Step.toolCall("s1", "bash", "{\"command\":\"sleep 53.5\"}")).finish("tool_calls")
                    : task("t1", "general", "Run the long command"));
            Session parent = h.session();
            h.api.prompt(parent.id(), PromptRequest.text("go"));
            h.awaitEvent(e -> e instanceof Event.PartUpdated u && u.part() instanceof Part.Tool t && t.tool().equals("bash")
                    && t.state() instanceof ToolState.Running);
            // the command itself by its exact command line in /proc (not a wrapper whose command line merely contains it and
            // which may go while the command runs on: a clean-clone run saw one such, then nothing, and failed here)
            long sleeper = dev.lathe.testkit.ChildProcesses.await("sleep 53.5");
            SessionId child = h.api.children(parent.id()).getFirst().id();
            assertThat(h.api.status(child)).isInstanceOf(SessionStatus.Busy.class);

            h.api.abort(parent.id());
            h.awaitIdle(parent.id());
            h.awaitIdle(child);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (dev.lathe.testkit.ChildProcesses.isRunning(sleeper) && System.nanoTime() < deadline) Thread.sleep(20);
            assertThat(dev.lathe.testkit.ChildProcesses.isRunning(sleeper)).as("no orphan process").isFalse();

            Part.Tool bash = tool(h.api.messages(child), "bash");
            assertThat(bash.state()).isInstanceOfSatisfying(ToolState.Failed.class, f -> assertThat(f.error()).contains("aborted"));
            assertThat(((AssistantMessage) h.api.messages(child).getLast().info()).error()).hasValueSatisfying(e -> assertThat(e.kind()).isEqualTo("aborted"));
            Part.Tool task = tool(h.api.messages(parent.id()), "task");
            assertThat(task.state()).isInstanceOfSatisfying(ToolState.Failed.class, f -> assertThat(f.error()).contains("aborted").contains(child.value()));
            assertThat(((AssistantMessage) h.api.messages(parent.id()).getLast().info()).error()).hasValueSatisfying(e -> assertThat(e.kind()).isEqualTo("aborted"));
        }
    }

    @Test
    void aTaskIdResumesTheChildWithItsEarlierExchange() throws Exception {
        try (var llm = FakeLlm.start(); var h = harness(llm, "")) {
            Pattern taskId = Pattern.compile("taskId: (ses_\\w+)");
            llm.respondWith(r -> {
                if (isChild(r, GENERAL)) return Turn.of(Step.text(r.lastUserText().contains("SECOND-QUESTION") ? "SECOND-ANSWER" : "FIRST-ANSWER"));
                if (r.toolResult("t1").isEmpty()) return task("t1", "general", "FIRST-QUESTION");
                if (r.toolResult("t2").isEmpty()) {
                    Matcher m = taskId.matcher(r.toolResult("t1").get());
                    assertThat(m.find()).as(r.toolResult("t1").get()).isTrue();
                    return Turn.of(Step.toolCall("t2", "task", "{\"description\":\"Follow up\",\"prompt\":\"SECOND-QUESTION\",\"agent\":\"general\","
                            + "\"taskId\":\"" + m.group(1) + "\"}")).finish("tool_calls");
                }
                return Turn.of(Step.text("done"));
            });
            Session parent = h.session();
            h.promptAndWait(parent.id(), "ask twice");

            assertThat(h.api.children(parent.id())).hasSize(1);
            List<RecordedRequest> child = llm.requests().stream().filter(r -> isChild(r, GENERAL)).toList();
            assertThat(child).hasSize(2);
            assertThat(child.get(1).body()).contains("FIRST-QUESTION").contains("FIRST-ANSWER").contains("SECOND-QUESTION");
            assertThat(llm.requests().getLast().toolResult("t2")).hasValueSatisfying(t -> assertThat(t).contains("SECOND-ANSWER"));

            // a task id that is not a child of this session is an error the model can fix
            var other = h.session();
            llm.respondWith(r -> r.toolResult("x").isPresent() ? Turn.of(Step.text("ok"))
                    : Turn.of(Step.toolCall("x", "task", "{\"description\":\"d\",\"prompt\":\"p\",\"agent\":\"general\",\"taskId\":\""
                            + parent.id().value() + "\"}")).finish("tool_calls"));
            h.promptAndWait(other.id(), "resume someone else's");
            assertThat(llm.requests().getLast().toolResult("x")).hasValueSatisfying(t -> assertThat(t).contains("No task " + parent.id().value()));
            assertThat(tool(h.api.messages(other.id()), "task").state()).isInstanceOf(ToolState.Failed.class);
        }
    }

    @Test
    void anUnknownSubagentIsAToolErrorNamingTheAvailableOnes() throws Exception {
        try (var llm = FakeLlm.start(); var h = harness(llm, "")) {
            llm.respondWith(r -> r.toolResult("t1").isEmpty() ? task("t1", "build", "x") : Turn.of(Step.text("ok")));
            Session parent = h.session();
            h.promptAndWait(parent.id(), "delegate");
            assertThat(llm.requests().getLast().toolResult("t1")).hasValueSatisfying(t -> assertThat(t).contains("Unknown subagent 'build'")
                    .contains("Available: explore, general."));
            assertThat(h.api.children(parent.id())).isEmpty();
        }
    }

    @Test
    void aChildIsHeldToItsParentsRulesAndAsksAsItself() throws Exception {
        // the project allows bash, but the parent's agent (build) may not run rm: neither may its child
        String rules = ", \"permission\": {\"bash\": \"allow\", \"edit\": \"ask\"}, \"agent\": {\"build\": {\"permission\": {\"bash\": {\"rm *\": \"deny\"}}}}";
        try (var llm = FakeLlm.start(); var h = harness(llm, rules)) {
            llm.respondWith(r -> {
                if (isChild(r, GENERAL)) {
                    if (r.toolResult("c1").isEmpty()) return Turn.of(Step.toolCall("c1", "write", "{\"path\":\"new.txt\",\"content\":\"hi\"}")).finish("tool_calls");
                    if (r.toolResult("c2").isEmpty()) return Turn.of(Step.toolCall("c2", "bash", "{\"command\":\"rm -f gone.txt\"}")).finish("tool_calls");
                    return Turn.of(Step.text("CHILD-DONE"));
                }
                return r.toolResult("t1").isEmpty() ? task("t1", "general", "clean up") : Turn.of(Step.text("PARENT-GOES-ON"));
            });
            Files.writeString(h.project.resolve("gone.txt"), "keep me\n");
            Session parent = h.session();
            h.api.prompt(parent.id(), PromptRequest.text("go"));
            var asked = (Event.PermissionAsked) h.awaitEvent(e -> e instanceof Event.PermissionAsked);
            SessionId child = h.api.children(parent.id()).getFirst().id();
            // the child's ask is the child's: clients answer it like any session's
            assertThat(asked.request().sessionId()).isEqualTo(child);
            assertThat(asked.request().permission()).isEqualTo("edit");
            assertThat(h.api.permissions(h.project.toString())).extracting(p -> p.sessionId()).containsExactly(child);
            h.api.replyPermission(asked.request().id(), PermissionReplyRequest.of(PermissionReply.ONCE));
            h.awaitIdle(parent.id());

            assertThat(h.project.resolve("new.txt")).hasContent("hi");
            assertThat(h.project.resolve("gone.txt")).exists();
            assertThat(tool(h.api.messages(child), "bash").state()).isInstanceOfSatisfying(ToolState.Failed.class,
                    f -> assertThat(f.error()).startsWith("Denied by bash: rm *"));
            // a denial is information (DESIGN §26): the child read it and finished, and the parent goes on with its answer
            assertThat(llm.requests().stream().filter(r -> isChild(r, GENERAL)).toList().getLast().toolResult("c2"))
                    .hasValueSatisfying(t -> assertThat(t).contains("Denied by bash: rm *"));
            assertThat(tool(h.api.messages(parent.id()), "task").state()).isInstanceOfSatisfying(ToolState.Completed.class,
                    c -> assertThat(c.output()).contains("CHILD-DONE"));
            assertThat(((AssistantMessage) h.api.messages(parent.id()).getLast().info()).error()).isEmpty();
            assertThat(llm.requests().stream().filter(r -> !isChild(r, GENERAL))).hasSize(2);
        }
    }

    @Test
    void aPromptsAllowAllReachesTheSubagentsItStarts() throws Exception {
        try (var llm = FakeLlm.start(); var h = harness(llm, ", \"permission\": {\"edit\": \"ask\"}")) {
            llm.respondWith(r -> {
                if (isChild(r, GENERAL)) {
                    if (r.toolResult("c1").isEmpty()) return Turn.of(Step.toolCall("c1", "write", "{\"path\":\"new.txt\",\"content\":\"hi\"}")).finish("tool_calls");
                    return Turn.of(Step.text("CHILD-DONE"));
                }
                return r.toolResult("t1").isEmpty() ? task("t1", "general", "write it") : Turn.of(Step.text("PARENT-GOES-ON"));
            });
            Session parent = h.session();

            // nobody answers: the child's ask is answered by the server, for the parent's prompt
            h.api.prompt(parent.id(), PromptRequest.text("go").allowingAll());
            h.awaitIdle(parent.id());

            SessionId child = h.api.children(parent.id()).getFirst().id();
            assertThat(h.project.resolve("new.txt")).hasContent("hi");
            assertThat(h.events).anySatisfy(e -> assertThat(e.event()).isInstanceOfSatisfying(Event.PermissionReplied.class,
                    r -> assertThat(r.sessionId()).isEqualTo(child)));
            assertThat(h.api.messages(parent.id()).getLast().parts()).anySatisfy(p -> assertThat(p).isInstanceOfSatisfying(Part.Text.class,
                    t -> assertThat(t.text()).isEqualTo("PARENT-GOES-ON")));
        }
    }

    @Test
    void aClaudeCodeAgentFileWorksUnchanged() throws Exception {
        try (var llm = FakeLlm.start(); var h = harness(llm, "")) {
            Files.createDirectories(h.project.resolve(".claude/agents"));
            Files.writeString(h.project.resolve(".claude/agents/code-searcher.md"), """
                    ---
                    name: code-searcher
                    description: Use this agent to locate code, definitions and usages across the repository. Use PROACTIVELY for searches.
                    tools: Read, Grep, Glob
                    model: sonnet
                    ---

                    You are CLAUDE-SEARCHER, a code search specialist. Find what is asked and report paths with line numbers.
                    """);
            Files.writeString(h.project.resolve("a.txt"), "needle\n");
            llm.respondWith(r -> {
                if (isChild(r, "CLAUDE-SEARCHER")) {
                    return r.toolResult("g1").isEmpty() ? Turn.of(Step.toolCall("g1", "grep", "{\"pattern\":\"needle\"}")).finish("tool_calls")
                            : Turn.of(Step.text("FOUND: a.txt:1"));
                }
                return r.toolResult("t1").isEmpty() ? task("t1", "code-searcher", "Find needle") : Turn.of(Step.text("ok"));
            });
            Session parent = h.session();
            h.promptAndWait(parent.id(), "where is needle?");

            RecordedRequest child = llm.requests().stream().filter(r -> isChild(r, "CLAUDE-SEARCHER")).findFirst().orElseThrow();
            assertThat(child.toolNames()).containsExactly("glob", "grep", "read");
            assertThat(llm.requests().getLast().toolResult("t1")).hasValueSatisfying(t -> assertThat(t).contains("FOUND: a.txt:1"));
            assertThat(llm.requests().stream().filter(r -> isChild(r, "CLAUDE-SEARCHER")).skip(1).findFirst().orElseThrow().toolResult("g1"))
                    .hasValueSatisfying(t -> assertThat(t).contains("a.txt"));
            assertThat(h.api.children(parent.id()).getFirst().agent()).isEqualTo("code-searcher");
        }
    }

    @Test
    void anAgentMentionAsksTheModelToStartThatSubagent() throws Exception {
        try (var llm = FakeLlm.start(); var h = harness(llm, "")) {
            Files.createDirectories(h.project.resolve(".lathe/agents"));
            Files.writeString(h.project.resolve(".lathe/agents/reviewer.md"), REVIEWER);
            Files.writeString(h.project.resolve("explore"), "a file named like an agent\n");
            llm.respondWith(r -> Turn.of(Step.text("ok")));
            Session parent = h.session();
            h.promptAndWait(parent.id(), "@reviewer please check the last commit, see @explore and mail me@general.dev");

            String sent = llm.requests().getFirst().messages().getLast().toString();
            assertThat(sent).contains("call the task tool with agent: reviewer")
                    .doesNotContain("agent: explore").doesNotContain("agent: general");
            // the instruction is for the model, not the transcript
            var user = h.api.messages(parent.id()).getFirst();
            assertThat(user.parts()).filteredOn(p -> p instanceof Part.Text t && t.text().contains("agent: reviewer"))
                    .singleElement().satisfies(p -> assertThat(((Part.Text) p).synthetic()).isTrue());
        }
    }

    private static Part.Tool tool(List<MessageWithParts> history, String name) {
        return history.stream().flatMap(m -> m.parts().stream()).filter(Part.Tool.class::isInstance).map(Part.Tool.class::cast)
                .filter(t -> t.tool().equals(name)).findFirst().orElseThrow();
    }

}
