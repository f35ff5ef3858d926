package dev.lathe.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.PartId;
import dev.lathe.protocol.ProjectId;
import dev.lathe.protocol.RawJson;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.ToolDisplay;
import dev.lathe.protocol.session.ToolState;
import dev.lathe.protocol.session.Usage;
import dev.lathe.protocol.wire.WireJson;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a cold client JVM loads to talk to a plain-HTTP server: the point of {@link SocketTransport} and {@link DiscoveryJson}. */
class ColdClientTest {
    @TempDir Path tmp;

    @Test
    void aPlainHttpClientLoadsNoJdkHttpClientNorTlsNorTheIoPollerAndRunsWithoutDataBinding() throws Exception {
        try (var stub = new StubServer()) {
            stub.handle("/health", exchange -> StubServer.json(exchange, 200, "{\"healthy\":true,\"version\":\"0.1.0\"}"));
            stub.handle("/trust", exchange -> StubServer.json(exchange, 200, "{\"folder\":\"/tmp\",\"trusted\":true,\"answered\":true,\"skipped\":[]}"));
            stub.handle("/sessions", exchange -> StubServer.json(exchange, 201, WireJson.write(new Session(new SessionId("ses_cold"),
                    new ProjectId("prj_cold"), "/tmp", Optional.empty(), "t", "build", "p/m", 1, 2, Optional.empty(), Usage.ZERO, 0, Optional.empty()))));
            stub.handle("/events", exchange -> {
                var out = StubServer.startEvents(exchange);
                StubServer.event(out, 0, new Event.ServerConnected());
                var session = new SessionId("ses_cold");
                var message = new MessageId("msg_cold");
                StubServer.event(out, 1, new Event.PartUpdated(new Part.Tool(new PartId("prt_cold1"), session, message, "call", "read",
                        new ToolState.Completed(new RawJson("{\"path\":\"a\"}"), "out", "a", Map.of("k", "v"), 1, 2, List.of(),
                                Optional.of(new ToolDisplay.FileRead("a"))))));
                StubServer.event(out, 2, new Event.PartDelta(session, message, new PartId("prt_cold2"), "text", "Done", 0));
            });
            stub.handle("/sessions/ses_cold/status", exchange -> StubServer.json(exchange, 200, "{\"type\":\"busy\"}"));
            stub.handle("/permissions", exchange -> StubServer.json(exchange, 200, "[]"));
            stub.handle("/questions", exchange -> StubServer.json(exchange, 200, "[]"));
            Path serverJson = tmp.resolve("server.json");
            Files.writeString(serverJson, "{\"url\":\"" + stub.url() + "\",\"token\":\"tok\",\"pid\":" + ProcessHandle.current().pid()
                    + ",\"version\":\"0.1.0\",\"extra\":{\"nested\":[1,2]}}");
            String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            Process probe = new ProcessBuilder(java, "-Xlog:class+load=info,class+init=info", "-cp", System.getProperty("java.class.path"),
                    ColdClientProbe.class.getName(), serverJson.toString()).redirectErrorStream(true).start();
            List<String> lines = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
            assertThat(probe.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(lines).as("probe output").contains(ColdClientProbe.FOUND, "probe: trusted=true", "probe: session=ses_cold", "probe: healthy=true",
                    "probe: subscribed", "probe: events read=true", "probe: status=Busy[] asks=0,0");

            List<String> loaded = lines.stream().filter(l -> l.contains("[class,load]")).toList();
            assertThat(loaded).as("classes loaded").isNotEmpty()
                    .noneMatch(l -> l.contains(" java.net.http.") || l.contains(" jdk.internal.net.http.")
                            || l.contains(" javax.net.ssl.") || l.contains(" sun.security.ssl."))
                    // a virtual thread blocked on a socket starts the I/O poller, whose thread sits in native code for
                    // good: the JVM's exit then waits 300 ms for it
                    .noneMatch(l -> l.contains(" sun.nio.ch.Poller"));
            // the mapper's first use costs ~40 ms on a cold JVM: none on the way to a run's prompt (the trust and the
            // new session are read, the environment's header written, with the streaming parser and generator:
            // TrustJson, StartJson, FlatJson). Initialised, not loaded: the verifier loads classes a method names.
            int ready = lines.indexOf(ColdClientProbe.BEFORE_PROMPT);
            String dataBinding = "Initializing 'tools/jackson/databind/";
            assertThat(lines.subList(0, ready)).as("classes initialised up to the prompt").noneMatch(l -> l.contains(dataBinding));
            // nor the logger finder (issue 70): the first logger of a process looks it up on the class path (~20 ms); the
            // client's loggers are asked for when something is logged
            assertThat(lines.subList(0, ready)).noneMatch(l -> l.contains("Initializing 'jdk/internal/logger/LoggerFinderLoader"));
            // nor while the turn runs (decision 540): its events and polls are read by RecordJson, and the mapper's ~750
            // classes stay out of the client's AOT cache and its peak RSS (-9 MiB)
            int runRead = lines.indexOf(ColdClientProbe.RUN_READ);
            assertThat(lines.subList(0, runRead)).as("classes initialised up to the run's end").noneMatch(l -> l.contains(dataBinding));
            // the check sees class initialisation at all: health() decodes its answer with the data-binding mapper
            assertThat(lines.subList(runRead, lines.size())).anyMatch(l -> l.contains(dataBinding));
        }
    }
}
