package dev.lathe.server.http;

import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Accepts connections and serves each on its own virtual thread ({@link ClientConnection}). Replaces the JDK
 * server's connection handling (decision 84): that one resets a connection whose head is too large instead of
 * answering 431, waits for a slow head for ever unless a JVM-wide property is set before its first use, and cannot
 * tell a slow head from a slow body. Closing stops accepting and closes every open connection at once.
 */
final class HttpListener implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(HttpListener.class.getName());
    /** Connections the kernel holds before {@code accept}: a burst of clients is not refused at the door. */
    private static final int BACKLOG = 1024;

    private final ServerSocket server;
    private final HttpHandler handler;
    private final ServerOptions options;
    private final ExecutorService executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("lathe-http-", 0).factory());
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;
    private volatile boolean closed;

    private HttpListener(ServerSocket server, HttpHandler handler, ServerOptions options) {
        this.server = server;
        this.handler = handler;
        this.options = options;
        // a platform thread: accept blocks for the server's whole life
        this.acceptor = Thread.ofPlatform().daemon().name("lathe-http-accept").unstarted(this::acceptLoop);
    }

    /** Binds {@code address} and starts accepting. @throws IOException when it cannot be bound */
    static HttpListener start(InetSocketAddress address, HttpHandler handler, ServerOptions options) throws IOException {
        var socket = new ServerSocket();
        try {
            socket.setReuseAddress(true);
            socket.bind(address, BACKLOG);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
        var listener = new HttpListener(socket, handler, options);
        listener.acceptor.start();
        return listener;
    }

    int port() { return server.getLocalPort(); }

    /** Connections open now (tests). */
    int openConnections() { return open.size(); }

    private void acceptLoop() {
        while (!closed) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                if (closed) return;
                LOG.log(Level.WARNING, "accepting a connection failed: {0}", e.toString());
                // out of file descriptors, say: wait for some to be closed rather than spinning
                try {
                    Thread.sleep(50);
                } catch (InterruptedException ie) {
                    return;
                }
                continue;
            }
            open.add(socket);
            try {
                executor.execute(() -> {
                    try {
                        new ClientConnection(socket, handler, options).run();
                    } finally {
                        open.remove(socket);
                    }
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                open.remove(socket);
                closeQuietly(socket);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(server);
        for (Socket s : open) closeQuietly(s);
        executor.shutdownNow();
        // the listening socket is released only once the thread blocked in accept has left it: a server restarted on
        // the same port right after must find it free
        try {
            acceptor.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            LOG.log(Level.DEBUG, "closing: {0}", e.toString());
        }
    }
}
