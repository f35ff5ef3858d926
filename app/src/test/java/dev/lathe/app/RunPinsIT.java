package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.Turn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pins checked at the moment of execution (DESIGN §24) on the real jar with a running server: a trusted folder's hook
 * {@code cd scripts && ./h.sh}, where {@code scripts} links to a folder outside the project, runs; its script changed
 * afterwards (no restart, no config file touched) does not run at the next prompt, and the run says which file
 * changed; {@code lathe trust} approves it and the next prompt runs it.
 */
class RunPinsIT {
    @TempDir Path home;

    private static void script(Path file, Path marker) throws Exception {
        Files.writeString(file, "#!/bin/sh\ntouch " + marker + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static void await(Path marker) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!Files.exists(marker) && System.nanoTime() < end) Thread.sleep(50);
        assertThat(marker).exists();
    }

    @Test
    void aHooksScriptChangedOnARunningServerIsRefusedUntilApproved() throws Exception {
        try (var llm = FakeLlm.start(); var ws = RunIT.project()) {
            Path markers = Files.createDirectories(home.resolve("markers"));
            Path approved = markers.resolve("approved"), changed = markers.resolve("changed");
            Path outside = Files.createDirectories(home.resolve("outside-scripts"));
            script(outside.resolve("h.sh"), approved);
            Files.createSymbolicLink(ws.path().resolve("scripts"), outside);
            ws.write(".claude/settings.json",
                    "{\"hooks\": {\"UserPromptSubmit\": [{\"hooks\": [{\"type\": \"command\", \"command\": \"cd scripts && ./h.sh\"}]}]}}");
            var lathe = new Lathe(home, Lathe.providerConfig("openai-chat", llm.baseUrl(), RunIT.KEY)).daemonFirst();
            String dir = ws.path().toString();
            ServeProcess.start(lathe).awaitReady(Duration.ofSeconds(60));
            try {
                var trust = lathe.run("trust", "--dir", dir);
                assertThat(trust.exit()).as(trust.stderr()).isZero();
                llm.enqueue(Turn.of(Step.text("First.")));
                var first = lathe.run("run", "--dir", dir, "hello");
                assertThat(first.exit()).as(first.stderr()).isZero();
                await(approved);

                var show = lathe.run("trust", "--show", "--dir", dir);
                assertThat(show.stdout()).as("the script is pinned by content").contains("files: scripts/h.sh sha256:");
                script(outside.resolve("h.sh"), changed);
                llm.enqueue(Turn.of(Step.text("Second.")));
                var second = lathe.run("run", "--dir", dir, "hello again");
                Thread.sleep(1000);
                assertThat(changed).as("the script changed after trust did not run").doesNotExist();
                assertThat(second.stdout() + second.stderr()).contains("scripts/h.sh changed since trust");

                var again = lathe.run("trust", "--dir", dir);
                assertThat(again.exit()).as(again.stderr()).isZero();
                llm.enqueue(Turn.of(Step.text("Third.")));
                var third = lathe.run("run", "--dir", dir, "approved now");
                assertThat(third.exit()).as(third.stderr()).isZero();
                await(changed);
            } finally {
                lathe.run("stop");
            }
        }
    }
}
