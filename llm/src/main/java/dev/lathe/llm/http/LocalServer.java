package dev.lathe.llm.http;

import java.net.ConnectException;
import java.net.InetAddress;
import java.net.URI;
import java.util.Optional;

/**
 * A request that never reached its server, described with the URL it went to. A refused connection to this machine
 * (loopback) means a local model server that is not running: it is marked so the turn fails at once rather than
 * retrying for half a minute, with a hint — {@code is Ollama running?} for Ollama's port, else
 * {@code is the server at URL running?}.
 */
final class LocalServer {
    /** Ollama's default port. */
    static final int OLLAMA_PORT = 11434;

    private LocalServer() {}

    static StreamOutcome.Unreachable unreachable(URI uri, Throwable cause) {
        String target = uri.getScheme() + "://" + uri.getRawAuthority() + Optional.ofNullable(uri.getRawPath()).orElse("");
        if (refused(cause) && isLoopback(uri.getHost())) {
            String hint = uri.getPort() == OLLAMA_PORT ? "is Ollama running? (start it with `ollama serve`)"
                    : "is the server at " + uri.getScheme() + "://" + uri.getRawAuthority() + " running?";
            return new StreamOutcome.Unreachable("connection refused to " + target + ": " + hint, Optional.of(uri));
        }
        String what = refused(cause) ? "connection refused" : StreamingPost.describe(cause);
        return new StreamOutcome.Unreachable(what + " (" + target + ")", Optional.empty());
    }

    private static boolean refused(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof ConnectException && !(t instanceof java.net.http.HttpConnectTimeoutException)) return true;
        }
        return false;
    }

    /** {@code localhost} or a loopback address literal; names are never resolved here (no DNS for an error message). */
    static boolean isLoopback(String host) {
        if (host == null) return false;
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (h.equalsIgnoreCase("localhost")) return true;
        try {
            return InetAddress.ofLiteral(h).isLoopbackAddress();
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
