package dev.lathe.tui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.PartId;
import dev.lathe.protocol.ProjectId;
import dev.lathe.protocol.RawJson;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.LatheApi;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.api.MessagePage;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.api.ShellRequest;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.MessageError;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.SessionStatus;
import dev.lathe.protocol.session.ToolDisplay;
import dev.lathe.protocol.session.ToolState;
import dev.lathe.protocol.session.Usage;
import dev.lathe.tui.text.Theme;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import org.jline.utils.AttributedString;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code /goal CMD} in the terminal UI, against a stand-in server: checks, follow-up prompts, and where the loop stops. */
class GoalCommandTest {
    private static final SessionId S = new SessionId("ses_goal");
    private static final Session SESSION = new Session(S, new ProjectId("prj_1"), "/tmp/p", Optional.empty(), "t", "build", "fake/m", 0, 0,
            Optional.empty(), Usage.ZERO, 0, Optional.empty());

    private final ConcurrentLinkedQueue<Object> shellAnswers = new ConcurrentLinkedQueue<>();
    private final List<ShellRequest> checks = new CopyOnWriteArrayList<>();
    private volatile Optional<MessageError> lastError = Optional.empty();
    private final FakeHost host = new FakeHost();

    @AfterEach
    void close() {
        host.thread.shutdownNow();
    }

    @Test
    void aFailingCheckIsTheNextPromptUntilTheCheckPasses() throws Exception {
        shellAnswers.add(check(1, "FAIL: 2 tests"));
        shellAnswers.add(check(0, "all good"));
        var goal = new GoalCommand(host);

        host.onUi(() -> goal.run("npm test"));

        await(() -> host.said().contains("Goal reached"));
        assertThat(checks).extracting(ShellRequest::command).containsExactly("npm test", "npm test");
        assertThat(checks).allSatisfy(c -> assertThat(c.check()).isTrue());
        assertThat(host.prompts).singleElement().satisfies(p -> assertThat(p)
                .startsWith("The goal check `npm test` exited with code 1 after turn 1 of 10")
                .as("the output is in the transcript already, as the check's result: sent once").doesNotContain("FAIL: 2 tests"));
        assertThat(host.said()).contains("check `npm test` exited 1 (turn 1 of 10)").contains("check `npm test` exited 0 (turn 2 of 10)");
    }

    @Test
    void aStoppedTurnStopsTheLoopAndADeniedCheckSaysWhy() throws Exception {
        shellAnswers.add(check(1, "FAIL"));
        // the turn the failing check starts is stopped (Esc): its answer ends with the abort
        lastError = Optional.of(MessageError.aborted());
        var goal = new GoalCommand(host);
        host.onUi(() -> goal.run("npm test"));
        await(() -> host.prompts.size() == 1);
        await(() -> host.said().contains("Goal stopped: the last turn failed or was stopped."));
        assertThat(checks).hasSize(1);

        shellAnswers.add(new LatheException.Forbidden("permission_denied", "the check `rm -rf x` may not run: A permission rule (…) denies this command"));
        host.onUi(() -> goal.run("rm -rf x"));
        await(() -> host.errors.stream().anyMatch(e -> e.contains("may not run")));
        assertThat(host.prompts).hasSize(1);
    }

    @Test
    void withoutASessionOrWithOffItSaysWhatToDo() throws Exception {
        host.session = Optional.empty();
        var goal = new GoalCommand(host);
        host.onUi(() -> goal.run("npm test"));
        host.onUi(() -> goal.run("off"));
        host.onUi(() -> goal.run(""));
        await(() -> host.said().contains("No goal. /goal CMD"));
        assertThat(host.errors).singleElement().satisfies(e -> assertThat(e).contains("send a message first"));
        assertThat(host.said()).contains("No goal runs.");
        assertThat(checks).isEmpty();
    }

    private static MessageWithParts check(int exitCode, String output) {
        var message = new AssistantMessage(MessageId.next(), S, MessageId.next(), "build", "fake/m", 0, Optional.of(1L), Optional.of("stop"),
                Optional.empty(), Usage.ZERO, 0);
        var state = new ToolState.Completed(new RawJson("{}"), output + "\nexit code: " + exitCode, "check", Map.of(), 0, 1, List.of(),
                Optional.of(ToolDisplay.CommandRun.exited("check", exitCode)));
        return new MessageWithParts(message, List.of(new Part.Tool(PartId.next(), S, message.id(), "user_1", "bash", state)));
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) throw new AssertionError("timed out");
            Thread.sleep(20);
        }
    }

    private final class FakeHost implements GoalCommand.Host {
        final ExecutorService thread = Executors.newSingleThreadExecutor();
        final List<String> notices = new CopyOnWriteArrayList<>();
        final List<String> errors = new CopyOnWriteArrayList<>();
        final List<String> prompts = new CopyOnWriteArrayList<>();
        volatile Optional<Session> session = Optional.of(SESSION);
        final LatheApi api = (LatheApi) Proxy.newProxyInstance(LatheApi.class.getClassLoader(), new Class<?>[] {LatheApi.class}, (self, method, args) ->
                switch (method.getName()) {
                    case "status" -> SessionStatus.IDLE;
                    case "shell" -> {
                        checks.add((ShellRequest) args[1]);
                        Object next = shellAnswers.poll();
                        if (next instanceof RuntimeException e) throw e;
                        if (next == null) throw new AssertionError("no check expected");
                        yield next;
                    }
                    case "messages" -> new MessagePage(List.of(new MessageWithParts(new AssistantMessage(MessageId.next(), S, MessageId.next(), "build",
                            "fake/m", 0, Optional.of(1L), Optional.of("stop"), lastError, Usage.ZERO, 0), List.of())), false);
                    default -> throw new UnsupportedOperationException(method.getName());
                });

        void onUi(Runnable work) throws Exception {
            thread.submit(work).get();
        }

        String said() {
            return String.join("\n", notices) + "\n" + String.join("\n", errors);
        }

        @Override public LatheApi api() { return api; }
        @Override public String directory() { return "/tmp/p"; }
        @Override public Theme theme() { return Theme.plain(); }
        @Override public void notice(String text) { notices.add(text); }
        @Override public void notice(List<AttributedString> lines) { lines.forEach(l -> notices.add(l.toString())); }
        @Override public void error(String text) { errors.add(text); }
        @Override public void later(Runnable followUp) { thread.submit(followUp); }
        @Override public Optional<Session> session() { return session; }
        @Override public void prompt(String text) { prompts.add(text); }
    }
}
