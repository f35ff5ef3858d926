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
        return new StreamOutcome.Unreachable(what(cause, uri) + " (" + target + ")", Optional.empty());
    }

    /** What went wrong in words: {@code connection refused}, {@code host not found: NAME}, {@code connection timed out}. */
    private static String what(Throwable cause, URI uri) {
        if (refused(cause)) return "connection refused";
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof java.net.UnknownHostException || t instanceof java.nio.channels.UnresolvedAddressException) {
                return "host not found: " + uri.getHost();
            }
            if (t instanceof java.net.http.HttpConnectTimeoutException) return "connection timed out";
        }
        return StreamingPost.describe(cause);
    }

    private static boolean refused(Throwable cause) {
        // the JDK client reports a name it could not resolve as a ConnectException too
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof java.net.UnknownHostException || t instanceof java.nio.channels.UnresolvedAddressException) return false;
        }
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
