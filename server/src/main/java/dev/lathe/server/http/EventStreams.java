package dev.lathe.server.http;

import dev.lathe.protocol.api.EventFilter;
import dev.lathe.protocol.api.LatheApi;
import dev.lathe.protocol.api.LatheException;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The open {@link EventStream}s of one server: admitted within {@link ServerOptions.Limits#maxEventStreams()} in total
 * (503 beyond) and {@link ServerOptions.Limits#maxEventStreamsPerToken()} per credential (429 beyond), refused before
 * anything is subscribed or buffered, so a flood of connections costs a short answer each; and ended all at once when
 * the server closes.
 */
final class EventStreams {
    private final ServerOptions options;
    private final Set<EventStream> open = ConcurrentHashMap.newKeySet();
    /** Open streams per credential; guarded by {@code this}, as is the admission. */
    private final Map<String, Integer> perCredential = new HashMap<>();
    private int admitted;
    private volatile boolean closed;

    EventStreams(ServerOptions options) {
        this.options = options;
    }

    /**
     * Serves one stream for the client holding {@code credential} (its token or login cookie: never logged).
     *
     * @throws LatheException.Unavailable when {@code maxEventStreams} are open
     * @throws HttpRefusal 429 when the credential has {@code maxEventStreamsPerToken} open
     */
    void serve(Call call, LatheApi api, EventFilter filter, long afterSeq, String credential) throws IOException {
        try {
            admit(credential);
        } catch (RuntimeException refused) {
            // a flood of refused streams must not linger as idle kept connections: each refusal closes its connection
            call.exchange().getResponseHeaders().set("Connection", "close");
            throw refused;
        }
        var stream = new EventStream(call, options);
        open.add(stream);
        try {
            if (closed) throw new IOException("server is closing");
            stream.run(api, filter, afterSeq);
        } finally {
            open.remove(stream);
            release(credential);
        }
    }

    private synchronized void admit(String credential) {
        var limits = options.limits();
        if (admitted >= limits.maxEventStreams()) {
            throw new LatheException.Unavailable("too many event streams: " + admitted + " are open, the limit is "
                    + limits.maxEventStreams() + " (server.maxEventStreams); close one or try again later");
        }
        int mine = perCredential.getOrDefault(credential, 0);
        if (mine >= limits.maxEventStreamsPerToken()) {
            throw HttpRefusal.tooManyRequests("too many event streams for this token: " + mine + " are open, the limit is "
                    + limits.maxEventStreamsPerToken() + " (server.maxEventStreamsPerToken); close one or try again later");
        }
        admitted++;
        perCredential.put(credential, mine + 1);
    }

    private synchronized void release(String credential) {
        admitted--;
        perCredential.computeIfPresent(credential, (k, n) -> n <= 1 ? null : n - 1);
    }

    int size() { return open.size(); }

    void closeAll() {
        closed = true;
        for (EventStream stream : open) stream.drop("the server is closing");
    }
}
