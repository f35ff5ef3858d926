package dev.lathe.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.ProjectId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.CreateSessionRequest;
import dev.lathe.protocol.api.Delivery;
import dev.lathe.protocol.api.InputPart;
import dev.lathe.protocol.api.PromptAccepted;
import dev.lathe.protocol.api.PermissionMode;
import dev.lathe.protocol.api.PromptRequest;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.event.EventEnvelope;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.Usage;
import dev.lathe.protocol.wire.WireJson;
import java.lang.reflect.RecordComponent;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@link StartJson} reads and writes exactly what the data-binding mapper does, with every optional field set and unset. */
class StartJsonTest {
    private static final Session FULL = new Session(new SessionId("ses_a1"), new ProjectId("prj_b2"), "/home/dev/é \"q\"",
            Optional.of(new SessionId("ses_p0")), "Fix the \\ build\n", "plan", "anthropic/claude", 1700000000001L, 1700000000002L,
            Optional.of(new MessageId("msg_r9")), new Usage(1, 2, 3, 4, 5), 678, Optional.of(1700000000003L));
    private static final Session BARE = new Session(new SessionId("ses_a1"), new ProjectId("prj_b2"), "/p", Optional.empty(), "t", "build",
            "p/m", 1, 2, Optional.empty(), Usage.ZERO, 0, Optional.empty());

    @Test
    void readsASessionAsTheMapperWritesIt() {
        // a session in a worktree keeps it: lathe run --worktree ends the worktree the created session names
        Session inWorktree = BARE.inWorktree(Optional.of(new dev.lathe.protocol.session.SessionWorktree("fix", "lathe/fix", "/p")));
        for (Session session : List.of(FULL, BARE, inWorktree)) assertThat(StartJson.session(WireJson.write(session))).isEqualTo(session);
    }

    @Test
    void aSessionsUnknownFieldsAreSkippedAndAnIncompleteOneIsRefused() {
        String withMore = WireJson.write(BARE).replaceFirst("\\{", "{\"later\":{\"nested\":[1,{\"x\":true}]},\"flag\":null,");
        assertThat(StartJson.session(withMore)).isEqualTo(BARE);
        assertThatThrownBy(() -> StartJson.session(WireJson.write(BARE).replace("\"title\":\"t\",", "")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("missing");
        assertThatThrownBy(() -> StartJson.session("[1]")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StartJson.session("{\"id\":")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StartJson.session(WireJson.write(BARE).replace("\"createdAt\":1", "\"createdAt\":\"1\"")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void writesASessionRequestByteForByteAsTheMapper() {
        var full = new CreateSessionRequest("/home/dev/ü", Optional.of("T \"1\""), Optional.of("plan"), Optional.of("p/m"),
                Optional.of(new SessionId("ses_p0")));
        // a session in a new worktree: named, and with a generated name ("worktree": {})
        var named = CreateSessionRequest.in("/r").inNewWorktree(Optional.of("fix-login"));
        var generated = CreateSessionRequest.in("/r").withModel(Optional.of("p/m")).inNewWorktree(Optional.empty());
        // a fleet task (lathe run --repo): the repository's URL and the base it starts from go too
        var task = CreateSessionRequest.in("/r").withWorktree(new CreateSessionRequest.NewWorktree(Optional.empty(), Optional.of("file:///srv/app.git"),
                Optional.of("main")));
        for (CreateSessionRequest request : List.of(full, CreateSessionRequest.in("/p"), named, generated, task)) {
            assertThat(StartJson.createSession(request)).isEqualTo(WireJson.write(request));
            assertThat(WireJson.read(StartJson.createSession(request), CreateSessionRequest.class)).isEqualTo(request);
        }
    }

    @Test
    void writesATextPromptByteForByteAsTheMapperAndLeavesFilePromptsToIt() {
        var full = new PromptRequest(List.of(new InputPart.Text("one\n\"two\""), new InputPart.Text("ß")), Optional.of("plan"), Optional.of("p/m"));
        for (PromptRequest request : List.of(full, full.allowingAll(), PromptRequest.text("hello"), PromptRequest.text("go").allowingAll())) {
            assertThat(StartJson.textPrompt(request)).contains(WireJson.write(request));
        }
        // every field of the record set at once, so a field the fast writer leaves out fails here, not on a user's daemon
        // (issue 79: denyAsks, unattended and headless were dropped, and --deny-asks and --until hung on the daemon's path)
        var everything = full.allowingAll().delivered(Delivery.steer).unattendedRun().denyingAsks().fromHeadlessClient().autoApproved()
                .inMode(PermissionMode.AUTO);
        for (RecordComponent c : PromptRequest.class.getRecordComponents()) {
            assertThat(value(c, everything)).as("the test sets " + c.getName()).isNotIn(false, Optional.empty(), null, List.of());
        }
        for (PromptRequest request : List.of(everything, PromptRequest.text("a").denyingAsks(), PromptRequest.text("b").unattendedRun(),
                PromptRequest.text("c").fromHeadlessClient(), PromptRequest.text("d").autoApproved(),
                PromptRequest.text("e").inMode(PermissionMode.ACCEPT_EDITS))) {
            assertThat(StartJson.textPrompt(request)).contains(WireJson.write(request));
            assertThat(WireJson.read(StartJson.textPrompt(request).orElseThrow(), PromptRequest.class)).isEqualTo(request);
        }
        var withFile = new PromptRequest(List.of(new InputPart.Text("see"), new InputPart.File("image/png", "a.png", "data:image/png;base64,AA==")),
                Optional.empty(), Optional.empty());
        assertThat(StartJson.textPrompt(withFile)).isEmpty();
    }

    private static Object value(RecordComponent component, Object record) {
        try {
            return component.getAccessor().invoke(record);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void readsAPromptsAnswer() {
        var accepted = new PromptAccepted(new MessageId("msg_x1"));
        assertThat(StartJson.promptAccepted(WireJson.write(accepted))).isEqualTo(accepted);
        var queued = new PromptAccepted(new MessageId("msg_x2"), true, Optional.of(new MessageId("msg_x0")));
        assertThat(StartJson.promptAccepted(WireJson.write(queued))).isEqualTo(queued);
        assertThatThrownBy(() -> StartJson.promptAccepted("{}")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void readsTheConnectedEventAsTheMapperWritesItAndNothingElse() {
        for (Optional<String> directory : List.of(Optional.<String>empty(), Optional.of("/p"))) {
            var envelope = new EventEnvelope(42, 1700000000000L, directory, new Event.ServerConnected());
            assertThat(StartJson.connected(WireJson.writeEnvelope(envelope))).isEqualTo(envelope);
        }
        String other = WireJson.writeEnvelope(new EventEnvelope(1, 1, Optional.empty(), new Event.Resync()));
        assertThatThrownBy(() -> StartJson.connected(other)).isInstanceOf(IllegalArgumentException.class);
    }
}
