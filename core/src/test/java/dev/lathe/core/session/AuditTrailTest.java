package dev.lathe.core.session;

import static dev.lathe.core.session.ScriptedProtocol.call;
import static dev.lathe.core.session.ScriptedProtocol.finish;
import static dev.lathe.core.session.ScriptedProtocol.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.core.audit.AuditChain;
import dev.lathe.core.audit.AuditReader;
import dev.lathe.core.toolcall.ToolCallSeams;
import dev.lathe.llm.StopReason;
import dev.lathe.protocol.api.PermissionReplyRequest;
import dev.lathe.protocol.api.PromptRequest;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.event.PermissionReply;
import dev.lathe.tools.ToolRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit log through the real session machinery (SQLite file, scripted model, the pipeline and the permission gate
 * wired as LatheCore wires them): a turn whose call asks and is answered leaves the decision, the answer and the call
 * in the project's file, chained; what the tool wrote is not in it.
 */
class AuditTrailTest {
    @TempDir Path tmp;

    @Test
    void aTurnsCallItsAskAndTheAnswerAreAuditedAndChained() throws Exception {
        try (var h = new Harness(tmp, ", \"permission\": {\"stamp\": \"ask\", \"read\": {\"*\": \"allow\", \"secret.txt\": \"deny\"}}",
                ToolRegistry.builtins().plus(List.of(new UnknownToolTest.StampTool())), ToolCallSeams.DEFAULT)) {
            Files.writeString(h.project.resolve("secret.txt"), "SECRET-CONTENT-42\n");
            var s = h.session();
            h.llm.then(step(call(0, "c1", "stamp", "{\"target\":\"notes/a.txt\",\"stamp\":\"STAMP-CONTENT\"}")));
            h.llm.then(step(call(0, "c2", "read", "{\"path\":\"secret.txt\"}")));
            h.llm.then(text("Done."), finish(StopReason.STOP));
            h.api.prompt(s.id(), PromptRequest.text("stamp it"));
            var asked = (Event.PermissionAsked) h.awaitEvent(Event.PermissionAsked.class::isInstance);
            h.api.replyPermission(asked.request().id(), PermissionReplyRequest.of(PermissionReply.ONCE));
            h.awaitIdle(s.id());

            var reader = new AuditReader(h.auditFiles, h.project);
            assertThat(reader.verify()).isInstanceOfSatisfying(AuditChain.Verification.Intact.class, i -> assertThat(i.entries()).isGreaterThanOrEqualTo(5));
            var entries = reader.human(Optional.of(s.id().value()));
            assertThat(entries).anySatisfy(l -> assertThat(l).contains("decision c1 stamp [notes/a.txt]: ask by rule"));
            assertThat(entries).anySatisfy(l -> assertThat(l).contains("answer c1 stamp: once by client"));
            assertThat(entries).anySatisfy(l -> assertThat(l).contains("call c1 stamp (").contains("completed"));
            // the rule that decided, and the layer it was written in (the harness's config is inline)
            assertThat(entries).anySatisfy(l -> assertThat(l).contains("decision c2 read [secret.txt]: deny by rule read: secret.txt from environment LATHE_CONFIG_CONTENT"));
            assertThat(reader.json(Optional.of(s.id().value()))).anySatisfy(l -> assertThat(l).contains("\"kind\":\"decision\"")
                    .contains("\"rule\":\"read: secret.txt\",\"layer\":\"environment\",\"source\":\"LATHE_CONFIG_CONTENT\""));
            assertThat(entries).anySatisfy(l -> assertThat(l).contains("call c2 read (").contains("rejected"));
            // the order within a call: decided, answered, ended
            int decided = indexOf(entries, "decision c1"), answered = indexOf(entries, "answer c1"), ended = indexOf(entries, "call c1");
            assertThat(decided).isLessThan(answered);
            assertThat(answered).isLessThan(ended);

            String raw = Files.readString(reader.file());
            assertThat(raw).doesNotContain("STAMP-CONTENT").doesNotContain("SECRET-CONTENT-42").doesNotContain("stamp log line");
        }
    }

    private static dev.lathe.llm.LlmEvent[] step(dev.lathe.llm.LlmEvent[] call) {
        return java.util.stream.Stream.concat(java.util.Arrays.stream(call), java.util.stream.Stream.of(finish(StopReason.TOOL_CALLS)))
                .toArray(dev.lathe.llm.LlmEvent[]::new);
    }

    private static int indexOf(List<String> lines, String part) {
        for (int i = 0; i < lines.size(); i++) if (lines.get(i).contains(part)) return i;
        return -1;
    }
}
