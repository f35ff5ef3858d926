package dev.lathe.core.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.protocol.PermissionId;
import dev.lathe.protocol.api.CommandRequest;
import dev.lathe.protocol.api.CreateSessionRequest;
import dev.lathe.protocol.api.InputPart;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.api.PermissionReplyRequest;
import dev.lathe.protocol.api.PromptRequest;
import dev.lathe.protocol.api.ShellRequest;
import dev.lathe.protocol.api.UpdateSessionRequest;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The in-process API ({@code lathe run} without a daemon) refuses the malformed requests the HTTP server refuses, with
 * the same {@link LatheException.InvalidInput} message (server {@code RequestShapeTest} sends the same bodies over
 * HTTP), and stores nothing for them.
 */
class InProcessRequestShapeTest {
    @TempDir Path tmp;

    @Test
    void localLatheRefusesTheBodiesHttpRefusesWithTheSameMessages() throws Exception {
        try (var h = new Harness(tmp, "", 5)) {
            var session = h.session();
            var id = session.id();

            refused(() -> h.api.updateSession(id, new UpdateSessionRequest(Optional.empty(), Optional.empty())),
                    "nothing to change: give title and/or archived");
            refused(() -> h.api.updateSession(id, UpdateSessionRequest.title("   ")), "title must not be blank");
            refused(() -> h.api.command(id, new CommandRequest(" ", "")), "name is required, e.g. \"undo\"");
            refused(() -> h.api.command(id, new CommandRequest(null, "x")), "name is required, e.g. \"undo\"");
            refused(() -> h.api.shell(id, ShellRequest.of("  ")), "command is required");
            refused(() -> h.api.prompt(id, new PromptRequest(List.of(), Optional.empty(), Optional.empty())),
                    "parts is required and must not be empty");
            refused(() -> h.api.prompt(id, new PromptRequest(List.of(new InputPart.Text(null)), Optional.empty(), Optional.empty())),
                    "parts[0].text is required");
            refused(() -> h.api.revert(id, null), "messageId is required");
            refused(() -> h.api.createSession(new CreateSessionRequest(null, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty())),
                    "directory is required (in the body, the X-Lathe-Directory header or the directory query parameter)");
            refused(() -> h.api.replyPermission(PermissionId.next(), new PermissionReplyRequest(null, Optional.empty())),
                    "reply is required: once, always or reject");

            assertThat(h.api.messages(id)).as("no malformed prompt was stored").isEmpty();
            assertThat(h.api.session(id).title()).isEqualTo(session.title());
            assertThat(h.api.sessions(h.project.toString())).hasSize(1);
        }
    }

    @Test
    void aCommandNamedWithItsSlashIsTheCommandOfThatNameAsOverHttp() throws Exception {
        try (var h = new Harness(tmp, "", 5)) {
            var id = h.session().id();
            // the server's normalisation of the body, in process too: "/frobnicate" names "frobnicate", absent arguments are ""
            assertThatThrownBy(() -> h.api.command(id, new CommandRequest("/frobnicate", null)))
                    .isInstanceOf(LatheException.NotFound.class).hasMessageStartingWith("unknown command 'frobnicate'");
        }
    }

    private static void refused(ThrowingCallable call, String message) {
        assertThatThrownBy(call).as(message).isInstanceOf(LatheException.InvalidInput.class).hasMessage(message);
    }
}
