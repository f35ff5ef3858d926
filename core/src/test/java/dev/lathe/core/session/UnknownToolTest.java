package dev.lathe.core.session;

import static dev.lathe.core.session.ScriptedProtocol.call;
import static dev.lathe.core.session.ScriptedProtocol.finish;
import static dev.lathe.core.session.ScriptedProtocol.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.core.toolcall.ToolCallSeams;
import dev.lathe.llm.LlmEvent;
import dev.lathe.llm.StopReason;
import dev.lathe.llm.ToolSpec;
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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tool the core has never heard of — not a built-in, no special case anywhere — registered through the real session
 * machinery (SQLite file, git snapshots, the scripted model): it is permission-checked by the pipeline under its own
 * name (it does not check itself), its long output is cut at the end it declares, a step that called it is
 * snapshotted so undo restores the file, and its part carries the display record a client renders.
 */
class UnknownToolTest {
    @TempDir Path tmp;

    /** Appends a stamp line to a file; prints a long log whose tail matters. Declares what it does, checks nothing. */
    static final class StampTool implements Tool<StampTool.Args> {
        record Args(String target, String stamp) {}

        static final int LOG_LINES = Truncation.MAX_LINES + 500;

        @Override public String name() { return "stamp"; }

        @Override public String description() { return "Appends a stamp line to a file."; }

        @Override public String parametersSchema() {
            return """
                    {"type":"object","properties":{"target":{"type":"string"},"stamp":{"type":"string"}},"required":["target","stamp"]}""";
        }

        @Override public Class<Args> argsType() { return Args.class; }

        @Override public Set<Effect> effects() { return Set.of(Effect.WRITES_FILES); }

        @Override public PermissionSource permission() { return PermissionSource.path("target"); }

        @Override public Truncation.Keep truncation() { return Truncation.Keep.TAIL; }

        @Override
        public ToolResult run(Args args, ToolContext ctx) {
            Path file = ProjectPaths.resolve(ctx, args.target());
            String shown = ProjectPaths.pattern(ctx, file);
            try {
                String before = Files.exists(file) ? Files.readString(file) : "";
                Files.createDirectories(file.getParent());
                Files.writeString(file, before + args.stamp() + "\n");
            } catch (IOException e) {
                throw new ToolFailure("cannot stamp " + shown + ": " + e.getMessage());
            }
            String diff = "--- a/" + shown + "\n+++ b/" + shown + "\n@@ -1,0 +1,1 @@\n+" + args.stamp() + "\n";
            String log = IntStream.rangeClosed(1, LOG_LINES).mapToObj(i -> "stamp log line " + i).collect(Collectors.joining("\n"))
                    + "\nSTAMPED " + shown;
            return new ToolResult(log, "Stamped " + shown, Map.of()).withChangedFiles(List.of(shown))
                    .withDisplay(new ToolDisplay.FileChange(List.of(shown), diff));
        }
    }

    private Harness harness(String permission) throws Exception {
        return new Harness(tmp, ", \"permission\": {\"stamp\": " + permission + "}", ToolRegistry.builtins().plus(List.of(new StampTool())),
                ToolCallSeams.DEFAULT);
    }

    private static LlmEvent[] stampCall(String id, String target) {
        return Stream.concat(Stream.of(call(0, id, "stamp", "{\"target\":\"" + target + "\",\"stamp\":\"checked\"}")),
                Stream.of(finish(StopReason.TOOL_CALLS))).toArray(LlmEvent[]::new);
    }

    private static Part.Tool stampPart(Harness h, SessionId session) {
        return h.api.messages(session).stream().flatMap(m -> m.parts().stream()).filter(Part.Tool.class::isInstance).map(Part.Tool.class::cast)
                .filter(t -> t.tool().equals("stamp")).findFirst().orElseThrow();
    }

    @Test
    void aDenyRuleOnItsNameRefusesIt() throws Exception {
        try (var h = harness("{\"*\": \"allow\", \"secret/**\": \"deny\"}")) {
            var s = h.session();
            h.llm.then(stampCall("c1", "secret/a.txt"));
            h.llm.then(text("Refused."), finish(StopReason.STOP));
            h.promptAndWait(s.id(), "stamp it");

            assertThat(h.llm.requests.getFirst().tools()).extracting(ToolSpec::name).contains("stamp");
            assertThat(stampPart(h, s.id()).state()).isInstanceOfSatisfying(ToolState.Failed.class,
                    f -> assertThat(f.error()).startsWith("Denied by stamp: secret/**").contains("stamp of secret/a.txt is not permitted"));
            assertThat(h.project.resolve("secret/a.txt")).doesNotExist();
            assertThat(h.events).noneSatisfy(e -> assertThat(e.event()).isInstanceOf(Event.PermissionAsked.class));
        }
    }

    @Test
    void anAskRuleAsksWithItsNameAndThePathAndRunsOnceAllowed() throws Exception {
        try (var h = harness("\"ask\"")) {
            var s = h.session();
            h.llm.then(stampCall("c1", "notes/a.txt"));
            h.llm.then(text("Stamped."), finish(StopReason.STOP));
            h.api.prompt(s.id(), dev.lathe.protocol.api.PromptRequest.text("stamp it"));

            var asked = (Event.PermissionAsked) h.awaitEvent(Event.PermissionAsked.class::isInstance);
            assertThat(asked.request().permission()).isEqualTo("stamp");
            assertThat(asked.request().patterns()).containsExactly("notes/a.txt");
            assertThat(h.project.resolve("notes/a.txt")).doesNotExist();
            Thread.sleep(3000); // the user reads the ask
            h.api.replyPermission(asked.request().id(), PermissionReplyRequest.of(PermissionReply.ONCE));
            h.awaitIdle(s.id());

            assertThat(Files.readString(h.project.resolve("notes/a.txt"))).isEqualTo("checked\n");
            // issue 53: the call's duration is its run, not the time the ask waited
            assertThat(stampPart(h, s.id()).state()).isInstanceOfSatisfying(ToolState.Completed.class,
                    c -> assertThat(c.endedAt() - c.startedAt()).isLessThan(2500));
        }
    }

    @Test
    void itIsTruncatedAtItsDeclaredEndSnapshottedForUndoAndCarriesItsDisplay() throws Exception {
        try (var h = harness("\"allow\"")) {
            Files.writeString(h.project.resolve("a.txt"), "one\n");
            var s = h.session();
            h.llm.then(text("Nothing to change."), finish(StopReason.STOP));
            h.promptAndWait(s.id(), "look");
            h.llm.then(stampCall("c1", "a.txt"));
            h.llm.then(text("Stamped."), finish(StopReason.STOP));
            h.promptAndWait(s.id(), "stamp a.txt");
            assertThat(Files.readString(h.project.resolve("a.txt"))).isEqualTo("one\nchecked\n");

            var completed = (ToolState.Completed) stampPart(h, s.id()).state();
            // the tail is kept: the last line is there, the first is not, and the note comes first
            assertThat(completed.output()).startsWith("(Output truncated:").endsWith("STAMPED a.txt\n")
                    .doesNotContain("stamp log line 1\n").contains("stamp log line " + StampTool.LOG_LINES + "\n");
            assertThat(completed.display()).containsInstanceOf(ToolDisplay.FileChange.class);
            assertThat(((ToolDisplay.FileChange) completed.display().orElseThrow()).diff()).contains("+checked");
            assertThat(h.events).anySatisfy(e -> assertThat(e.event()).isInstanceOfSatisfying(Event.FileEdited.class,
                    f -> assertThat(f.path()).isEqualTo("a.txt")));
            assertThat(h.api.messages(s.id()).getLast().parts()).anySatisfy(p -> assertThat(p).isInstanceOfSatisfying(Part.Patch.class,
                    patch -> assertThat(patch.files()).containsExactly("a.txt")));

            var undone = h.api.undo(s.id());

            assertThat(undone.files()).containsExactly("a.txt");
            assertThat(Files.readString(h.project.resolve("a.txt"))).isEqualTo("one\n");
        }
    }
}
