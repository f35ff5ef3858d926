package dev.lathe.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.client.HttpLatheClient;
import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.PartId;
import dev.lathe.protocol.RawJson;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.CreateSessionRequest;
import dev.lathe.protocol.api.EventFilter;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.event.EventEnvelope;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.ToolState;
import dev.lathe.protocol.wire.WireJson;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code GET /events}: SSE framing, resume, heartbeats, filters, slow readers and shutdown. */
class EventStreamTest {
    private ServerHarness h = new ServerHarness(ServerOptions.of(ServerHarness.TOKEN, "1").withHeartbeat(Duration.ofMillis(150)));

    @AfterEach
    void tearDown() {
        h.close();
    }

    /** Reads raw SSE frames (lists of lines) from one connection. */
    private static final class RawStream implements AutoCloseable {
        final HttpResponse<InputStream> response;
        final BufferedReader reader;

        RawStream(HttpResponse<InputStream> response) {
            this.response = response;
            this.reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
        }

        /** The next frame that is not a heartbeat (a slow test machine may see one anywhere). */
        List<String> frame() throws Exception {
            List<String> frame;
            do {
                frame = anyFrame();
            } while (frame.contains("event: server.heartbeat"));
            return frame;
        }

        List<String> anyFrame() throws Exception {
            var lines = new ArrayList<String>();
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isEmpty()) return lines;
                lines.add(line);
            }
            throw new AssertionError("stream ended");
        }

        @Override public void close() throws Exception { response.body().close(); }
    }

    private RawStream open(String pathAndQuery, String... headers) throws Exception {
        var request = h.request(pathAndQuery);
        for (int i = 0; i < headers.length; i += 2) request.header(headers[i], headers[i + 1]);
        var response = h.http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        return new RawStream(response);
    }

    @Test
    void framesCarryIdEventAndFlatJsonData() throws Exception {
        try (var stream = open("/events")) {
            assertThat(stream.response.headers().firstValue("Content-Type")).contains("text/event-stream; charset=utf-8");
            List<String> connected = stream.frame();
            // no id: the stream's own frames are no events of the sequence (an SSE client keeps its last id)
            assertThat(connected).hasSize(2);
            assertThat(connected.get(0)).isEqualTo("event: server.connected");
            assertThat(connected.get(1)).startsWith("data: {\"seq\":0,").endsWith("\"type\":\"server.connected\"}");

            var session = h.client.createSession(CreateSessionRequest.in("/p"));
            List<String> created = stream.frame();
            assertThat(created.get(0)).isEqualTo("id: 1");
            assertThat(created.get(1)).isEqualTo("event: session.created");
            EventEnvelope envelope = WireJson.readEnvelope(created.get(2).substring("data: ".length()));
            assertThat(envelope.seq()).isEqualTo(1);
            assertThat(envelope.directory()).contains("/p");
            assertThat(envelope.event()).isEqualTo(new Event.SessionCreated(session));
            assertThat(created.get(2)).contains("\"type\":\"session.created\"", "\"directory\":\"/p\"");
        }
    }

    @Test
    void multiLineJsonIsSplitIntoDataLinesAndSurvivesTheClient() throws Exception {
        var events = new LinkedBlockingQueue<EventEnvelope>();
        try (var sub = h.client.subscribe(EventFilter.ALL, 0, events::add); var stream = open("/events")) {
            stream.frame();
            var part = new Part.Tool(PartId.next(), SessionId.next(), MessageId.next(), "c1", "bash",
                    new ToolState.Pending(new RawJson("{\n  \"command\": \"ls\"\n}")));
            h.api.publish(Optional.empty(), new Event.PartUpdated(part));
            List<String> frame = stream.frame();
            assertThat(frame).hasSize(5).allMatch(l -> l.startsWith("id:") || l.startsWith("event:") || l.startsWith("data:"));
            EventEnvelope received = next(events, e -> e.event() instanceof Event.PartUpdated);
            var tool = (Part.Tool) ((Event.PartUpdated) received.event()).part();
            assertThat(WireJson.mapper().readTree(tool.input().json())).isEqualTo(WireJson.mapper().readTree("{\"command\":\"ls\"}"));
        }
    }

    @Test
    void lastEventIdHeaderOrQueryResumesAfterThatSeq() throws Exception {
        var session = h.client.createSession(CreateSessionRequest.in("/p"));
        h.api.ask(session, "ls");
        h.api.ask(session, "pwd");
        try (var stream = open("/events", "Last-Event-ID", "1")) {
            // event 1 is not sent again, not even as the id of server.connected (issue 53)
            assertThat(stream.frame()).startsWith("event: server.connected").noneMatch(l -> l.startsWith("id:"));
            assertThat(stream.frame()).containsSequence("id: 2", "event: permission.asked");
            assertThat(stream.frame()).containsSequence("id: 3", "event: permission.asked");
        }
        try (var stream = open("/events?lastEventId=2")) {
            assertThat(stream.frame()).contains("event: server.connected");
            assertThat(stream.frame()).containsSequence("id: 3", "event: permission.asked");
        }
        assertThat(h.api.subscriptions).extracting(FakeLatheApi.SubscribeCall::afterSeq).containsExactly(1L, 2L);
        assertThat(h.send(h.request("/events?lastEventId=x")).statusCode()).isEqualTo(400);
        assertThat(h.send(h.request("/events").header("Last-Event-ID", "-4")).statusCode()).isEqualTo(400);
    }

    @Test
    void idleStreamsGetHeartbeatsWithoutAnId() throws Exception {
        h.client.createSession(CreateSessionRequest.in("/p"));
        try (var stream = open("/events?lastEventId=0")) {
            stream.frame();
            assertThat(stream.frame()).containsSequence("id: 1", "event: session.created");
            // an SSE client keeps its last id (1) through a frame without one
            assertThat(stream.anyFrame()).startsWith("event: server.heartbeat").noneMatch(l -> l.startsWith("id:"));
            assertThat(stream.anyFrame()).contains("event: server.heartbeat");
        }
    }

    @Test
    void directoryAndSessionFiltersReachTheApi() throws Exception {
        var id = SessionId.next();
        try (var a = open("/events?directory=%2Fa&session=" + id); var b = open("/events", "X-Lathe-Directory", "/h%C3%A9");
                var c = open("/events?directory=", "X-Lathe-Directory", "/ignored"); var d = open("/events")) {
            for (var s : List.of(a, b, c, d)) s.frame();
        }
        assertThat(h.api.subscriptions).extracting(FakeLatheApi.SubscribeCall::filter).containsExactly(
                new EventFilter(Optional.of("/a"), Optional.of(id)),
                new EventFilter(Optional.of("/hé"), Optional.empty()),
                EventFilter.ALL,
                EventFilter.ALL);
        assertThat(h.send(h.request("/events?session=nope")).statusCode()).isEqualTo(400);
    }

    @Test
    void clientSubscriptionSeesEventsPublishedRightAfterSubscribeReturns() throws Exception {
        var events = new LinkedBlockingQueue<EventEnvelope>();
        try (var sub = h.client.subscribe(new EventFilter(Optional.of("/p"), Optional.empty()), 0, events::add)) {
            var session = h.client.createSession(CreateSessionRequest.in("/p"));
            h.client.createSession(CreateSessionRequest.in("/other"));
            assertThat(next(events, e -> e.event() instanceof Event.SessionCreated).event())
                    .isEqualTo(new Event.SessionCreated(session));
            assertThat(h.server.openEventStreams()).isEqualTo(1);
        }
        waitUntil(() -> h.api.openSubscriptions.get() == 0);
        assertThat(events).noneMatch(e -> e.event() instanceof Event.SessionCreated c && c.session().directory().equals("/other"));
    }

    @Test
    void aSubscriberThatStopsReadingIsDroppedWithoutSlowingOthers() throws Exception {
        h.close();
        h = new ServerHarness(ServerOptions.of(ServerHarness.TOKEN, "1").withLimits(ServerOptions.Limits.DEFAULT.withEventBufferBytes(256 * 1024))
                .withStallTimeout(Duration.ofMillis(1500)));
        var fast = new LinkedBlockingQueue<EventEnvelope>();
        try (var sub = h.client.subscribe(EventFilter.ALL, 0, fast::add); var slow = new Socket()) {
            slow.setReceiveBufferSize(4096);
            slow.connect(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), h.server.port()));
            slow.getOutputStream().write(("GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + ServerHarness.TOKEN
                    + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            waitUntil(() -> h.api.openSubscriptions.get() == 2);

            String big = "x".repeat(64 * 1024);
            var id = SessionId.next();
            int count = 400;  // 25 MiB: far more than the socket buffers hold
            for (int i = 0; i < count; i++) {
                h.api.publish(Optional.empty(), new Event.PartDelta(id, new MessageId("msg_1"), new PartId("prt_1"), "text", big));
            }
            // the fast reader gets everything in order (resuming by itself should it ever be dropped too)
            var seqs = new java.util.TreeSet<Long>();
            while (seqs.size() < count) {
                EventEnvelope e = fast.poll(10, TimeUnit.SECONDS);
                assertThat(e).as("fast subscriber got " + seqs.size() + " of " + count).isNotNull();
                if (e.event() instanceof Event.PartDelta) assertThat(seqs.add(e.seq())).isTrue();
            }
            waitUntil(() -> h.api.closedSubscriptions.get() >= 1 && h.server.openEventStreams() == 1);
            assertThat(h.api.openSubscriptions.get()).isEqualTo(1);
            // and its connection is reset: what it did not read is discarded, not sent on through its 4 KB window (which
            // crawled at 10 KB/s once, so a close took minutes to reach it)
            slow.setSoTimeout(10_000);
            byte[] sink = new byte[65536];
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> {
                while (slow.getInputStream().read(sink) >= 0) { }
            }).isInstanceOf(java.net.SocketException.class).hasMessageContaining("reset");
        }
    }

    /** A server that closes ends a healthy reader's stream gracefully: what was written reaches it, then the end. */
    @Test
    void aClosingServerEndsAHealthyStreamWithoutAReset() throws Exception {
        try (var reader = new Socket()) {
            reader.connect(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), h.server.port()));
            reader.getOutputStream().write(("GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + ServerHarness.TOKEN
                    + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            waitUntil(() -> h.api.openSubscriptions.get() == 1);
            h.api.publish(Optional.empty(), new Event.FileEdited(SessionId.next(), "before-close.txt"));
            Thread.sleep(200);
            h.server.close();
            reader.setSoTimeout(10_000);
            String all = new String(reader.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(all).contains("before-close.txt");
        }
    }

    /**
     * A client that closes its connection stops following at once, with nothing written to find it gone: the server
     * does not wait for the next event or heartbeat (a user who closed the terminal is away for the turn's notice).
     */
    @Test
    void aClientThatClosesItsConnectionStopsFollowingBeforeAnythingIsWritten() throws Exception {
        var heartbeat = Duration.ofMinutes(2);
        h.close();
        h = new ServerHarness(ServerOptions.of(ServerHarness.TOKEN, "1").withHeartbeat(heartbeat));
        try (var reader = new Socket()) {
            reader.connect(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), h.server.port()));
            reader.getOutputStream().write(("GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + ServerHarness.TOKEN
                    + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            waitUntil(() -> h.api.openSubscriptions.get() == 1);
            reader.close();
            long start = System.nanoTime();
            while (h.api.openSubscriptions.get() > 0 && Duration.ofNanos(System.nanoTime() - start).compareTo(heartbeat.dividedBy(2)) < 0) Thread.sleep(20);
            assertThat(h.api.openSubscriptions.get()).as("unsubscribed by the close, not by a heartbeat's write").isZero();
            assertThat(h.server.openEventStreams()).isZero();
        }
    }

    @Test
    void clientResumesAcrossAServerRestartWithoutLosingEvents() throws Exception {
        var events = new LinkedBlockingQueue<EventEnvelope>();
        var id = SessionId.next();
        int port = h.server.port();
        try (var sub = h.client.subscribe(EventFilter.ALL, 0, events::add)) {
            var first = h.api.publish(Optional.empty(), new Event.FileEdited(id, "a.txt"));
            assertThat(next(events, e -> e.event() instanceof Event.FileEdited).seq()).isEqualTo(first.seq());

            h.server.close();
            var missed = h.api.publish(Optional.empty(), new Event.FileEdited(id, "b.txt"));
            try (var restarted = HttpApiServer.start(h.api, ServerOptions.of(ServerHarness.TOKEN, "1").withPort(port))) {
                assertThat(next(events, e -> e.event() instanceof Event.FileEdited).seq()).isEqualTo(missed.seq());
                var live = h.api.publish(Optional.empty(), new Event.FileEdited(id, "c.txt"));
                assertThat(next(events, e -> e.event() instanceof Event.FileEdited).seq()).isEqualTo(live.seq());
                assertThat(h.api.subscriptions).extracting(FakeLatheApi.SubscribeCall::afterSeq).containsExactly(0L, first.seq());
            }
        }
    }

    @Test
    void closeEndsOpenStreamsQuickly() throws Exception {
        // a stream left to end by itself ends when its next heartbeat finds the socket closed: with a two-minute
        // heartbeat, "quickly" is far below it on any machine, however busy (a bound of 1 s on close() alone, with a
        // 150 ms heartbeat, neither told the two apart nor survived a loaded CI machine)
        var heartbeat = Duration.ofMinutes(2);
        h.close();
        h = new ServerHarness(ServerOptions.of(ServerHarness.TOKEN, "1").withHeartbeat(heartbeat));
        var stream = open("/events");
        stream.frame();
        var other = HttpLatheClient.connect(h.server.url(), ServerHarness.TOKEN, Optional.empty());
        var sub = other.subscribe(EventFilter.ALL, 0, e -> { });
        waitUntil(() -> h.api.openSubscriptions.get() == 2);
        long start = System.nanoTime();
        h.server.close();
        while (h.api.openSubscriptions.get() > 0 && Duration.ofNanos(System.nanoTime() - start).compareTo(heartbeat.dividedBy(2)) < 0) Thread.sleep(20);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("closed with every stream ended, not left to a heartbeat")
                .isLessThan(heartbeat.dividedBy(2));
        assertThat(h.api.openSubscriptions.get()).isZero();
        sub.close();
        other.close();
        stream.close();
    }

    private static EventEnvelope next(BlockingQueue<EventEnvelope> queue, java.util.function.Predicate<EventEnvelope> match)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            EventEnvelope e = queue.poll(100, TimeUnit.MILLISECONDS);
            if (e != null && match.test(e)) return e;
        }
        throw new AssertionError("no matching event within 5 s");
    }

    static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("condition not met within 10 s");
            Thread.sleep(20);
        }
    }
}
