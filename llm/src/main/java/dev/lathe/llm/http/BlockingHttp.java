package dev.lathe.llm.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * A blocking HTTP/1.1 client for the model streams, run on the caller's (virtual) thread: it writes the request,
 * reads the response head and hands back the body as it is framed ({@link FramedBody}). The JDK's client ran every
 * stream through its selector thread and worker pool and handed each buffer to the caller through a queue; here the
 * caller's thread reads the socket itself (issue 55, decision 437).
 *
 * <p>Same network behaviour as the JDK client it stands in for, with the settings of that client: its TLS context
 * (certificates checked by its trust manager, host names verified as HTTPS does), its connect timeout, its proxy
 * selector or the default one (an HTTP proxy for {@code http}, a {@code CONNECT} tunnel for {@code https}). Connections
 * are kept per origin ({@link ConnectionPool}); a request on a kept connection that the server had closed is sent once
 * more on a fresh one, only when nothing of a response came.
 */
final class BlockingHttp {
    private static final String USER_AGENT = "Java-http-client/" + System.getProperty("java.version");

    /** What the JDK client was built with. */
    record Settings(SSLSocketFactory tls, Duration connectTimeout, ProxySelector proxies) {}

    /** The final response's head, and its body (closing it keeps or closes the connection). */
    record Response(HttpHead head, InputStream body) {}

    /** Where a request goes: the connection's key in the pool, and how to open it. */
    private record Route(String origin, boolean tls, String host, int port, InetSocketAddress proxy) {}

    private final Supplier<Settings> settings;
    private final ConnectionPool pool;
    private volatile Settings resolved;

    BlockingHttp(Supplier<Settings> settings, ConnectionPool pool) {
        this.settings = settings;
        this.pool = pool;
    }

    /** With the settings of {@code client}, read at the first request (the client may still be starting). */
    static BlockingHttp over(HttpClient client) {
        return new BlockingHttp(() -> settingsOf(client.sslContext(), client.connectTimeout().orElse(null),
                client.proxy().orElseGet(ProxySelector::getDefault)), new ConnectionPool());
    }

    static Settings settingsOf(SSLContext tls, Duration connectTimeout, ProxySelector proxies) {
        return new Settings(tls.getSocketFactory(), connectTimeout, proxies);
    }

    /** One exchange; {@link Exchange#abort} from any thread stops it. */
    Exchange exchange() { return new Exchange(); }

    int idleConnections() { return pool.idleCount(); }

    private Settings settings() {
        Settings s = resolved;
        if (s == null) resolved = s = settings.get();
        return s;
    }

    /** The request, its connection, and what ends them. */
    final class Exchange {
        private HttpConnection current;
        private Socket connecting;
        private boolean aborted;

        /**
         * POSTs {@code body} with {@code headers} (in order, after {@code Host}, {@code Content-Length} and
         * {@code User-Agent}); {@code timeout} bounds the wait until the response head is in.
         */
        Response post(URI uri, List<Map.Entry<String, String>> headers, RequestBody body, Duration timeout) throws IOException {
            Route route = route(uri);
            byte[] head = requestHead(uri, headers, body.length(), route.proxy() != null && !route.tls());
            long deadline = System.nanoTime() + timeout.toNanos();
            HttpConnection kept = pool.take(route.origin());
            if (kept != null) {
                kept.reuse();
                try {
                    return on(kept, head, body, deadline);
                } catch (IOException e) {
                    // a kept connection the server had closed fails before any answer: send once more on a fresh one
                    if (kept.received() > 0 || e instanceof HttpTimeoutException || isAborted()) throw e;
                }
            }
            return on(open(route, deadline), head, body, deadline);
        }

        /** Closes the connection now, from any thread: a blocked write or read throws. */
        void abort() {
            synchronized (this) {
                aborted = true;
                if (current != null) current.close();
                if (connecting != null) closeQuietly(connecting);
            }
        }

        /** The body was read to its end: the connection serves the next exchange. */
        void finished(HttpConnection c) {
            synchronized (this) {
                // bytes after the body are not the next answer's: such a connection is not kept
                if (current != c || aborted || c.hasBuffered()) {
                    c.close();
                    return;
                }
                current = null;
            }
            pool.put(c);
        }

        /** The body cannot be finished (closed early, framed by the connection's end): the connection goes. */
        void discard() {
            HttpConnection c;
            synchronized (this) {
                c = current;
                current = null;
            }
            if (c != null) c.close();
        }

        private synchronized boolean isAborted() { return aborted; }

        private Response on(HttpConnection c, byte[] head, RequestBody body, long deadline) throws IOException {
            synchronized (this) {
                if (aborted) {
                    c.close();
                    throw new SocketException("cancelled");
                }
                current = c;
            }
            try {
                var out = c.output();
                out.write(head);
                body.writeTo(out);
                c.flush();
                c.readDeadline(deadline);
                HttpHead answer;
                try {
                    answer = HttpHead.read(c);
                } catch (SocketTimeoutException e) {
                    throw (HttpTimeoutException) new HttpTimeoutException("request timed out").initCause(e);
                }
                c.readTimeout(0);
                return new Response(answer, FramedBody.of(answer, c, this));
            } catch (IOException | RuntimeException e) {
                discard();
                c.close();
                throw e;
            }
        }

        private HttpConnection open(Route route, long deadline) throws IOException {
            var raw = new Socket();
            synchronized (this) {
                if (aborted) throw new SocketException("cancelled");
                connecting = raw;
            }
            try {
                raw.setTcpNoDelay(true);
                InetSocketAddress address = route.proxy() != null ? new InetSocketAddress(route.proxy().getHostString(), route.proxy().getPort())
                        : new InetSocketAddress(route.host(), route.port());
                Duration connectTimeout = settings().connectTimeout();
                try {
                    raw.connect(address, connectTimeout == null ? 0 : (int) Math.min(Integer.MAX_VALUE, Math.max(1, connectTimeout.toMillis())));
                } catch (SocketTimeoutException e) {
                    throw (HttpConnectTimeoutException) new HttpConnectTimeoutException("HTTP connect timed out").initCause(e);
                }
                Socket socket = raw;
                if (route.tls()) {
                    if (route.proxy() != null) tunnel(raw, route, deadline);
                    var tls = (SSLSocket) settings().tls().createSocket(raw, route.host(), route.port(), true);
                    var params = tls.getSSLParameters();
                    params.setEndpointIdentificationAlgorithm("HTTPS");
                    tls.setSSLParameters(params);
                    raw.setSoTimeout(millisLeft(deadline));
                    tls.startHandshake();
                    socket = tls;
                }
                return new HttpConnection(route.origin(), socket);
            } catch (IOException | RuntimeException e) {
                closeQuietly(raw);
                throw e;
            } finally {
                synchronized (this) {
                    connecting = null;
                }
            }
        }
    }

    /** {@code CONNECT host:port} through the proxy, so TLS runs end to end with the server. */
    private static void tunnel(Socket raw, Route route, long deadline) throws IOException {
        String authority = hostField(route.host(), route.port());
        raw.getOutputStream().write(("CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        // a proxy sends nothing after its answer until TLS begins, so nothing of the tunnel is left in this buffer
        var reply = new HttpConnection("", raw);
        reply.readDeadline(deadline);
        int status = HttpHead.read(reply).status();
        if (status / 100 != 2) throw new IOException("the proxy refused a tunnel to " + authority + ": HTTP " + status);
    }

    private Route route(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) throw new IllegalArgumentException("invalid URI scheme " + uri.getScheme());
        if (uri.getHost() == null) throw new IllegalArgumentException("unsupported URI " + uri);
        boolean tls = scheme.equals("https");
        String host = uri.getHost();
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        int port = uri.getPort() < 0 ? (tls ? 443 : 80) : uri.getPort();
        InetSocketAddress proxy = proxyFor(uri);
        String origin = scheme + "://" + host + ":" + port + (proxy == null ? "" : " via " + proxy.getHostString() + ":" + proxy.getPort());
        return new Route(origin, tls, host, port, proxy);
    }

    /** As the JDK client chooses: the selector's first answer, if it is an HTTP proxy. */
    private InetSocketAddress proxyFor(URI uri) {
        ProxySelector proxies = settings().proxies();
        if (proxies == null) return null;
        List<Proxy> chosen = proxies.select(uri);
        if (chosen == null || chosen.isEmpty()) return null;
        Proxy p = chosen.getFirst();
        return p.type() == Proxy.Type.HTTP && p.address() instanceof InetSocketAddress a ? a : null;
    }

    /** Request line and header fields; a CR or LF anywhere (a base URL, a header) is refused, never written. */
    static byte[] requestHead(URI given, List<Map.Entry<String, String>> headers, long length, boolean absoluteForm) {
        // a URI may hold other characters than ASCII as they are; the request line carries them percent-encoded
        URI uri = isAscii(given.toString()) ? given : URI.create(given.toASCIIString());
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String target = (absoluteForm ? uri.getScheme() + "://" + uri.getRawAuthority() : "") + path + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c <= ' ' || c >= 0x7F) throw new IllegalArgumentException("invalid character in the request path of " + HttpHead.quoted(uri.toString()));
        }
        var out = new StringBuilder(256 + headers.size() * 64).append("POST ").append(target).append(" HTTP/1.1\r\n");
        out.append("Content-Length: ").append(length).append("\r\n");
        field(out, "Host", hostField(uri.getHost(), uri.getPort()));
        boolean agent = false;
        for (var header : headers) {
            String name = header.getKey();
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.equals("host") || lower.equals("content-length") || lower.equals("connection") || lower.equals("expect")
                    || lower.equals("upgrade") || lower.equals("transfer-encoding")) {
                throw new IllegalArgumentException("restricted header name: \"" + name + "\"");
            }
            agent |= lower.equals("user-agent");
            field(out, name, header.getValue());
        }
        if (!agent) out.append("User-Agent: ").append(USER_AGENT).append("\r\n");
        return out.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private static void field(StringBuilder out, String name, String value) {
        if (!isToken(name)) throw new IllegalArgumentException("invalid header name: \"" + name + "\"");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            // no CR or LF (they would end the field and let a value inject others), nothing outside one byte
            if ((c < ' ' && c != '\t') || c == 0x7F || c > 0xFF) throw new IllegalArgumentException("invalid header value for header \"" + name + "\"");
        }
        out.append(name).append(": ").append(value).append("\r\n");
    }

    /** {@code host[:port]} as {@code Host} wants it, an IPv6 literal in brackets. */
    private static String hostField(String host, int port) {
        if (host.indexOf(':') >= 0 && !host.startsWith("[")) host = "[" + host + "]";
        return port < 0 ? host : host + ":" + port;
    }

    static boolean isToken(String s) {
        if (s.isEmpty()) return false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= ' ' || c >= 0x7F || "\"(),/:;<=>?@[\\]{}".indexOf(c) >= 0) return false;
        }
        return true;
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) if (s.charAt(i) >= 0x7F) return false;
        return true;
    }

    static int millisLeft(long deadline) throws SocketTimeoutException {
        long left = Math.ceilDiv(deadline - System.nanoTime(), 1_000_000L);
        if (left <= 0) throw new SocketTimeoutException("timed out waiting for the response");
        return (int) Math.min(Integer.MAX_VALUE, left);
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // closing to abort: the blocked call sees the failure
        }
    }
}
