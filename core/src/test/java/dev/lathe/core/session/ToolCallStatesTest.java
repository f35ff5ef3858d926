package dev.lathe.core.session;

import static dev.lathe.core.session.ScriptedProtocol.call;
import static dev.lathe.core.session.ScriptedProtocol.finish;
import static dev.lathe.core.session.ScriptedProtocol.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.core.session.context.NestedInstructions;
import dev.lathe.core.toolcall.PreCallHook;
import dev.lathe.core.toolcall.ToolCallSeams;
import dev.lathe.llm.LlmEvent;
import dev.lathe.llm.StopReason;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.PermissionReplyRequest;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.event.PermissionReply;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.ToolDisplay;
import dev.lathe.protocol.session.ToolState;
import dev.lathe.tools.Effect;
import dev.lathe.tools.PermissionSource;
import dev.lathe.tools.ProjectPaths;
import dev.lathe.tools.Tool;
import dev.lathe.tools.ToolContext;
import dev.lathe.tools.ToolFailure;
import dev.lathe.tools.ToolRegistry;
import dev.lathe.tools.ToolResult;
import dev.lathe.tools.Truncation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The states a tool call's part goes through, as clients see them (part events, {@code lathe run --format json}), on
 * the real session machinery (SQLite, the step runner, the pipeline): running as soon as the call starts — also for
 * a call that then fails validation and for a file-writing call waiting for the one ahead of it —, the announced
 * display added by a later update; what a post-call hook adds survives truncation; a pre-call hook's rewrite is what
 * is stored; a command line checked by the pipeline is split into its commands whatever its rule key.
 */
class ToolCallStatesTest {
    static final String BASH_ALLOWED = ", \"permission\": {\"bash\": \"allow\"}";

    @TempDir Path tmp;

    /** Writes {@code path} once released: holds the file-writing turn so the next such call must wait for it. */
    static final class HeldWrite implements Tool<HeldWrite.Args> {
        record Args(String path) {}

        final CountDownLatch release = new CountDownLatch(1);

        @Override public String name() { return "held_write"; }

        @Override public String description() { return "Writes a file when released."; }

        @Override public String parametersSchema() {
            return "{\"type\":\"object\",\"properties\":{\"path\":{\"type\":\"string\"}},\"required\":[\"path\"]}";
        }

        @Override public Class<Args> argsType() { return Args.class; }

        @Override public Set<Effect> effects() { return Set.of(Effect.WRITES_FILES); }

        @Override public PermissionSource permission() { return PermissionSource.notChecked(); }

        @Override public Truncation.Keep truncation() { return Truncation.Keep.HEAD; }

        @Override
        public ToolResult run(Args args, ToolContext ctx) {
            try {
                if (!release.await(20, TimeUnit.SECONDS)) throw new ToolFailure("never released");
                Path file = ProjectPaths.resolve(ctx, args.path());
                Files.writeString(file, "held\n");
                return ToolResult.of("wrote " + args.path(), args.path()).withChangedFiles(List.of(ProjectPaths.pattern(ctx, file)));
            } catch (InterruptedException | IOException e) {
                throw new ToolFailure(e.toString());
            }
        }
    }

    /** Runs the command line in {@code line} with bash; checks nothing itself: the pipeline asks with the line. */
    static final class LineRunner implements Tool<LineRunner.Args> {
        record Args(String line) {}

        @Override public String name() { return "mytool"; }

        @Override public String description() { return "Runs a command line."; }

        @Override public String parametersSchema() {
            return "{\"type\":\"object\",\"properties\":{\"line\":{\"type\":\"string\"}},\"required\":[\"line\"]}";
        }

        @Override public Class<Args> argsType() { return Args.class; }

        @Override public Set<Effect> effects() { return Set.of(Effect.RUNS_PROCESSES, Effect.MAY_CHANGE_ANY_FILE); }

        @Override public PermissionSource permission() { return PermissionSource.command("line"); }

        @Override public Truncation.Keep truncation() { return Truncation.Keep.TAIL; }

        @Override
        public ToolResult run(Args args, ToolContext ctx) {
            try {
                var p = new ProcessBuilder("bash", "-c", args.line()).directory(ctx.folders().project().toFile()).redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes());
                return ToolResult.of(out + "exit " + p.waitFor(), "ran");
            } catch (IOException | InterruptedException e) {
                throw new ToolFailure(e.toString());
            }
        }
    }

    private static LlmEvent[] calls(String[]... each) {
        List<LlmEvent> out = new ArrayList<>();
        for (int i = 0; i < each.length; i++) out.addAll(Arrays.asList(call(i, each[i][0], each[i][1], each[i][2])));
        out.add(finish(StopReason.TOOL_CALLS));
        return out.toArray(LlmEvent[]::new);
    }

    /** The states the part of {@code callId} was published in, repeats of one kind in a row counted once. */
    private static List<String> states(Harness h, String callId) {
        List<String> out = new ArrayList<>();
        for (ToolState s : published(h, callId)) {
            String kind = s.getClass().getSimpleName();
            if (out.isEmpty() || !out.getLast().equals(kind)) out.add(kind);
        }
        return out;
    }

    private static List<ToolState> published(Harness h, String callId) {
        return h.events.stream().map(e -> e.event()).filter(Event.PartUpdated.class::isInstance).map(e -> ((Event.PartUpdated) e).part())
                .filter(p -> p instanceof Part.Tool t && t.callId().equals(callId)).map(p -> ((Part.Tool) p).state()).toList();
    }

    private static Part.Tool stored(Harness h, SessionId session, String callId) {
        return h.api.messages(session).stream().flatMap(m -> m.parts().stream()).filter(Part.Tool.class::isInstance).map(Part.Tool.class::cast)
                .filter(t -> t.callId().equals(callId)).findFirst().orElseThrow();
    }

    @Test
    void aMalformedOrUnknownCallGoesRunningThenFailedAndAnAnnouncedDisplayComesInALaterUpdate() throws Exception {
        try (var h = new Harness(tmp, BASH_ALLOWED, ToolRegistry.builtins(), ToolCallSeams.DEFAULT)) {
            var s = h.session();
            h.llm.then(calls(new String[] {"c1", "read", "{\"nope\":1}"}, new String[] {"c2", "nosuch", "{}"}));
            h.llm.then(calls(new String[] {"c3", "bash", "{\"command\":\"echo hi\"}"}));
            h.llm.then(text("Done."), finish(StopReason.STOP));
            h.promptAndWait(s.id(), "go");

            assertThat(states(h, "c1")).containsExactly("Pending", "Running", "Failed");
            assertThat(states(h, "c2")).containsExactly("Pending", "Running", "Failed");
            assertThat(states(h, "c3")).containsExactly("Pending", "Running", "Completed");
            List<ToolState.Running> running = published(h, "c3").stream().filter(ToolState.Running.class::isInstance)
                    .map(ToolState.Running.class::cast).toList();
            // first written as the call starts, before its arguments are looked at; then with what bash announces
            assertThat(running.getFirst().display()).isEmpty();
            assertThat(running.getFirst().title()).isEqualTo("bash");
            assertThat(running.getLast().display()).contains(ToolDisplay.CommandRun.running("echo hi"));
        }
    }

    @Test
    void aSecondFileWritingCallShowsRunningWhileItWaitsForTheFirst() throws Exception {
        var held = new HeldWrite();
        try (var h = new Harness(tmp, "", ToolRegistry.builtins().plus(List.of(held)), ToolCallSeams.DEFAULT)) {
            var s = h.session();
            h.llm.then(calls(new String[] {"c1", "held_write", "{\"path\":\"a.txt\"}"}, new String[] {"c2", "held_write", "{\"path\":\"b.txt\"}"}));
            h.llm.then(text("Done."), finish(StopReason.STOP));
            h.api.prompt(s.id(), dev.lathe.protocol.api.PromptRequest.text("write both"));
            try {
                // one of them holds the lock and cannot finish: both must already show running
                for (String id : List.of("c1", "c2")) {
                    h.awaitEvent(e -> e instanceof Event.PartUpdated u && u.part() instanceof Part.Tool t && t.callId().equals(id)
                            && t.state() instanceof ToolState.Running);
                }
            } finally {
                held.release.countDown();
            }
            h.awaitIdle(s.id());

            assertThat(states(h, "c1")).containsExactly("Pending", "Running", "Completed");
            assertThat(states(h, "c2")).containsExactly("Pending", "Running", "Completed");
            assertThat(h.project.resolve("a.txt")).hasContent("held");
            assertThat(h.project.resolve("b.txt")).hasContent("held");
        }
    }

    @Test
    void aNestedInstructionFileSurvivesTheTruncationOfALongRead() throws Exception {
        try (var h = new Harness(tmp, "", ToolRegistry.builtins(), ToolCallSeams.DEFAULT)) {
            Files.createDirectories(h.project.resolve(".git"));
            Files.createDirectories(h.project.resolve("sub"));
            Files.writeString(h.project.resolve("sub/AGENTS.md"), "Sub rules: use tabs.\n");
            // over both limits: read shows its 2000-line window and a note, past what truncation keeps
            Files.writeString(h.project.resolve("sub/big.txt"), IntStream.rangeClosed(1, 5000).mapToObj(i -> "line " + i + " " + "x".repeat(30))
                    .collect(Collectors.joining("\n")) + "\n");
            var s = h.session();
            h.llm.then(calls(new String[] {"c1", "read", "{\"path\":\"sub/big.txt\"}"}));
            h.llm.then(text("Read."), finish(StopReason.STOP));
            h.promptAndWait(s.id(), "read it");

            var done = (ToolState.Completed) stored(h, s.id(), "c1").state();
            assertThat(done.metadata()).containsEntry(NestedInstructions.METADATA_KEY, "sub/AGENTS.md");
            // the read's own output was cut (the note says so); what the hook added after it was not
            assertThat(done.output()).contains("line 1 x").contains("(Output truncated:").endsWith("<system-reminder>\nInstructions from sub/AGENTS.md:\nSub rules: use tabs.\n</system-reminder>");
        }
    }

    @Test
    void theStoredPartHoldsTheArgumentsAPreCallHookRewroteTo() throws Exception {
        var seams = ToolCallSeams.DEFAULT.withPreCall((call, _) -> new PreCallHook.Decision.Proceed(call.argsJson().replace("one", "two")));
        try (var h = new Harness(tmp, BASH_ALLOWED, ToolRegistry.builtins(), seams)) {
            var s = h.session();
            h.llm.then(calls(new String[] {"c1", "bash", "{\"command\":\"echo one\"}"}));
            h.llm.then(text("Done."), finish(StopReason.STOP));
            h.promptAndWait(s.id(), "go");

            var done = (ToolState.Completed) stored(h, s.id(), "c1").state();
            assertThat(done.output()).startsWith("two\n");
            assertThat(done.input().json()).isEqualTo("{\"command\":\"echo two\"}");
        }
    }

    @Test
    void aCommandLineCheckedByThePipelineCannotChainPastAPrefixRule() throws Exception {
        try (var h = new Harness(tmp, ", \"permission\": {\"mytool\": {\"git status *\": \"allow\"}}",
                ToolRegistry.builtins().plus(List.of(new LineRunner())), ToolCallSeams.DEFAULT)) {
            Files.writeString(h.project.resolve("x"), "keep\n");
            var s = h.session();
            h.llm.then(calls(new String[] {"c1", "mytool", "{\"line\":\"git status\"}"}));
            h.llm.then(text("Clean."), finish(StopReason.STOP));
            h.promptAndWait(s.id(), "status");
            assertThat(stored(h, s.id(), "c1").state()).isInstanceOf(ToolState.Completed.class);
            assertThat(h.events).noneSatisfy(e -> assertThat(e.event()).isInstanceOf(Event.PermissionAsked.class));

            h.llm.then(calls(new String[] {"c2", "mytool", "{\"line\":\"git status; rm -rf x\"}"}));
            h.llm.then(text("Stopped."), finish(StopReason.STOP));
            h.api.prompt(s.id(), dev.lathe.protocol.api.PromptRequest.text("status and clean"));
            // "rm -rf x" matches no mytool rule: asked (before, the whole line matched "git status *" and ran)
            var asked = (Event.PermissionAsked) h.awaitEvent(Event.PermissionAsked.class::isInstance);
            assertThat(asked.request().permission()).isEqualTo("mytool");
            // the ask offers rules for the line's commands, never the whole line
            assertThat(asked.request().always()).doesNotContain("git status; rm -rf x");
            h.api.replyPermission(asked.request().id(), PermissionReplyRequest.of(PermissionReply.REJECT));
            h.awaitIdle(s.id());

            assertThat(stored(h, s.id(), "c2").state()).isInstanceOf(ToolState.Failed.class);
            assertThat(h.project.resolve("x")).hasContent("keep");
        }
    }
}
