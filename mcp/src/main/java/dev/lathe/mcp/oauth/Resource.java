package dev.lathe.mcp.oauth;

import java.net.URI;
import java.util.Locale;

/** The canonical URI of an MCP server (RFC 8707 as the MCP spec uses it): lower-case scheme and host, no fragment, no trailing slash. */
final class Resource {
    private Resource() {}

    static URI canonical(URI server) {
        String path = Discovery.trimSlash(server.getRawPath());
        String query = server.getRawQuery() == null ? "" : "?" + server.getRawQuery();
        String port = server.getPort() < 0 ? "" : ":" + server.getPort();
        return URI.create(server.getScheme().toLowerCase(Locale.ROOT) + "://" + server.getHost().toLowerCase(Locale.ROOT) + port + path + query);
    }

    /** Whether metadata naming {@code resource} may speak for {@code server}: the same origin, and a path prefix of it. */
    static boolean covers(URI resource, URI server) {
        String r = canonical(resource).toString();
        String s = canonical(server).toString();
        return s.equals(r) || s.startsWith(r + "/");
    }
}
