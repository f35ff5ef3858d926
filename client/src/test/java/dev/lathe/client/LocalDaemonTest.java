package dev.lathe.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The find-or-start and stop logic against a stand-in daemon: a small Python HTTP server that writes server.json. */
class LocalDaemonTest {
    static final String FAKE_SERVER = """
            import http.server, json, os, signal, sys
            class H(http.server.BaseHTTPRequestHandler):
                def do_GET(self):
                    body = b'{"healthy":true,"version":"0.1.0"}'
                    self.send_response(200)
                    self.send_header('Content-Type', 'application/json')
                    self.send_header('Content-Length', str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                def log_message(self, *a): pass
            srv = http.server.HTTPServer(('127.0.0.1', 0), H)
            path = sys.argv[1]
            info = {"url": "http://127.0.0.1:%d" % srv.server_port, "token": "t", "pid": os.getpid(), "version": "0.1.0"}
            open(path + '.tmp', 'w').write(json.dumps(info))
            os.rename(path + '.tmp', path)
            print("fake server up", flush=True)
            def term(*a):
                os.remove(path)
                os._exit(0)
            signal.signal(signal.SIGTERM, term)
            srv.serve_forever()
            """;

    @TempDir Path home;
    LocalDaemon daemon;

    LocalDaemon daemon(List<String> command) {
        daemon = LocalDaemon.of(Map.of("XDG_STATE_HOME", home.resolve("state").toString()), home, command);
        return daemon;
    }

    LocalDaemon fakeDaemon() throws Exception {
        Path script = Files.writeString(home.resolve("fake_server.py"), FAKE_SERVER);
        return daemon(List.of("python3", script.toString(), home.resolve("state/lathe/server.json").toString()));
    }

    @AfterEach
    void stopIt() {
        if (daemon != null) daemon.stop(Duration.ofSeconds(5));
    }

    @Test
    void startsTheDaemonInANewSessionAndFindsItAfterwards() throws Exception {
        var d = fakeDaemon();
        assertThat(d.find()).isEmpty();
        ServerEndpoint started = d.findOrStart();
        assertThat(d.find()).contains(started);
        assertThat(d.findOrStart()).isEqualTo(started);
        assertThat(sessionId(started.pid())).isNotEqualTo(sessionId(ProcessHandle.current().pid())).isEqualTo(Long.toString(started.pid()));
        assertThat(Files.readString(d.logFile())).contains("started by pid " + ProcessHandle.current().pid()).contains("fake server up");
        assertThat(Files.readAllLines(d.logFile())).filteredOn(l -> l.contains("started by")).hasSize(1);
    }

    @Test
    void theServeCommandIsBuiltOnlyToStartADaemonNotByAClientOfOneThatRuns() throws Exception {
        Path script = Files.writeString(home.resolve("fake_server.py"), FAKE_SERVER);
        var built = new AtomicInteger();
        daemon = LocalDaemon.of(Map.of("XDG_STATE_HOME", home.resolve("state").toString()), home, () -> {
            built.incrementAndGet();
            return List.of("python3", script.toString(), home.resolve("state/lathe/server.json").toString());
        });
        assertThat(daemon.find()).isEmpty();
        assertThat(built).as("built before any start").hasValue(0);
        ServerEndpoint started = daemon.findOrStart();
        assertThat(built).as("built to start the daemon").hasValue(1);
        // a second client (issue 70: every lathe run of a warm daemon) finds it without building the command again
        var client = LocalDaemon.of(Map.of("XDG_STATE_HOME", home.resolve("state").toString()), home, () -> {
            built.incrementAndGet();
            return List.of("false");
        });
        assertThat(client.findOrStart()).isEqualTo(started);
        assertThat(built).hasValue(1);
    }

    @Test
    void racingStartersEndOnOneDaemon() throws Exception {
        var d = fakeDaemon();
        try (var pool = Executors.newFixedThreadPool(3)) {
            List<Future<ServerEndpoint>> all = List.of(pool.submit(() -> d.findOrStart()), pool.submit(() -> d.findOrStart()), pool.submit(() -> d.findOrStart()));
            assertThat(all.get(0).get()).isEqualTo(all.get(1).get()).isEqualTo(all.get(2).get());
        }
        assertThat(Files.readAllLines(d.logFile())).filteredOn(l -> l.contains("started by")).hasSize(1);
    }

    @Test
    void aDaemonThatFailsToStartIsReportedWithItsLog() {
        var d = daemon(List.of("sh", "-c", "echo 'lathe: bad config in lathe.json' >&2; exit 2"));
        long start = System.nanoTime();
        assertThatThrownBy(() -> d.findOrStart()).isInstanceOf(LatheClientException.class)
                .hasMessageContaining("exited with status 2").hasMessageContaining(d.logFile().toString())
                .hasMessageContaining("bad config in lathe.json");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void theFirstLineOfAFailedStartSaysWhyInTheServersWords() {
        // issue 53: a taken port's reason was only in server.log; clients show the first line
        var d = daemon(List.of("sh", "-c", "echo '[2026-11-26T23:00:00Z] lathe: cannot listen on 127.0.0.1:4096: the port is in use' >&2; exit 2"));
        assertThatThrownBy(() -> d.findOrStart()).isInstanceOf(LatheClientException.class)
                .satisfies(e -> assertThat(e.getMessage().lines().findFirst().orElseThrow())
                        .contains("exited with status 2 while starting: cannot listen on 127.0.0.1:4096: the port is in use; see " + d.logFile()));
        assertThat(LocalDaemon.reason(List.of("[t] lathe server (pid 1) listening on x", "noise"))).isEmpty();
    }

    @Test
    void aDaemonThatNeverAnswersTimesOutNamingTheLog() {
        var d = daemon(List.of("sleep", "30")).withStartTimeout(Duration.ofMillis(700));
        assertThatThrownBy(() -> d.findOrStart()).isInstanceOf(LatheClientException.class)
                .hasMessageContaining("did not answer within").hasMessageContaining(d.logFile().toString());
    }

    @Test
    void aSlowStartIsToldOnceAndWaitedFor() {
        var d = daemon(List.of("sleep", "30")).withStartTimeout(Duration.ofMillis(1500)).withSlowStart(Duration.ofMillis(300));
        var told = new java.util.ArrayList<String>();
        assertThatThrownBy(() -> d.findOrStart(told::add)).isInstanceOf(LatheClientException.class).hasMessageContaining("within 1 s");
        assertThat(told).singleElement().asString().contains("is still starting").contains(d.logFile().toString());
    }

    @Test
    void stopTerminatesTheServerAndRemovesItsFile() throws Exception {
        var d = fakeDaemon();
        var started = d.findOrStart();
        var stopped = d.stop(Duration.ofSeconds(5));
        assertThat(stopped).isEqualTo(new LocalDaemon.Stopped(LocalDaemon.StopOutcome.STOPPED, started.pid()));
        assertThat(ProcessHandle.of(started.pid()).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(d.serverJson()).doesNotExist();
        assertThat(d.stop(Duration.ofSeconds(5)).outcome()).isEqualTo(LocalDaemon.StopOutcome.NOT_RUNNING);
    }

    @Test
    void aFileNamingSomethingElseIsStaleAndRemoved() throws Exception {
        var d = daemon(List.of("true"));
        Process sleeper = new ProcessBuilder("sleep", "30").start();
        try {
            Files.createDirectories(d.serverJson().getParent());
            Files.writeString(d.serverJson(), "{\"url\":\"http://127.0.0.1:9\",\"token\":\"t\",\"pid\":" + sleeper.pid() + ",\"version\":\"0\"}");
            assertThat(d.find()).isEmpty();
            assertThat(d.stop(Duration.ofSeconds(2)).outcome()).isEqualTo(LocalDaemon.StopOutcome.STALE_REMOVED);
            assertThat(sleeper.isAlive()).isTrue();
            assertThat(d.serverJson()).doesNotExist();
        } finally {
            sleeper.destroy();
        }
    }

    /** Field 6 of /proc/PID/stat: the session id. */
    static String sessionId(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return fields[3];
    }
}
