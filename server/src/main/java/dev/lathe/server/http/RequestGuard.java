package dev.lathe.server.http;

import dev.lathe.protocol.api.LatheException;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The checks every request passes before it reaches a route (DESIGN §6): a {@code Host} naming this machine's
 * loopback or the configured remote name (against DNS rebinding) and no foreign {@code Origin} (against drive-by
 * requests from web pages); the credential is {@link Callers}'.
 */
final class RequestGuard {
    private static final Set<String> LOOPBACK_NAMES = Set.of("localhost", "127.0.0.1", "[::1]");

    private final Set<String> hostNames;
    private final int port;
    private final Optional<String> publicOrigin;

    RequestGuard(ServerOptions options, int port) {
        var names = new HashSet<>(LOOPBACK_NAMES);
        options.allowedHost().ifPresent(h -> names.add(bracketed(h.toLowerCase(Locale.ROOT))));
        options.publicUrl().map(java.net.URI::getHost).ifPresent(h -> names.add(bracketed(h.toLowerCase(Locale.ROOT))));
        this.publicOrigin = options.publicUrl().map(RequestGuard::originOf);
        this.hostNames = Set.copyOf(names);
        this.port = port;
    }

    /** @throws HttpRefusal 421 when the {@code Host} header is missing or names another server */
    void checkHost(Optional<String> hostHeader) {
        String host = hostHeader.map(String::strip).orElse("");
        if (host.isEmpty()) throw HttpRefusal.misdirected("a Host header is required");
        if (!hostNames.contains(nameOf(host.toLowerCase(Locale.ROOT)))) {
            throw HttpRefusal.misdirected("this server does not answer for host '" + host + "'");
        }
    }

    /**
     * Accepts a missing {@code Origin} (non-browser clients) and the server's own origins: {@code http://} with any
     * accepted host name and this server's port.
     *
     * @throws LatheException.Forbidden for any other origin, including {@code null}
     */
    void checkOrigin(Optional<String> originHeader) {
        if (originHeader.isEmpty()) return;
        String origin = originHeader.get().strip().toLowerCase(Locale.ROOT);
        if (publicOrigin.isPresent() && publicOrigin.get().equals(origin)) return;  // pages served through the TLS proxy
        String prefix = "http://";
        if (origin.startsWith(prefix)) {
            String authority = origin.substring(prefix.length());
            if (authority.endsWith(":" + port) && hostNames.contains(nameOf(authority))) return;
        }
        throw new LatheException.Forbidden("requests from origin '" + originHeader.get().strip() + "' are not allowed");
    }

    /** {@code scheme://host[:port]} of {@code url}, lower case, as browsers send it in {@code Origin}. */
    static String originOf(java.net.URI url) {
        String origin = url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort());
        return origin.toLowerCase(Locale.ROOT);
    }

    /** The host part of {@code host[:port]}, keeping the brackets of an IPv6 literal. */
    private static String nameOf(String authority) {
        if (authority.startsWith("[")) {
            int end = authority.indexOf(']');
            if (end < 0) return authority;
            String rest = authority.substring(end + 1);
            return rest.isEmpty() || isPort(rest) ? authority.substring(0, end + 1) : authority;
        }
        int colon = authority.lastIndexOf(':');
        if (colon >= 0 && authority.indexOf(':') == colon && isPort(authority.substring(colon))) return authority.substring(0, colon);
        return authority;
    }

    private static boolean isPort(String colonAndDigits) {
        if (colonAndDigits.length() < 2 || colonAndDigits.length() > 6 || colonAndDigits.charAt(0) != ':') return false;
        for (int i = 1; i < colonAndDigits.length(); i++) {
            char c = colonAndDigits.charAt(i);
            if (c < '0' || c > '9') return false;
        }
        return true;
    }

    private static String bracketed(String host) {
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }
}
