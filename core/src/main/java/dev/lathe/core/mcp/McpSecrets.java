package dev.lathe.core.mcp;

import dev.lathe.mcp.McpServerSpec;
import dev.lathe.mcp.McpServerStatus;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Keeps what an MCP entry carries as credentials out of what Lathe shows ({@code mcp.status} events, {@code GET /mcp},
 * {@code lathe mcp list}, logs): header values (and each word of one, so {@code Bearer KEY} hides {@code KEY}),
 * environment values, a URL's user info and query values — expanded from {@code ${VAR}} or {@code {env:…}} or
 * written out. A server's error can quote any of them (its stderr, an HTTP library's message); each is replaced by
 * {@value #MASK}. Values shorter than {@value #SHORTEST} characters are left alone: {@code "1"} or {@code "true"} is
 * no secret, and masking it would mangle every message.
 */
public final class McpSecrets {
    static final String MASK = "***";
    static final int SHORTEST = 6;
    /** Variable names that hold credentials, as {@code ConfigMask} judges keys. */
    private static final Pattern SECRET_NAME = Pattern.compile(
            "(?i).*(api[-_]?key|apikey|token|secret|passw(or)?d|auth|credential|cookie|private[-_]?key|access[-_]?key|session[-_]?key).*");

    private final List<String> values;

    private McpSecrets(List<String> values) {
        // the longest first, so a value that contains another is masked whole
        this.values = values.stream().filter(v -> v.length() >= SHORTEST).distinct()
                .sorted(Comparator.comparingInt(String::length).reversed()).toList();
    }

    /** The credentials of {@code spec}. */
    public static McpSecrets of(McpServerSpec spec) {
        List<String> out = new ArrayList<>();
        switch (spec) {
            case McpServerSpec.Local l -> out.addAll(l.env().values());
            case McpServerSpec.Remote r -> {
                for (String v : r.headers().values()) {
                    out.add(v);
                    out.addAll(List.of(v.strip().split("\\s+")));
                }
                out.addAll(urlSecrets(r.url()));
            }
        }
        return new McpSecrets(out);
    }

    /** The credentials of {@code spec} and the values of {@code environment}'s variables named like credentials. */
    public static McpSecrets of(McpServerSpec spec, Map<String, String> environment) {
        List<String> out = new ArrayList<>(of(spec).values);
        environment.forEach((name, value) -> {
            if (SECRET_NAME.matcher(name).matches()) out.add(value);
        });
        return new McpSecrets(out);
    }

    /** {@code text} with every credential replaced by {@value #MASK}. */
    public String scrub(String text) {
        String out = text;
        for (String v : values) out = out.replace(v, MASK);
        return out;
    }

    /** {@code status} with its last error scrubbed. */
    public McpServerStatus scrub(McpServerStatus status) {
        if (status.lastError().isEmpty() || values.isEmpty()) return status;
        return new McpServerStatus(status.name(), status.phase(), status.lastError().map(this::scrub), status.restarts(), status.since());
    }

    /** {@code url} as shown to people: without user info, its query (which may carry a key) as {@code ?…}. */
    public static String shown(URI url) {
        var b = new StringBuilder().append(url.getScheme()).append("://").append(url.getHost() == null ? "" : url.getHost());
        if (url.getPort() >= 0) b.append(':').append(url.getPort());
        if (url.getRawPath() != null) b.append(url.getRawPath());
        if (url.getRawQuery() != null) b.append("?…");
        return b.toString();
    }

    private static List<String> urlSecrets(URI url) {
        List<String> out = new ArrayList<>();
        if (url.getRawUserInfo() != null) {
            out.add(url.getRawUserInfo());
            if (url.getUserInfo() != null) out.addAll(List.of(url.getUserInfo().split(":", 2)));
        }
        if (url.getRawQuery() != null) {
            for (String pair : url.getRawQuery().split("&")) {
                int eq = pair.indexOf('=');
                if (eq >= 0) out.add(pair.substring(eq + 1));
            }
        }
        return out;
    }
}
