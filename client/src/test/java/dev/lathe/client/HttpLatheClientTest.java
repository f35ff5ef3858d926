package dev.lathe.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.api.EventFilter;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.event.EventEnvelope;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HttpLatheClientTest {
    private final StubServer stub;

    HttpLatheClientTest() throws IOException {
        stub = new StubServer();
    }

    @AfterEach
    void tearDown() {
        stub.close();
    }

    private HttpLatheClient client(Optional<String> directory) {
        return HttpLatheClient.connect(stub.url(), "tok", directory);
    }

    /**
     * Issue 86: subscribing returns once the server confirmed the stream, while the listener may still be handling the
     * confirmation (a `--format json` run writes its first line then); the listener still gets it before any later
     * event. Before, the run's prompt waited for that first line.
     */
    @Test
    void subscribingDoesNotWaitForTheListenerToHandleTheConfirmation() throws Exception {
        stub.handle("/events", exchange -> {
            var out = StubServer.startEvents(exchange);
            StubServer.event(out, 0, new Event.ServerConnected());
            StubServer.event(out, 1, new Event.Resync());
        });
        var release = new CountDownLatch(1);
        var seen = new LinkedBlockingQueue<String>();
        try (var client = client(Optional.empty());
                var _ = client.subscribe(EventFilter.ALL, 0, e -> {
                    if (e.event() instanceof Event.ServerConnected) {
                        try {
                            release.await(30, TimeUnit.SECONDS);
                        } catch (InterruptedException interrupted) {
                            Thread.currentThread().interrupt();
                        }
                    }
                    seen.add(e.seq() + ":" + e.event().getClass().getSimpleName());
                })) {
            // here while the listener still holds the confirmation
            assertThat(seen).isEmpty();
            release.countDown();
            assertThat(seen.poll(5, TimeUnit.SECONDS)).isEqualTo("0:ServerConnected");
            assertThat(seen.poll(5, TimeUnit.SECONDS)).isEqualTo("1:Resync");
        }
    }

    @Test
    void reconnectsWithLastEventIdAndDeliversInOrder() throws Exception {
        var connections = new AtomicInteger();
        var hold = new CountDownLatch(1);
        stub.handle("/events", exchange -> {
            var out = StubServer.startEvents(exchange);
            if (connections.incrementAndGet() == 1) {
                StubServer.event(out, 0, new Event.ServerConnected());
                StubServer.event(out, 1, new Event.Resync());
                StubServer.event(out, 2, new Event.Resync());
                return;  // the connection drops
            }
            StubServer.event(out, 2, new Event.ServerConnected());
            StubServer.event(out, 3, new Event.Resync());
            try {
                hold.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        var events = new LinkedBlockingQueue<EventEnvelope>();
        try (var client = client(Optional.of("/p"))) {
            var sub = client.subscribe(EventFilter.ALL, 0, events::add);
            var seen = new java.util.ArrayList<String>();
            while (seen.size() < 5) {
                EventEnvelope e = events.poll(5, TimeUnit.SECONDS);
                assertThat(e).as("events so far: " + seen).isNotNull();
                seen.add(e.seq() + ":" + e.event().getClass().getSimpleName());
            }
            assertThat(seen).containsExactly("0:ServerConnected", "1:Resync", "2:Resync", "2:ServerConnected", "3:Resync");
            assertThat(stub.requests).extracting(StubServer.Seen::lastEventId).containsExactly(Optional.empty(), Optional.of("2"));
            assertThat(stub.requests.getFirst().uri()).isEqualTo("/events?directory=");
            sub.close();
            hold.countDown();
        }
    }

    @Test
    void reconnectWithoutAResumePointTellsTheListenerToResync() throws Exception {
        var connections = new AtomicInteger();
        var hold = new CountDownLatch(1);
        stub.handle("/events", exchange -> {
            StubServer.event(StubServer.startEvents(exchange), 0, new Event.ServerConnected());
            if (connections.incrementAndGet() == 1) return;
            try {
                hold.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        var events = new LinkedBlockingQueue<EventEnvelope>();
        try (var client = client(Optional.empty()); var sub = client.subscribe(EventFilter.ALL, 0, events::add)) {
            assertThat(events.poll(5, TimeUnit.SECONDS).event()).isInstanceOf(Event.ServerConnected.class);
            assertThat(events.poll(5, TimeUnit.SECONDS).event()).isInstanceOf(Event.ServerConnected.class);
            assertThat(events.poll(5, TimeUnit.SECONDS).event()).isInstanceOf(Event.Resync.class);
            hold.countDown();
        }
    }

    @Test
    void subscribeSendsFilterAndResumePoint() throws Exception {
        stub.handle("/events", exchange -> StubServer.event(StubServer.startEvents(exchange), 5, new Event.ServerConnected()));
        var id = SessionId.next();
        try (var client = client(Optional.empty());
                var sub = client.subscribe(new EventFilter(Optional.of("/a b"), Optional.of(id)), 5, e -> { })) {
            assertThat(stub.requests.getFirst().uri()).isEqualTo("/events?directory=%2Fa+b&session=" + id);
            assertThat(stub.requests.getFirst().lastEventId()).contains("5");
        }
    }

    @Test
    void subscribeThrowsWhenTheServerRefuses() {
        stub.handle("/events", exchange -> StubServer.json(exchange, 401, "{\"error\":{\"code\":\"unauthorized\",\"message\":\"invalid token\"}}"));
        try (var client = client(Optional.empty())) {
            assertThatThrownBy(() -> client.subscribe(EventFilter.ALL, 0, e -> { }))
                    .isInstanceOfSatisfying(LatheException.class, e -> {
                        assertThat(e).isInstanceOf(LatheException.Unauthorized.class);
                        assertThat(e.getMessage()).isEqualTo("invalid token");
                    });
        }
    }

    @Test
    void closeStopsReconnecting() throws Exception {
        var connections = new AtomicInteger();
        stub.handle("/events", exchange -> {
            connections.incrementAndGet();
            StubServer.event(StubServer.startEvents(exchange), 0, new Event.ServerConnected());
        });
        try (var client = client(Optional.empty())) {
            var sub = client.subscribe(EventFilter.ALL, 0, e -> { });
            Thread.sleep(300);
            sub.close();
            int after = connections.get();
            assertThat(after).isGreaterThanOrEqualTo(2);
            Thread.sleep(500);
            assertThat(connections.get()).isEqualTo(after);
        }
    }

    @Test
    void unknownEventTypesAreSkipped() throws Exception {
        stub.handle("/events", exchange -> {
            var out = StubServer.startEvents(exchange);
            StubServer.event(out, 0, new Event.ServerConnected());
            out.write("id: 1\nevent: future.thing\ndata: {\"seq\":1,\"at\":1,\"type\":\"future.thing\"}\n\n".getBytes(StandardCharsets.UTF_8));
            StubServer.event(out, 2, new Event.Resync());
            out.flush();
        });
        var events = new LinkedBlockingQueue<EventEnvelope>();
        try (var client = client(Optional.empty()); var sub = client.subscribe(EventFilter.ALL, 0, events::add)) {
            assertThat(events.poll(5, TimeUnit.SECONDS).event()).isInstanceOf(Event.ServerConnected.class);
            assertThat(events.poll(5, TimeUnit.SECONDS).seq()).isEqualTo(2);
        }
    }

    @Test
    void errorBodiesBecomeLatheExceptionCases() {
        stub.handle("/sessions", exchange -> StubServer.json(exchange, 409, "{\"error\":{\"code\":\"conflict\",\"message\":\"busy\"}}"));
        stub.handle("/permissions", exchange -> StubServer.json(exchange, 502, "<html>bad gateway</html>"));
        try (var client = client(Optional.empty())) {
            assertThatThrownBy(() -> client.sessions("/a")).isInstanceOfSatisfying(LatheException.class, e -> {
                assertThat(e).isInstanceOf(LatheException.Conflict.class);
                assertThat(e.code()).isEqualTo("conflict");
                assertThat(e.getMessage()).isEqualTo("busy");
            });
            assertThatThrownBy(() -> client.permissions("")).isInstanceOfSatisfying(LatheException.class, e -> {
                assertThat(e).isInstanceOf(LatheException.Unavailable.class);
                assertThat(e.code()).isEqualTo("http_502");
                assertThat(e.getMessage()).contains("bad gateway");
            });
        }
    }

    @Test
    void sendsTokenAndPercentEncodedDirectoryOnEveryCall() {
        stub.handle("/sessions", exchange -> StubServer.json(exchange, 200, "[]"));
        try (var client = client(Optional.of("/home/me/café bar"))) {
            assertThat(client.sessions("/x")).isEmpty();
        }
        var seen = stub.requests.getFirst();
        assertThat(seen.authorization()).contains("Bearer tok");
        assertThat(seen.directory()).contains("/home/me/caf%C3%A9%20bar");
        assertThat(seen.uri()).isEqualTo("/sessions?directory=%2Fx");
    }

    @Test
    void unreachableServerIsAClearUncheckedException() throws Exception {
        int port;
        try (var socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        try (var client = HttpLatheClient.connect(URI.create("http://127.0.0.1:" + port), "tok", Optional.empty())) {
            assertThatThrownBy(() -> client.sessions("/a")).isInstanceOf(LatheClientException.class)
                    .hasMessageStartingWith("cannot reach the Lathe server at http://127.0.0.1:" + port);
            assertThatThrownBy(() -> client.subscribe(EventFilter.ALL, 0, e -> { })).isInstanceOf(LatheClientException.class)
                    .hasMessageStartingWith("cannot reach the Lathe server at http://127.0.0.1:" + port);
        }
    }

    @Test
    void rejectsNonHttpUrls() {
        assertThatThrownBy(() -> HttpLatheClient.connect(URI.create("file:///x"), "t", Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(ApiRequests.encodeHeader("C:\\x/ü")).isEqualTo("C:%5Cx/%C3%BC");
    }
}
