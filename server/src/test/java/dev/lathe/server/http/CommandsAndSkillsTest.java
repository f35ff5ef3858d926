package dev.lathe.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.lathe.client.HttpLatheClient;
import dev.lathe.protocol.api.TrustInfo;
import dev.lathe.protocol.api.TrustRequest;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.api.CommandInfo;
import dev.lathe.protocol.api.CommandRequest;
import dev.lathe.protocol.api.CommandResult;
import dev.lathe.protocol.api.PermissionReplyRequest;
import dev.lathe.protocol.api.SkillInfo;
import dev.lathe.protocol.event.PermissionReply;
import dev.lathe.protocol.event.PermissionRequest;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.Turn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Custom commands and skills over the real HTTP API: {@code GET /commands} and {@code GET /skills} list the project's
 * files; a command whose shell command needs an ask holds its {@code POST /sessions/{id}/command} until another client
 * answers; a denied one answers 403 with nothing sent.
 */
class CommandsAndSkillsTest {
    @TempDir Path tmp;
    LiveServer live;

    @BeforeEach
    void start() throws Exception {
        live = new LiveServer(tmp, ", \"permission\": {\"bash\": {\"*\": \"ask\", \"rm *\": \"deny\"}}");
        write(live.project.resolve(".lathe/commands/check.md"), "---\ndescription: Check the build\n---\nCheck: !`echo over-http` and @a.txt");
        write(live.project.resolve(".lathe/commands/nuke.md"), "!`rm -rf build`");
        write(live.project.resolve("a.txt"), "alpha\n");
        write(live.project.resolve(".claude/skills/deploy/SKILL.md"), "---\ndescription: Deploy the site\n---\nRun make deploy.\n");
        // the project's commands run their shell commands once the folder is trusted, here over PUT /trust
        try (var client = live.client()) {
            var untrusted = client.trust(live.project.toString());
            assertThat(untrusted.trusted()).isFalse();
            assertThat(untrusted.skipped()).extracting(TrustInfo.Skipped::items).containsExactly(java.util.List.of("/check", "/nuke"));
            assertThat(client.setTrust(live.project.toString(), new TrustRequest(true)).trusted()).isTrue();
        }
    }

    @AfterEach
    void stop() {
        live.close();
    }

    private static void write(Path file, String text) throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    @Test
    void theRoutesListTheProjectsCommandsAndSkills() throws Exception {
        Path project = live.project.toRealPath();
        try (HttpLatheClient client = live.client()) {
            List<CommandInfo> commands = client.commands(live.project.toString());
            assertThat(commands).extracting(CommandInfo::name).containsExactly("undo", "redo", "compact", "init", "review", "check", "nuke");
            assertThat(commands).contains(new CommandInfo("check", "Check the build", project.resolve(".lathe/commands/check.md").toString()));
            assertThat(client.skills(live.project.toString()))
                    .containsExactly(new SkillInfo("deploy", "Deploy the site", project.resolve(".claude/skills/deploy/SKILL.md").toString()));
        }
    }

    @Test
    void aCommandWaitsForAnotherClientToAnswerItsAskThenPrompts() throws Exception {
        live.llm.enqueue(Turn.of(Step.text("Checked.")));
        try (HttpLatheClient runner = live.client(); HttpLatheClient answerer = live.client()) {
            var session = live.session(runner);
            CompletableFuture<CommandResult> running = CompletableFuture.supplyAsync(() -> runner.command(session.id(), CommandRequest.of("check")));

            PermissionRequest ask = awaitAsk(answerer);
            assertThat(ask.patterns()).containsExactly("echo over-http");
            assertThat(running).isNotDone();
            answerer.replyPermission(ask.id(), PermissionReplyRequest.of(PermissionReply.ONCE));
            assertThat(running.get(10, TimeUnit.SECONDS).messageId()).isPresent();
            live.awaitIdle(runner, session.id());

            assertThat(live.llm.requests()).singleElement().satisfies(r -> assertThat(r.lastUserText())
                    .startsWith("/check").contains("Check: over-http and @a.txt\n\n<file path=\"a.txt\">\n     1\talpha"));

            LatheException denied = catchThrowableOfType(LatheException.class, () -> runner.command(session.id(), CommandRequest.of("nuke")));
            assertThat(denied).isInstanceOf(LatheException.Forbidden.class);
            assertThat(denied.code()).isEqualTo("permission_denied");
            assertThat(live.llm.requests()).hasSize(1);
        }
    }

    private PermissionRequest awaitAsk(HttpLatheClient client) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            List<PermissionRequest> pending = client.permissions(live.project.toString());
            if (!pending.isEmpty()) return pending.getFirst();
            Thread.sleep(20);
        }
        throw new AssertionError("no permission ask");
    }
}
