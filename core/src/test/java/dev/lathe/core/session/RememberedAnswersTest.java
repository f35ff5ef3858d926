package dev.lathe.core.session;

import static dev.lathe.core.session.ScriptedProtocol.call;
import static dev.lathe.core.session.ScriptedProtocol.finish;
import static dev.lathe.core.session.ScriptedProtocol.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.llm.LlmEvent;
import dev.lathe.llm.StopReason;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.api.PermissionReplyRequest;
import dev.lathe.protocol.api.PromptRequest;
import dev.lathe.protocol.event.ApprovalScope;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.event.PermissionReply;
import dev.lathe.protocol.event.PermissionRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** "Always" scopes (edits: this session; bash: the exact or user-edited prefix, project-wide), listing and revoking. */
class RememberedAnswersTest {
    @TempDir Path tmp;

    @Test
    void alwaysToAnEditCoversEveryEditOfThatSessionAndNoOtherUntilRevoked() throws Exception {
        try (var h = new Harness(tmp, "", 10)) {
            var a = h.session();
            PermissionRequest first = writeAndAsk(h, a.id(), "c1", "a.txt");
            assertThat(first.alwaysScope()).isEqualTo(ApprovalScope.SESSION);
            assertThat(first.always()).containsExactly("*");
            h.api.replyPermission(first.id(), PermissionReplyRequest.of(PermissionReply.ALWAYS));
            h.awaitIdle(a.id());

            // another file, same session: no ask
            script(h, "c2", "b.txt");
            h.promptAndWait(a.id(), "write b");
            assertThat(h.project.resolve("b.txt")).hasContent("x");
            assertThat(asks(h)).hasSize(1);

            // another session of the same project is asked
            var b = h.session();
            PermissionRequest other = writeAndAsk(h, b.id(), "c3", "c.txt");
            h.api.replyPermission(other.id(), PermissionReplyRequest.of(PermissionReply.ONCE));
            h.awaitIdle(b.id());

            var listed = h.api.approvals(h.project.toString());
            assertThat(listed).singleElement().satisfies(r -> {
                assertThat(r.scope()).isEqualTo(ApprovalScope.SESSION);
                assertThat(r.sessionId()).contains(a.id());
                assertThat(r.permission()).isEqualTo("edit");
                assertThat(r.pattern()).isEqualTo("*");
            });
            assertThat(h.api.revokeApproval(h.project.toString(), listed.getFirst().id())).isEqualTo(listed.getFirst());
            assertThat(h.api.approvals(h.project.toString())).isEmpty();
            assertThatThrownBy(() -> h.api.revokeApproval(h.project.toString(), listed.getFirst().id())).isInstanceOf(LatheException.NotFound.class);

            // revoked: the same session is asked again
            PermissionRequest again = writeAndAsk(h, a.id(), "c4", "d.txt");
            h.api.replyPermission(again.id(), PermissionReplyRequest.of(PermissionReply.REJECT));
            h.awaitIdle(a.id());
            assertThat(h.project.resolve("d.txt")).doesNotExist();
        }
    }

    @Test
    void alwaysToADestructiveCommandOffersTheExactLineAndKeepsTheUsersEditProjectWide() throws Exception {
        try (var h = new Harness(tmp, ",\"sandbox\": \"off\", \"permission\": {\"edit\": \"allow\"}", 10)) {
            Files.createDirectories(h.project.resolve("build1"));
            Files.createDirectories(h.project.resolve("build2"));
            var a = h.session();
            h.llm.then(concat(call(0, "c1", "bash", "{\"command\":\"rm -rf build1\",\"description\":\"clean\"}"), new LlmEvent[] {finish(StopReason.TOOL_CALLS)}));
            h.llm.then(text("done"), finish(StopReason.STOP));
            h.api.prompt(a.id(), PromptRequest.text("clean"));
            PermissionRequest asked = awaitAsk(h, "c1");
            assertThat(asked.always()).as("never rm *").containsExactly("rm -rf build1");
            assertThat(asked.alwaysScope()).isEqualTo(ApprovalScope.PROJECT);
            // the user widens the suggestion before saving it
            h.api.replyPermission(asked.id(), PermissionReplyRequest.always(List.of("rm -rf build*")));
            h.awaitIdle(a.id());
            assertThat(h.project.resolve("build1")).doesNotExist();

            // a new session of the project: the edited rule applies, no ask
            var b = h.session();
            h.llm.then(concat(call(0, "c2", "bash", "{\"command\":\"rm -rf build2\",\"description\":\"clean\"}"), new LlmEvent[] {finish(StopReason.TOOL_CALLS)}));
            h.llm.then(text("done"), finish(StopReason.STOP));
            h.promptAndWait(b.id(), "clean 2");
            assertThat(h.project.resolve("build2")).doesNotExist();
            assertThat(asks(h)).hasSize(1);
            assertThat(h.api.approvals(h.project.toString())).singleElement().satisfies(r -> {
                assertThat(r.scope()).isEqualTo(ApprovalScope.PROJECT);
                assertThat(r.sessionId()).isEmpty();
                assertThat(r.pattern()).isEqualTo("rm -rf build*");
                assertThat(r.id()).startsWith("p");
            });
        }
    }

    private static PermissionRequest writeAndAsk(Harness h, SessionId session, String callId, String file) throws InterruptedException {
        script(h, callId, file);
        h.api.prompt(session, PromptRequest.text("write " + file));
        return awaitAsk(h, callId);
    }

    private static void script(Harness h, String callId, String file) {
        h.llm.then(concat(call(0, callId, "write", "{\"path\":\"" + file + "\",\"content\":\"x\"}"), new LlmEvent[] {finish(StopReason.TOOL_CALLS)}));
        h.llm.then(text("Written."), finish(StopReason.STOP));
    }

    private static List<PermissionRequest> asks(Harness h) {
        return h.events.stream().map(e -> e.event()).filter(Event.PermissionAsked.class::isInstance)
                .map(e -> ((Event.PermissionAsked) e).request()).toList();
    }

    private static PermissionRequest awaitAsk(Harness h, String callId) throws InterruptedException {
        var e = (Event.PermissionAsked) h.awaitEvent(x -> x instanceof Event.PermissionAsked a && a.request().callId().equals(callId));
        return e.request();
    }

    private static LlmEvent[] concat(LlmEvent[]... groups) {
        return Stream.of(groups).flatMap(Stream::of).toArray(LlmEvent[]::new);
    }
}
