package dev.lathe.core.trust;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One base URL a managed policy admits for a provider ({@code allowedBaseUrls}, or the catalog's URL by default;
 * decision 558): a model request's base URL is admitted when its scheme, host and port are the entry's and its path is
 * the entry's path or below it (at a {@code /}). So {@code https://api.anthropic.com} admits
 * {@code https://api.anthropic.com/v1}, never {@code https://api.anthropic.com.evil.example} nor
 * {@code https://api.anthropic.com@evil.example}. A catalog URL's {@code ${VAR}} (an AWS region, an Azure resource)
 * stands for one label of a name or one segment of a path; a URL whose host would be all variable admits nothing.
 *
 * @param shown the entry as the administrator (or the catalog) wrote it
 */
public record AdmittedUrl(String shown, Pattern form) {
    private static final Pattern PARTS = Pattern.compile("(?i)(https?)://([^/?#@\\\\]+)(/[^?#]*)?");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{[A-Za-z_][A-Za-z0-9_]*}");

    /** The entry {@code text}, or empty when it is not an http(s) URL with a host that is not all variable. */
    public static Optional<AdmittedUrl> of(String text) {
        Matcher m = PARTS.matcher(text.strip());
        if (!m.matches()) return Optional.empty();
        String scheme = m.group(1).toLowerCase(Locale.ROOT);
        String authority = m.group(2).toLowerCase(Locale.ROOT);
        int colon = authority.lastIndexOf(':');
        boolean ported = colon > 0 && !authority.endsWith("]") && authority.substring(colon + 1).matches("\\d{1,5}");
        String host = ported ? authority.substring(0, colon) : authority;
        String port = ported ? authority.substring(colon + 1) : scheme.equals("https") ? "443" : "80";
        if (host.isEmpty() || !VARIABLE.matcher(host).replaceAll("").contains(".") && VARIABLE.matcher(host).find()) return Optional.empty();
        String path = m.group(3) == null ? "" : m.group(3).replaceAll("/+$", "");
        if (path.contains("/../") || path.endsWith("/..") || path.contains("/./")) return Optional.empty();
        String regex = Pattern.quote(scheme + "://") + literal(host, "[a-z0-9-]+") + Pattern.quote(":" + port) + literal(path, "[^/]+") + "(/.*)?";
        return Optional.of(new AdmittedUrl(text.strip(), Pattern.compile(regex)));
    }

    /** {@code text} quoted, each variable standing for {@code variable}. */
    private static String literal(String text, String variable) {
        var out = new StringBuilder();
        Matcher v = VARIABLE.matcher(text);
        int at = 0;
        while (v.find()) {
            out.append(Pattern.quote(text.substring(at, v.start()))).append(variable);
            at = v.end();
        }
        return out.append(Pattern.quote(text.substring(at))).toString();
    }

    /** Whether {@code target} (a provider's base URL) is this entry or below it. */
    public boolean admits(URI target) {
        return formOf(target).filter(f -> form.matcher(f).matches()).isPresent();
    }

    /** {@code scheme://host:port/path} of {@code target}, its path normalised; empty for one without a host or that climbs. */
    static Optional<String> formOf(URI target) {
        if (target.getHost() == null || target.getScheme() == null) return Optional.empty();
        String scheme = target.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) return Optional.empty();
        String path = target.normalize().getRawPath();
        path = path == null ? "" : path;
        if (path.startsWith("/..") || path.contains("%2e") || path.contains("%2E")) return Optional.empty();
        int port = target.getPort() >= 0 ? target.getPort() : scheme.equals("https") ? 443 : 80;
        return Optional.of(scheme + "://" + target.getHost().toLowerCase(Locale.ROOT) + ":" + port + path.replaceAll("/+$", ""));
    }
}
