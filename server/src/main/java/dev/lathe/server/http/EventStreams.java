package dev.lathe.server.http;

import dev.lathe.protocol.api.EventFilter;
import dev.lathe.protocol.api.LatheApi;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The open {@link EventStream}s of one server, so closing the server can end them all at once. */
final class EventStreams {
    private final ServerOptions options;
    private final Set<EventStream> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    EventStreams(ServerOptions options) {
        this.options = options;
    }

    void serve(Call call, LatheApi api, EventFilter filter, long afterSeq) throws IOException {
        var stream = new EventStream(call, options);
        open.add(stream);
        try {
            if (closed) throw new IOException("server is closing");
            stream.run(api, filter, afterSeq);
        } finally {
            open.remove(stream);
        }
    }

    int size() { return open.size(); }

    void closeAll() {
        closed = true;
        for (EventStream stream : open) stream.drop("the server is closing");
    }
}
