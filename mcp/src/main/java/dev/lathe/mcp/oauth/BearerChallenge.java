package dev.lathe.mcp.oauth;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code Bearer} challenge of a 401 or 403 {@code WWW-Authenticate} header (RFC 6750 §3, RFC 9728 §5.1): where the
 * protected resource metadata is, the scope the server asks for, and its error code.
 */
public record BearerChallenge(Optional<URI> resourceMetadata, Optional<String> scope, Optional<String> error) {

    public static final BearerChallenge NONE = new BearerChallenge(Optional.empty(), Optional.empty(), Optional.empty());

    /** Parses the header's value; anything that is not a Bearer challenge, or is malformed, gives {@link #NONE}. */
    public static BearerChallenge parse(String header) {
        if (header == null) return NONE;
        int at = indexOfScheme(header);
        if (at < 0) return NONE;
        Map<String, String> params = params(header.substring(at + "bearer".length()));
        Optional<URI> metadata = Optional.empty();
        String raw = params.get("resource_metadata");
        if (raw != null) {
            try {
                URI uri = new URI(raw);
                if (uri.isAbsolute()) metadata = Optional.of(uri);
            } catch (java.net.URISyntaxException ignored) {
                // a malformed URL is treated as absent: the well-known fallback still applies
            }
        }
        return new BearerChallenge(metadata, Optional.ofNullable(params.get("scope")), Optional.ofNullable(params.get("error")));
    }

    private static int indexOfScheme(String header) {
        String lower = header.toLowerCase(java.util.Locale.ROOT);
        int from = 0;
        while (true) {
            int at = lower.indexOf("bearer", from);
            if (at < 0) return -1;
            boolean startsToken = at == 0 || lower.charAt(at - 1) == ' ' || lower.charAt(at - 1) == ',';
            boolean endsToken = at + 6 == lower.length() || lower.charAt(at + 6) == ' ';
            if (startsToken && endsToken) return at;
            from = at + 6;
        }
    }

    /** auth-params: {@code name=token} or {@code name="quoted \" string"}, comma separated; stops at the next scheme. */
    private static Map<String, String> params(String s) {
        Map<String, String> out = new LinkedHashMap<>();
        int i = 0, n = s.length();
        while (i < n) {
            while (i < n && (s.charAt(i) == ' ' || s.charAt(i) == ',')) i++;
            int nameStart = i;
            while (i < n && s.charAt(i) != '=' && s.charAt(i) != ' ' && s.charAt(i) != ',') i++;
            String name = s.substring(nameStart, i).toLowerCase(java.util.Locale.ROOT);
            if (i >= n || s.charAt(i) != '=') {
                if (!name.isEmpty()) break; // a bare token: the next challenge's scheme begins
                continue;
            }
            i++;
            StringBuilder value = new StringBuilder();
            if (i < n && s.charAt(i) == '"') {
                i++;
                while (i < n && s.charAt(i) != '"') {
                    if (s.charAt(i) == '\\' && i + 1 < n) i++;
                    value.append(s.charAt(i++));
                }
                i++;
            } else {
                while (i < n && s.charAt(i) != ',' && s.charAt(i) != ' ') value.append(s.charAt(i++));
            }
            out.putIfAbsent(name, value.toString());
        }
        return out;
    }
}
