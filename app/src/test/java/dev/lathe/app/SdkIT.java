package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.client.ServerEndpoint;
import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.NpmServers;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.TempWorkspace;
import dev.lathe.testkit.Turn;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * DESIGN §29: the TypeScript SDK compiled with {@code tsc} and the Python SDK under {@code python3 -I} each drive a
 * session on a real {@code lathe serve} with a scripted model on loopback (their drivers: {@code sdk/typescript/test/
 * drive.ts}, {@code sdk/python/test/drive.py}): discovery through server.json, create, a prompt whose turn starts a
 * subagent, the turn's events followed to its end across an event stream a relay cuts after its first event (the SDK
 * reconnects with {@code Last-Event-ID}), the messages, the child, and a refusal as the typed error with the server's
 * message. One server for the class.
 */
class SdkIT {
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @TempDir static Path tmp;
    static FakeLlm llm;
    static TempWorkspace ws;
    static Lathe lathe;
    static ServeProcess serve;
    static ServerEndpoint endpoint;
    /** tsc over the TypeScript SDK and its driver, run while the server starts. */
    static Launched tsc;

    @BeforeAll
    static void start() throws Exception {
        llm = FakeLlm.start();
        // the parent delegates to a child (task), whose answer it then reports; side requests (titles) get words
        llm.respondWith(r -> r.toolResult("t1").isPresent() ? Turn.of(Step.text("PARENT-DONE: the child said it."))
                : r.body().contains("CHILD-TASK") ? Turn.of(Step.text("CHILD-DONE"))
                : r.toolNames().contains("task") ? Turn.of(Step.toolCall("t1", "task",
                        "{\"description\":\"Ask the child\",\"prompt\":\"CHILD-TASK: say done\",\"agent\":\"general\"}")).finish("tool_calls")
                : Turn.of(Step.text("A title")));
        ws = TempWorkspace.create().write("a.txt", "x\n").initGitRepo();
        lathe = new Lathe(tmp.resolve("home"), Lathe.providerConfig("openai-chat", llm.baseUrl(), "sk-sdk"));
        tsc = launch(List.of(NpmServers.bin("tsc").toString(), "-p", ROOT.resolve("sdk/typescript/tsconfig.test.json").toString(), "--outDir",
                tmp.resolve("ts").toString()), Map.of());
        serve = ServeProcess.start(lathe);
        endpoint = serve.awaitReady(Duration.ofSeconds(30)).endpoint();
    }

    @AfterAll
    static void stop() throws Exception {
        if (serve != null) serve.stop(Duration.ofSeconds(10));
        if (tsc != null) tsc.process().destroyForcibly();
        if (ws != null) ws.close();
        if (llm != null) llm.close();
    }

    @Test
    void theTypeScriptSdkCompiledWithTscDrivesASession() throws Exception {
        tsc.await();
        try (var relay = new CuttingRelay(endpoint.uri().getPort())) {
            JsonNode seen = drive(List.of("node", tmp.resolve("ts/test/drive.js").toString()), relay);
            check(seen, relay);
        }
    }

    @Test
    void thePythonSdkUnderIsolatedPythonDrivesASession() throws Exception {
        try (var relay = new CuttingRelay(endpoint.uri().getPort())) {
            JsonNode seen = drive(List.of("python3", "-I", "-B", ROOT.resolve("sdk/python/test/drive.py").toString()), relay);
            check(seen, relay);
        }
    }

    private static void check(JsonNode seen, CuttingRelay relay) {
        assertThat(seen.path("healthy").asBoolean()).isTrue();
        List<String> types = new ArrayList<>();
        seen.path("types").forEach(t -> types.add(t.asString()));
        // followed to the turn's end: the last event is the session going idle, after the answer streamed in
        assertThat(types).contains("server.connected", "session.status", "message.updated", "message.part.delta");
        assertThat(types.getLast()).isEqualTo("session.status");
        assertThat(seen.path("lastStatus").asString()).isEqualTo("idle");
        assertThat(seen.path("text").asString()).contains("PARENT-DONE");
        assertThat(seen.path("accepted").asString()).startsWith("msg_");
        // across the cut: reconnected from the last event seen, none lost (the answer is whole) and none twice
        assertThat(relay.cut.get()).as("the relay cut the first event stream").isTrue();
        assertThat(relay.eventRequests).hasSizeGreaterThanOrEqualTo(2);
        assertThat(relay.eventRequests.get(1)).containsIgnoringCase("Last-Event-ID: " + relay.cutAfter);
        var seqs = new HashSet<Long>();
        seen.path("seqs").forEach(s -> assertThat(seqs.add(s.asLong())).as("event " + s + " twice").isTrue());
        // the messages and the child, through the direct client (server.json)
        List<String> roles = new ArrayList<>();
        seen.path("messages").forEach(m -> roles.add(m.path("role").asString()));
        assertThat(roles).startsWith("user").contains("assistant");
        assertThat(seen.path("messages").get(seen.path("messages").size() - 1).path("text").asString()).contains("PARENT-DONE");
        assertThat(seen.path("children")).hasSize(1);
        assertThat(seen.path("children").get(0).path("parentId").asString()).isEqualTo(seen.path("session").asString());
        // a refusal: the typed error with the server's own code and message
        JsonNode missing = seen.path("missing");
        assertThat(missing.path("kind").asString()).isEqualTo("NotFoundError");
        assertThat(missing.path("typed").asBoolean()).isTrue();
        assertThat(missing.path("status").asInt()).isEqualTo(404);
        assertThat(missing.path("message").asString()).contains("ses_" + "0".repeat(26)).doesNotContain("HTTP 404");
    }

    private static JsonNode drive(List<String> command, CuttingRelay relay) throws Exception {
        String stdout = launch(command, Map.of("LATHE_DIR", ws.path().toString(), "SDK_PROXY_URL", "http://127.0.0.1:" + relay.port(), "SDK_TOKEN",
                endpoint.token())).await();
        String last = stdout.strip().lines().reduce((a, b) -> b).orElse("");
        return JSON.readTree(last);
    }

    /** A command started with the Lathe home's folders (so the SDK finds its server.json), its output going to files. */
    record Launched(List<String> command, Process process, Path out, Path err) {
        /** Its stdout once it ended with 0, else a failure with both outputs. */
        String await() throws IOException, InterruptedException {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(command + " did not end within 60 s");
            }
            String stdout = Files.readString(out);
            assertThat(process.exitValue()).as(command + "\nstdout: " + stdout + "\nstderr: " + Files.readString(err)).isZero();
            return stdout;
        }
    }

    private static Launched launch(List<String> command, Map<String, String> extra) throws IOException {
        var pb = new ProcessBuilder(command).directory(ws.path().toFile());
        var env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("LATHE_") || k.startsWith("XDG_") || k.startsWith("PYTHON") || k.startsWith("NODE_"));
        env.put("HOME", lathe.home().toString());
        env.put("XDG_STATE_HOME", lathe.serverJson().getParent().getParent().toString());
        env.putAll(extra);
        Path out = Files.createTempFile(tmp, "stdout", ".txt");
        Path err = Files.createTempFile(tmp, "stderr", ".txt");
        Process process = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        process.getOutputStream().close();
        return new Launched(command, process, out, err);
    }

    /**
     * A TCP relay on loopback in front of the server that cuts the first {@code GET /events} connection right after
     * relaying its first event with an id (what a dropped Wi-Fi does mid-turn), holds the reconnect until the session
     * is idle (the turn ended while no stream was open), and keeps the head of every event stream request, so the test
     * sees the reconnect's {@code Last-Event-ID}.
     */
    static final class CuttingRelay implements AutoCloseable {
        final List<String> eventRequests = new CopyOnWriteArrayList<>();
        static final HttpClient HTTP = HttpClient.newHttpClient();
        final AtomicBoolean cut = new AtomicBoolean();
        volatile String cutAfter = "";
        private final ServerSocket listener;
        private final int target;

        CuttingRelay(int target) throws IOException {
            this.target = target;
            listener = new ServerSocket();
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            Thread.ofVirtual().start(this::accept);
        }

        int port() { return listener.getLocalPort(); }

        private void accept() {
            while (!listener.isClosed()) {
                try {
                    Socket client = listener.accept();
                    Socket server = new Socket(InetAddress.getLoopbackAddress(), target);
                    Thread.ofVirtual().start(() -> relay(client, server));
                } catch (IOException e) {
                    return;
                }
            }
        }

        private void relay(Socket client, Socket server) {
            try (client; server) {
                InputStream in = client.getInputStream();
                byte[] head = new byte[16384];
                int n = in.read(head);
                if (n <= 0) return;
                String request = new String(head, 0, n, StandardCharsets.ISO_8859_1);
                boolean events = request.startsWith("GET /events");
                if (events) eventRequests.add(request);
                // the reconnect waits until the turn has ended: what the drop missed, its end included, comes only as
                // the replay after Last-Event-ID
                if (events && eventRequests.size() > 1) awaitIdle(request);
                server.getOutputStream().write(head, 0, n);
                Thread.ofVirtual().start(() -> pump(in, server));
                InputStream back = server.getInputStream();
                OutputStream out = client.getOutputStream();
                byte[] buffer = new byte[8192];
                var relayed = new StringBuilder();
                while ((n = back.read(buffer)) >= 0) {
                    out.write(buffer, 0, n);
                    out.flush();
                    if (!events || cut.get()) continue;
                    relayed.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
                    // the id of the last whole frame relayed: the one the client resumes from
                    String[] frames = relayed.toString().split("\n\n", -1);
                    String last = "";
                    for (int i = 0; i < frames.length - 1; i++) {
                        var id = Pattern.compile("(?m)^id: (\\d+)$").matcher(frames[i]);
                        if (id.find()) last = id.group(1);
                    }
                    if (!last.isEmpty() && cut.compareAndSet(false, true)) {
                        cutAfter = last;
                        return;  // closes both sockets mid-stream
                    }
                }
            } catch (IOException | RuntimeException e) {
                // a side closed: so does the relay
            }
        }

        private void awaitIdle(String request) throws IOException {
            Matcher session = Pattern.compile("[?&]session=([A-Za-z0-9_]+)").matcher(request);
            Matcher token = Pattern.compile("(?mi)^authorization: (.+?)\r?$").matcher(request);
            if (!session.find() || !token.find()) throw new AssertionError("an event stream request without its session or token:\n" + request);
            var status = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + target + "/sessions/" + session.group(1) + "/status"))
                    .header("Authorization", token.group(1)).build();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            try {
                while (!HTTP.send(status, HttpResponse.BodyHandlers.ofString()).body().contains("\"idle\"")) {
                    if (System.nanoTime() > deadline) throw new AssertionError("the session did not go idle within 15 s");
                    Thread.sleep(20);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
        }

        private static void pump(InputStream from, Socket to) {
            try {
                from.transferTo(to.getOutputStream());
            } catch (IOException e) {
                // closed
            }
        }

        @Override
        public void close() throws IOException {
            listener.close();
        }
    }
}
