package dev.lathe.llm.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback server that speaks HTTP/1.1 byte by byte as a test scripts it, so a client can be shown heads and bodies
 * no well-behaved server library would send: each accepted connection runs {@link Script} on a thread of its own.
 */
final class RawHttpServer implements AutoCloseable {
    /** What one connection does; {@code index} counts connections from 0; {@code server} reads requests. */
    @FunctionalInterface
    interface Script {
        void run(RawHttpServer server, Socket socket, int index) throws Exception;
    }

    /** A request as it arrived: its head's lines and its body. */
    record Request(List<String> head, byte[] body) {
        String line() { return head.getFirst(); }

        String header(String name) {
            for (String h : head.subList(1, head.size())) {
                int colon = h.indexOf(':');
                if (colon > 0 && h.substring(0, colon).equalsIgnoreCase(name)) return h.substring(colon + 1).strip();
            }
            return null;
        }
    }

    private final ServerSocket server;
    final AtomicInteger connections = new AtomicInteger();
    final List<Request> requests = new CopyOnWriteArrayList<>();
    final List<Throwable> failures = new CopyOnWriteArrayList<>();

    RawHttpServer(Script script) throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    int index = connections.getAndIncrement();
                    Thread.ofVirtual().start(() -> {
                        try (s) {
                            script.run(this, s, index);
                        } catch (Exception e) {
                            failures.add(e);
                        }
                    });
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    int port() { return server.getLocalPort(); }

    String url(String path) { return "http://127.0.0.1:" + port() + path; }

    /** Reads one request (head and a {@code Content-Length} body); null when the client closed first. */
    Request read(InputStream in) throws IOException {
        var head = new java.util.ArrayList<String>();
        var line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                String text = line.toString(StandardCharsets.ISO_8859_1);
                line.reset();
                if (text.endsWith("\r")) text = text.substring(0, text.length() - 1);
                if (text.isEmpty()) break;
                head.add(text);
            } else {
                line.write(b);
            }
        }
        if (head.isEmpty()) return null;
        int length = 0;
        for (String h : head) if (h.toLowerCase(Locale.ROOT).startsWith("content-length:")) length = Integer.parseInt(h.substring(15).strip());
        var request = new Request(List.copyOf(head), in.readNBytes(length));
        requests.add(request);
        return request;
    }

    static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** An SSE answer in chunks, one event each, then the last chunk. */
    static String chunkedEvents(String... data) {
        var out = new StringBuilder("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\nX-Request-Id: r1\r\n\r\n");
        for (String d : data) {
            String event = "data: " + d + "\n\n";
            out.append(Integer.toHexString(event.length())).append("\r\n").append(event).append("\r\n");
        }
        return out.append("0\r\n\r\n").toString();
    }

    /** An SSE answer with a {@code Content-Length}. */
    static String sizedEvents(String... data) {
        var body = new StringBuilder();
        for (String d : data) body.append("data: ").append(d).append("\n\n");
        return "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
    }

    @Override
    public void close() throws IOException { server.close(); }
}
