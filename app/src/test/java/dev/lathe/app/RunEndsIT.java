package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.testkit.TempWorkspace;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lathe run} ends when its turn does, with the exit code of how it ended (DESIGN §3), also when the turn fails
 * before its first step: a provider on a closed loopback port, in the daemon and in process; and a session id that is
 * none is bad usage.
 */
class RunEndsIT {
    @TempDir Path home;

    @Test
    void aProviderThatRefusesConnectionsEndsTheRunAtOnceWithExitCode1InTheDaemonAndInProcess() throws Exception {
        int closed;
        try (var socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        try (var ws = TempWorkspace.create()) {
            ws.write("a.txt", "alpha\n").initGitRepo();
            var lathe = new Lathe(home, Lathe.providerConfig("anthropic-messages", "http://127.0.0.1:" + closed + "/v1", "sk-closed")).daemonFirst();
            try {
                for (String place : new String[] {"daemon", "--standalone"}) {
                    long start = System.nanoTime();
                    var r = place.equals("daemon") ? lathe.run("run", "--dir", ws.path().toString(), "hello")
                            : lathe.run("run", "--standalone", "--dir", ws.path().toString(), "--format", "json", "hello");
                    assertThat(r.exit()).as(place + ": " + r.stderr()).isEqualTo(1);
                    assertThat(r.stderr() + r.stdout()).as(place).contains("connection refused");
                    // a daemon's start (first run) aside, the run ends as soon as the refused connection is known
                    assertThat(Duration.ofNanos(System.nanoTime() - start)).as(place).isLessThan(Duration.ofSeconds(60));
                }
                var nope = lathe.run("run", "--standalone", "--dir", ws.path().toString(), "--session", "nope", "hello");
                assertThat(nope.exit()).isEqualTo(2);
                assertThat(nope.stderr()).contains("--session nope: not a session id").doesNotContain("Exception");
            } finally {
                lathe.stopDaemon();
            }
        }
    }
}
