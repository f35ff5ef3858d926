package dev.lathe.llm.http;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The wait a response asks for before the next request: {@code retry-after-ms} (milliseconds, OpenAI and Azure), else
 * {@code retry-after} as seconds or as an HTTP date (RFC 9110 §10.2.3: the IMF-fixdate {@code Sun, 06 Nov 1994 08:49:37
 * GMT}, and the obsolete RFC 850 and asctime forms a recipient must still accept). A date in the past means no wait;
 * a value that is none of these is ignored, and the retry policy's own backoff applies.
 */
public final class RetryAfter {
    private static final DateTimeFormatter RFC_850 = new DateTimeFormatterBuilder().parseCaseInsensitive()
            .appendPattern("EEEE, dd-MMM-").appendValueReduced(ChronoField.YEAR, 2, 2, 1970).appendPattern(" HH:mm:ss 'GMT'")
            .toFormatter(Locale.ENGLISH).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter ASCTIME = new DateTimeFormatterBuilder().parseCaseInsensitive()
            .appendPattern("EEE MMM ppd HH:mm:ss yyyy").toFormatter(Locale.ENGLISH).withZone(ZoneOffset.UTC);
    private static final List<DateTimeFormatter> DATES = List.of(DateTimeFormatter.RFC_1123_DATE_TIME, RFC_850, ASCTIME);

    private RetryAfter() {}

    /** The hint of {@code headers} (keys lower case), measured from {@code now} when it is a date. */
    public static Optional<Duration> of(Map<String, String> headers, Instant now) {
        String ms = headers.get("retry-after-ms");
        if (ms != null) {
            Optional<Double> n = number(ms);
            if (n.isPresent()) return Optional.of(Duration.ofMillis(Math.max(0, n.get().longValue())));
        }
        String value = headers.get("retry-after");
        if (value == null) return Optional.empty();
        Optional<Double> seconds = number(value);
        if (seconds.isPresent()) return Optional.of(Duration.ofMillis(Math.max(0, (long) (seconds.get() * 1000))));
        return date(value.strip()).map(at -> at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO);
    }

    /** {@code value} as an HTTP date in any of its three forms. */
    static Optional<Instant> date(String value) {
        for (DateTimeFormatter format : DATES) {
            try {
                return Optional.of(ZonedDateTime.parse(value, format).toInstant());
            } catch (DateTimeParseException ignored) {
                // the next form
            }
        }
        return Optional.empty();
    }

    private static Optional<Double> number(String value) {
        try {
            double d = Double.parseDouble(value.strip());
            return Double.isFinite(d) ? Optional.of(d) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
