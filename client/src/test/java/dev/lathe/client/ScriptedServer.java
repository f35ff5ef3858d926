package dev.lathe.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A loopback server that accepts one connection, records the request's bytes (head and {@code Content-Length}
 * body) and answers with whatever its script writes, byte for byte. The connection closes when the script returns.
 */
final class ScriptedServer implements AutoCloseable {
    interface Script {
        void answer(ScriptedServer server, OutputStream out) throws Exception;
    }

    /** The request as received, bytes read as ISO-8859-1 so a test can compare them one for one. */
    final CompletableFuture<String> request = new CompletableFuture<>();
    private final CountDownLatch released = new CountDownLatch(1);
    private final ServerSocket server;

    ScriptedServer(Script script) throws IOException {
        this(InetAddress.getLoopbackAddress(), script);
    }

    ScriptedServer(InetAddress address, Script script) throws IOException {
        server = new ServerSocket(0, 50, address);
        Thread.ofVirtual().name("scripted-server").start(() -> {
            try (Socket socket = server.accept()) {
                request.complete(readRequest(socket.getInputStream()));
                script.answer(this, socket.getOutputStream());
            } catch (Exception e) {
                request.completeExceptionally(e);  // a client that hung up early is fine; tests look at what they need
            }
        });
    }

    int port() { return server.getLocalPort(); }

    URI uri(String pathAndQuery) {
        String host = server.getInetAddress().getHostAddress();
        if (host.contains(":")) host = "[" + host + "]";
        return URI.create("http://" + host + ":" + port() + pathAndQuery);
    }

    /** Keeps the connection open (the script waits here) until the test closes the server. */
    void holdOpen() throws InterruptedException {
        released.await(10, TimeUnit.SECONDS);
    }

    static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static String readRequest(InputStream in) throws IOException {
        var head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) return head.toString(StandardCharsets.ISO_8859_1);
            head.write(b);
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        int length = 0;
        for (String line : text.split("\r\n")) {
            if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) length = Integer.parseInt(line.substring(15).strip());
        }
        return text + new String(in.readNBytes(length), StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        released.countDown();
        server.close();
    }
}
