package dev.lathe.core.session;

import static dev.lathe.core.session.ScriptedProtocol.finish;
import static dev.lathe.core.session.ScriptedProtocol.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.llm.LlmError;
import dev.lathe.llm.LlmEvent;
import dev.lathe.llm.StopReason;
import dev.lathe.llm.TokenUsage;
import dev.lathe.protocol.api.ProjectFolder;
import dev.lathe.protocol.api.SessionSummary;
import dev.lathe.protocol.api.UpdateSessionRequest;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.SessionStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The web UI's board and folder list (issue 30) on the real core: every folder, statuses, context fill, failures. */
class SessionBoardTest {
    @TempDir Path tmp;

    @Test
    void theBoardListsEveryFoldersSessionsWithContextFillAndTheFailureOfTheLastAnswer() throws Exception {
        try (var h = new Harness(tmp, "", 10)) {
            Path other = Files.createDirectories(tmp.resolve("other-project"));
            h.llm.then(text("Fine."), new LlmEvent.UsageReported(new TokenUsage(1200, 10, 0, 3000, 0)), finish(StopReason.STOP));
            Session ok = h.session();
            h.promptAndWait(ok.id(), "hello");
            // a request the provider refuses is not retried: the answer fails
            h.llm.then(ScriptedProtocol.failed(new LlmError.InvalidRequest(400, "model not allowed for this key")));
            Session failed = h.session(other);
            h.promptAndWait(failed.id(), "hello there");
            Session archived = h.session(other);
            h.api.updateSession(archived.id(), new UpdateSessionRequest(Optional.empty(), Optional.of(true)));

            var rows = h.api.board();

            assertThat(rows).extracting(r -> r.session().id()).containsExactly(failed.id(), ok.id());
            SessionSummary good = rows.get(1);
            assertThat(good.status()).isInstanceOf(SessionStatus.Idle.class);
            assertThat(good.contextTokens()).isEqualTo(1200 + 3000);
            assertThat(good.contextLimit()).as("its folder is open").isEqualTo(100_000);
            assertThat(good.failure()).isEmpty();
            assertThat(rows.getFirst().failure()).hasValueSatisfying(m -> assertThat(m).contains("model not allowed"));
            assertThat(rows.getFirst().contextTokens()).isZero();

            assertThat(h.api.sessions("")).extracting(Session::id).containsExactlyInAnyOrder(ok.id(), failed.id());
            assertThat(h.api.projects()).extracting(ProjectFolder::name, ProjectFolder::sessions)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("other-project", 2), org.assertj.core.groups.Tuple.tuple(h.project.getFileName().toString(), 1));
        }
    }

    @Test
    void aTrustedFolderWithoutSessionsIsAKnownFolderToo() throws Exception {
        try (var h = new Harness(tmp, "", 10)) {
            h.trustProject();
            assertThat(h.api.projects()).singleElement().satisfies(f -> {
                assertThat(f.trusted()).isTrue();
                assertThat(f.sessions()).isZero();
                assertThat(Path.of(f.directory()).toRealPath()).isEqualTo(h.project.toRealPath());
            });
        }
    }
}
