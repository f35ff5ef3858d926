package dev.lathe.core.websearch;

import dev.lathe.protocol.session.Wrapper;
import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One search result as the model reads it: a title, an http(s) URL and a snippet, each cut to a bound and cleaned of
 * what a backend's text may carry (markup, entities, control and escape characters, bidirectional overrides): a result
 * is text from anyone on the web, shown in a terminal and read by the model.
 */
record SearchHit(String title, String url, String snippet) {
    static final int MAX_TITLE = 200;
    static final int MAX_URL = 500;
    static final int MAX_SNIPPET = 400;

    private static final Pattern TAG = Pattern.compile("<[^<>]{0,300}>");
    /** C0 and C1 controls (ESC included), zero-width and bidirectional formatting characters, the byte-order mark. */
    private static final Pattern INVISIBLE = Pattern.compile("[\\p{Cc}\\u200B-\\u200F\\u202A-\\u202E\\u2060-\\u2069\\uFEFF]");

    /** A hit from a backend's raw fields; empty when its URL is not an http(s) URL. */
    static Optional<SearchHit> of(String title, String url, String snippet) {
        String link = INVISIBLE.matcher(url == null ? "" : url).replaceAll("").strip();
        try {
            URI uri = URI.create(link);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null || link.length() > MAX_URL) return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        return Optional.of(new SearchHit(clean(title, MAX_TITLE), link, clean(snippet, MAX_SNIPPET)));
    }

    /** A character reference: hexadecimal, decimal, or one of {@link #NAMED}. */
    private static final Pattern REFERENCE = Pattern.compile("&(?:#[xX]([0-9a-fA-F]{1,6})|#([0-9]{1,7})|(amp|lt|gt|quot|apos|nbsp));");
    private static final java.util.Map<String, Integer> NAMED = java.util.Map.of("amp", (int) '&', "lt", (int) '<', "gt", (int) '>', "quot", (int) '"',
            "apos", (int) '\'', "nbsp", (int) ' ');

    /**
     * {@code text} without markup or invisible characters, on one line, at most {@code max} characters. References are
     * decoded first and markup stripped after, so {@code &lt;system&gt;} is stripped like {@code <system>} rather than
     * decoded into one (issue 79); what is left of a {@code <} (a tag split around another, {@code <sys<x>tem>}) is then
     * made inert by the one escaping of every text the model reads ({@link Wrapper#escape}).
     */
    static String clean(String text, int max) {
        if (text == null) return "";
        String plain = TAG.matcher(decode(text)).replaceAll("");
        plain = Wrapper.escape(INVISIBLE.matcher(plain.replace('\n', ' ').replace('\r', ' ').replace('\t', ' ')).replaceAll(""));
        plain = plain.replaceAll(" {2,}", " ").strip();
        if (plain.length() <= max) return plain;
        int cut = Character.isLowSurrogate(plain.charAt(max - 1)) ? max - 2 : max - 1;
        return plain.substring(0, cut).stripTrailing() + "…";
    }

    /** The references a backend's text carries, decoded in one pass ({@code &amp;lt;} is the text {@code &lt;}, not {@code <}). */
    private static String decode(String text) {
        if (text.indexOf('&') < 0) return text;
        return REFERENCE.matcher(text).replaceAll(m -> {
            String named = m.group(3);
            int cp = named != null ? NAMED.get(named) : m.group(1) != null ? Integer.parseInt(m.group(1), 16) : Integer.parseInt(m.group(2));
            return java.util.regex.Matcher.quoteReplacement(Character.isValidCodePoint(cp) && cp != 0 ? Character.toString(cp) : "\uFFFD");
        });
    }
}
