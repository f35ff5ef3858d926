package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.client.HttpLatheClient;
import dev.lathe.client.ServerDiscovery;
import dev.lathe.client.ServerEndpoint;
import dev.lathe.protocol.api.EventFilter;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.event.EventEnvelope;
import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.TempWorkspace;
import dev.lathe.testkit.Turn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lathe serve} as the user's daemon: {@code lathe run} finds it and runs its session there. */
class DaemonIT {
    @TempDir Path home;

    @Test
    void runUsesTheRunningServerAndASecondServerIsRefused() throws Exception {
        try (var llm = FakeLlm.start(); var ws = TempWorkspace.create()) {
            ws.write("a.txt", "x\n").initGitRepo();
            var lathe = new Lathe(home, Lathe.providerConfig("openai-chat", llm.baseUrl(), "sk-daemon")).daemonFirst();
            Process serve = lathe.command("serve").redirectError(home.resolve("serve.err").toFile())
                    .redirectOutput(home.resolve("serve.out").toFile()).start();
            try {
                ServerEndpoint endpoint = awaitServer(lathe.serverJson(), serve);
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(lathe.serverJson()))).isEqualTo("rw-------");
                assertThat(endpoint.uri().getHost()).isEqualTo("127.0.0.1");

                var second = lathe.run("serve");
                assertThat(second.exit()).isNotZero();
                assertThat(second.stderr()).contains("another Lathe server is running");

                List<EventEnvelope> seen = new CopyOnWriteArrayList<>();
                try (var client = HttpLatheClient.connect(endpoint, Optional.empty());
                     var _ = client.subscribe(EventFilter.ALL, 0, seen::add)) {
                    llm.enqueue(Turn.of(Step.text("served by the daemon")));
                    var r = lathe.run("run", "--dir", ws.path().toString(), "hello");
                    assertThat(r.exit()).as(r.stderr()).isZero();
                    assertThat(r.stdout().strip()).isEqualTo("served by the daemon");
                    // the run's session was created in the server process: its events reached the server's subscribers
                    assertThat(seen).anySatisfy(e -> assertThat(e.event()).isInstanceOf(Event.SessionCreated.class));
                    assertThat(client.sessions(ws.path().toString())).hasSize(1);

                    // --allow-all travels with the prompt: the server answers the edit's ask itself, so the run goes
                    // through without this client's reply (it would wait forever if the server left the ask to it)
                    llm.enqueue(Turn.of(Step.toolCall("w1", "write", "{\"path\":\"b.txt\",\"content\":\"written\\n\"}")).finish("tool_calls"));
                    llm.enqueue(Turn.of(Step.text("wrote b.txt")));
                    var edit = lathe.run("run", "--dir", ws.path().toString(), "--allow-all", "write b.txt");
                    assertThat(edit.exit()).as(edit.stderr()).isZero();
                    assertThat(ws.read("b.txt")).isEqualTo("written\n");
                    assertThat(seen).anySatisfy(e -> assertThat(e.event()).isInstanceOfSatisfying(Event.PermissionReplied.class,
                            p -> assertThat(p.reply()).isEqualTo(dev.lathe.protocol.event.PermissionReply.ONCE)));
                }
            } finally {
                serve.destroy();
                assertThat(serve.waitFor(15, TimeUnit.SECONDS)).isTrue();
            }
            assertThat(lathe.serverJson()).doesNotExist();
        }
    }

    static ServerEndpoint awaitServer(Path serverJson, Process serve) throws InterruptedException {
        for (int i = 0; i < 600; i++) {
            if (Files.exists(serverJson)) {
                var found = ServerDiscovery.find(serverJson, Duration.ofSeconds(2));
                if (found.isPresent()) return found.get();
            }
            if (!serve.isAlive()) throw new AssertionError("lathe serve exited with " + serve.exitValue());
            Thread.sleep(100);
        }
        throw new AssertionError("lathe serve did not write server.json");
    }
}
