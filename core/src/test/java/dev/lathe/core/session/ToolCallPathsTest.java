package dev.lathe.core.session;

import static dev.lathe.core.session.ScriptedProtocol.call;
import static dev.lathe.core.session.ScriptedProtocol.finish;
import static dev.lathe.core.session.ScriptedProtocol.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.lathe.core.toolcall.AuditRecord;
import dev.lathe.core.toolcall.Origin;
import dev.lathe.core.toolcall.ToolCallSeams;
import dev.lathe.llm.LlmEvent;
import dev.lathe.llm.StopReason;
import dev.lathe.protocol.api.CommandRequest;
import dev.lathe.protocol.api.PermissionReplyRequest;
import dev.lathe.protocol.api.PromptRequest;
import dev.lathe.protocol.api.ShellRequest;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.event.PermissionReply;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.ToolDisplay;
import dev.lathe.protocol.session.ToolState;
import dev.lathe.tools.ToolRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every way a tool is called goes through the one pipeline: the model's calls, a command's {@code !`cmd`} and
 * {@code @file}, and the user's shell — the audit seam sees each with its origin, and the process launcher wraps
 * the commands of all of them; a built-in's own permission ask carries its display (an edit's diff).
 */
class ToolCallPathsTest {
    @TempDir Path tmp;

    final List<AuditRecord> audited = new CopyOnWriteArrayList<>();

    ToolCallSeams seams() {
        return ToolCallSeams.DEFAULT.withAudit(audited::add).withLauncher(command -> {
            command.command().addAll(0, List.of("env", "LATHE_WRAPPED=yes"));
            return command.start();
        });
    }

    @Test
    void modelCallsCommandPiecesAndTheUsersShellAllGoThroughThePipeline() throws Exception {
        // trusted: the project command's !cmd runs (decision 73)
        try (var h = new Harness(tmp, ", \"permission\": {\"bash\": \"allow\"}", ToolRegistry.builtins(), seams()).trustProject()) {
            Files.writeString(h.project.resolve("notes.txt"), "remember\n");
            Files.createDirectories(h.project.resolve(".lathe/commands"));
            Files.writeString(h.project.resolve(".lathe/commands/peek.md"), "Wrapped: !`echo wrapped=$LATHE_WRAPPED` see @notes.txt");
            h.trustProject(); // a command whose text runs shell, written after trust, is approved like any new item (decision 143)
            var s = h.session();

            h.llm.then(Stream.concat(Stream.of(call(0, "c1", "bash", "{\"command\":\"echo model=$LATHE_WRAPPED\"}")),
                    Stream.of(finish(StopReason.TOOL_CALLS))).toArray(LlmEvent[]::new));
            h.llm.then(text("ok"), finish(StopReason.STOP));
            h.promptAndWait(s.id(), "run it");

            h.llm.then(text("seen"), finish(StopReason.STOP));
            h.api.command(s.id(), CommandRequest.of("peek"));
            h.awaitIdle(s.id());

            var shell = h.api.shell(s.id(), ShellRequest.of("echo user=$LATHE_WRAPPED"));

            assertThat(audited).extracting(AuditRecord::tool, AuditRecord::origin, AuditRecord::verdict).containsExactly(
                    tuple("bash", Origin.MODEL, AuditRecord.Verdict.COMPLETED),
                    tuple("bash", Origin.COMMAND, AuditRecord.Verdict.COMPLETED),
                    tuple("read", Origin.COMMAND, AuditRecord.Verdict.COMPLETED),
                    tuple("bash", Origin.USER_SHELL, AuditRecord.Verdict.COMPLETED));
            var modelCall = h.api.messages(s.id()).stream().flatMap(m -> m.parts().stream()).filter(Part.Tool.class::isInstance)
                    .map(Part.Tool.class::cast).filter(t -> t.callId().equals("c1")).findFirst().orElseThrow();
            assertThat(((ToolState.Completed) modelCall.state()).output()).startsWith("model=yes\n");
            assertThat(h.llm.requests.getLast().messages().toString()).contains("Wrapped: wrapped=yes see @notes.txt").contains("remember");
            assertThat(shell.parts()).anySatisfy(p -> assertThat(p).isInstanceOfSatisfying(Part.Tool.class,
                    t -> assertThat(((ToolState.Completed) t.state()).output()).startsWith("user=yes\n")));
        }
    }

    @Test
    void anEditsPermissionAskCarriesItsDiffAsDisplay() throws Exception {
        try (var h = new Harness(tmp, ", \"permission\": {\"edit\": \"ask\"}", ToolRegistry.builtins(), seams())) {
            Files.writeString(h.project.resolve("a.txt"), "one\n");
            var s = h.session();
            h.llm.then(Stream.concat(Stream.of(call(0, "c1", "edit", "{\"path\":\"a.txt\",\"oldString\":\"one\",\"newString\":\"two\"}")),
                    Stream.of(finish(StopReason.TOOL_CALLS))).toArray(LlmEvent[]::new));
            h.llm.then(text("ok"), finish(StopReason.STOP));
            h.api.prompt(s.id(), PromptRequest.text("edit it"));

            var asked = (Event.PermissionAsked) h.awaitEvent(Event.PermissionAsked.class::isInstance);
            assertThat(asked.request().display()).get().isInstanceOfSatisfying(ToolDisplay.FileChange.class,
                    c -> assertThat(c.diff()).contains("-one").contains("+two"));
            h.api.replyPermission(asked.request().id(), PermissionReplyRequest.of(PermissionReply.ONCE));
            h.awaitIdle(s.id());
            assertThat(Files.readString(h.project.resolve("a.txt"))).isEqualTo("two\n");
        }
    }
}
