package dev.lathe.app;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Command-line durations: a number with {@code ms}, {@code s}, {@code m} or {@code h} ({@code 90s}, {@code 10m}); a bare {@code 0} is zero. */
final class DurationConverter implements ITypeConverter<Duration> {
    private static final Pattern FORM = Pattern.compile("(\\d+)(ms|s|m|h)");

    @Override
    public Duration convert(String value) {
        String v = value.strip().toLowerCase(Locale.ROOT);
        if (v.equals("0")) return Duration.ZERO;
        var m = FORM.matcher(v);
        if (!m.matches()) throw new TypeConversionException("'" + value + "' is not a duration like 90s, 10m or 2h (0 = never)");
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
    }

    /** The shortest exact form: {@code 30m}, {@code 90s}, {@code 1500ms}. */
    static String format(Duration d) {
        if (d.toMillis() % 3_600_000 == 0 && d.toHours() > 0) return d.toHours() + "h";
        if (d.toMillis() % 60_000 == 0 && d.toMinutes() > 0) return d.toMinutes() + "m";
        if (d.toMillis() % 1_000 == 0) return d.toSeconds() + "s";
        return d.toMillis() + "ms";
    }
}
