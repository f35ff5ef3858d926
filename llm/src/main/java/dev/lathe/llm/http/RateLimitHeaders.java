package dev.lathe.llm.http;

import dev.lathe.llm.QuotaWindow;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rate-limit windows a response's headers report (DESIGN §28), in three dialects:
 * <ul>
 * <li>Anthropic: {@code anthropic-ratelimit-KIND-{limit,remaining,reset}}, the reset an RFC 3339 instant;</li>
 * <li>OpenAI: {@code x-ratelimit-{limit,remaining,reset}-KIND}, the reset a Go duration ({@code 6m0s}, {@code 20ms})
 * measured from now;</li>
 * <li>a ChatGPT plan through the Codex backend: {@code x-codex-{primary,secondary}-used-percent}, its
 * {@code -window-minutes}, and its reset as {@code -reset-at} (Unix seconds) or {@code -reset-after-seconds}.</li>
 * </ul>
 * The values are a remote server's text: a value that is not a plain number in a sane range (or a reset not within
 * {@link #FURTHEST} of now) drops its window, and no header text is ever carried on — a window's name is one of ours.
 */
public final class RateLimitHeaders {
    /** The kinds both APIs report, in the order windows are listed. */
    private static final List<String> KINDS = List.of("requests", "tokens", "input-tokens", "output-tokens");
    /** A reset further away than this is not believed (a plan's longest window is a week; a month leaves room). */
    static final Duration FURTHEST = Duration.ofDays(31);
    /** Longer than any number or date these headers carry: a longer value is not read at all. */
    private static final int MAX_VALUE = 40;
    private static final Pattern COUNT = Pattern.compile("[0-9]{1,15}");
    private static final Pattern PERCENT = Pattern.compile("[0-9]{1,4}(\\.[0-9]{1,6})?");
    /** A Go duration of hours, minutes, seconds and milliseconds, as OpenAI writes its resets. */
    private static final Pattern GO_DURATION = Pattern.compile("(?:([0-9]{1,6})h)?(?:([0-9]{1,6})m(?!s))?(?:([0-9]{1,9}(?:\\.[0-9]{1,9})?)s)?"
            + "(?:([0-9]{1,9}(?:\\.[0-9]{1,6})?)ms)?");

    private RateLimitHeaders() {}

    /** The windows {@code headers} (keys lower case) report, measured from {@code now}; empty when none is readable. */
    public static List<QuotaWindow> of(Map<String, String> headers, Instant now) {
        List<QuotaWindow> windows = new ArrayList<>();
        for (String kind : KINDS) {
            String anthropic = "anthropic-ratelimit-" + kind + "-";
            window(kind, headers.get(anthropic + "limit"), headers.get(anthropic + "remaining"),
                    value(headers.get(anthropic + "reset")).flatMap(RateLimitHeaders::instant), now).ifPresent(windows::add);
            window(kind, headers.get("x-ratelimit-limit-" + kind), headers.get("x-ratelimit-remaining-" + kind),
                    value(headers.get("x-ratelimit-reset-" + kind)).flatMap(RateLimitHeaders::goDuration).map(now::plus), now)
                    .filter(w -> windows.stream().noneMatch(a -> a.name().equals(w.name()))).ifPresent(windows::add);
        }
        for (String slot : List.of("primary", "secondary")) planWindow(headers, slot, now).ifPresent(windows::add);
        return windows;
    }

    private static Optional<QuotaWindow> window(String name, String limitText, String remainingText, Optional<Instant> resetsAt, Instant now) {
        Optional<Long> limit = value(limitText).filter(v -> COUNT.matcher(v).matches()).map(Long::parseLong);
        Optional<Long> remaining = value(remainingText).filter(v -> COUNT.matcher(v).matches()).map(Long::parseLong);
        if (limit.isEmpty() || remaining.isEmpty() || resetsAt.isEmpty() || limit.get() == 0 || remaining.get() > limit.get()) return Optional.empty();
        if (!sane(resetsAt.get(), now)) return Optional.empty();
        return Optional.of(new QuotaWindow(name, limit.get() - remaining.get(), limit.get(), resetsAt.get()));
    }

    /** A plan window: its percent used of 100, named by its length ({@code 5h}, {@code 7d}) or else by its slot. */
    private static Optional<QuotaWindow> planWindow(Map<String, String> headers, String slot, Instant now) {
        String prefix = "x-codex-" + slot + "-";
        Optional<Double> percent = value(headers.get(prefix + "used-percent")).filter(v -> PERCENT.matcher(v).matches()).map(Double::parseDouble);
        Optional<Instant> resetsAt = value(headers.get(prefix + "reset-at")).filter(v -> COUNT.matcher(v).matches())
                .map(s -> Instant.ofEpochSecond(Long.parseLong(s)))
                .or(() -> value(headers.get(prefix + "reset-after-seconds")).filter(v -> COUNT.matcher(v).matches())
                        .map(s -> now.plusSeconds(Long.parseLong(s))));
        if (percent.isEmpty() || resetsAt.isEmpty() || !sane(resetsAt.get(), now)) return Optional.empty();
        Optional<Long> minutes = value(headers.get(prefix + "window-minutes")).filter(v -> COUNT.matcher(v).matches()).map(Long::parseLong)
                .filter(m -> m > 0 && m <= FURTHEST.toMinutes());
        String name = minutes.map(RateLimitHeaders::windowName).orElse(slot);
        // a plan past its limit may report more than 100: it is all used
        return Optional.of(new QuotaWindow(name, Math.min(100, Math.round(percent.get())), 100, resetsAt.get()));
    }

    /** {@code 300} → {@code 5h}, {@code 10080} → {@code 7d}, {@code 90} → {@code 90m}. */
    static String windowName(long minutes) {
        if (minutes % (24 * 60) == 0) return minutes / (24 * 60) + "d";
        if (minutes % 60 == 0) return minutes / 60 + "h";
        return minutes + "m";
    }

    /** Within a minute before now (a clock a little behind the server's) and {@link #FURTHEST} after it. */
    private static boolean sane(Instant resetsAt, Instant now) {
        return !resetsAt.isBefore(now.minusSeconds(60)) && !resetsAt.isAfter(now.plus(FURTHEST));
    }

    private static Optional<String> value(String raw) {
        return raw == null || raw.length() > MAX_VALUE ? Optional.empty() : Optional.of(raw.strip());
    }

    /** An RFC 3339 date-time with its offset, as Anthropic writes its resets. */
    private static Optional<Instant> instant(String value) {
        try {
            return Optional.of(OffsetDateTime.parse(value).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** {@code 6m0s}, {@code 1h2m3.5s}, {@code 20ms}, {@code 0.5s}; nothing else (not empty, no sign, no other unit). */
    static Optional<Duration> goDuration(String value) {
        Matcher m = GO_DURATION.matcher(value);
        if (value.isEmpty() || !m.matches()) return Optional.empty();
        double seconds = 0;
        if (m.group(1) != null) seconds += Long.parseLong(m.group(1)) * 3600.0;
        if (m.group(2) != null) seconds += Long.parseLong(m.group(2)) * 60.0;
        if (m.group(3) != null) seconds += Double.parseDouble(m.group(3));
        if (m.group(4) != null) seconds += Double.parseDouble(m.group(4)) / 1000;
        return Optional.of(Duration.ofMillis(Math.round(seconds * 1000)));
    }
}
