package dev.lathe.core.schedule;

import dev.lathe.core.schedule.CronField.Kind;
import dev.lathe.protocol.api.LatheException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A five-field cron expression ({@code minute hour day-of-month month day-of-week}), as Vixie cron reads it, and the
 * times it fires in a zone. When both day fields are restricted a day matches either (cron's rule); when one is
 * {@code *} the other decides. {@code @hourly}, {@code @daily} ({@code @midnight}), {@code @weekly}, {@code @monthly}
 * and {@code @yearly} ({@code @annually}) stand for their usual expressions.
 *
 * <p>Daylight saving time: a local time that does not exist (the hour skipped in spring) fires once, at the same
 * distance after the change; a local time that comes twice (the hour repeated in autumn) fires once, the first time.
 */
public record CronExpression(String text, CronField minute, CronField hour, CronField dayOfMonth, CronField month, CronField dayOfWeek) {
    private static final Map<String, String> MACROS = Map.of("@hourly", "0 * * * *", "@daily", "0 0 * * *", "@midnight", "0 0 * * *",
            "@weekly", "0 0 * * 0", "@monthly", "0 0 1 * *", "@yearly", "0 0 1 1 *", "@annually", "0 0 1 1 *");
    /** How far ahead {@link #next} looks: beyond every leap-day-on-a-weekday combination cron can name. */
    private static final int HORIZON_YEARS = 30;

    /**
     * @throws LatheException.InvalidInput naming the field at fault, or saying the expression never fires
     */
    public static CronExpression parse(String text) {
        if (text == null || text.isBlank()) throw new LatheException.InvalidInput("the cron expression is empty: expected five fields, e.g. '0 3 * * *'");
        String trimmed = text.strip();
        String expanded = trimmed.startsWith("@") ? MACROS.get(trimmed.toLowerCase(Locale.ROOT)) : trimmed;
        if (expanded == null) {
            throw new LatheException.InvalidInput("unknown cron shorthand '" + Printable.cut(trimmed) + "': expected @hourly, @daily, @weekly, @monthly or @yearly");
        }
        String[] f = expanded.split("\\s+");
        if (f.length != 5) {
            throw new LatheException.InvalidInput("a cron expression has five fields (minute hour day-of-month month day-of-week), '"
                    + Printable.cut(trimmed) + "' has " + f.length);
        }
        var cron = new CronExpression(trimmed, CronField.parse(Kind.MINUTE, f[0], trimmed), CronField.parse(Kind.HOUR, f[1], trimmed),
                CronField.parse(Kind.DAY_OF_MONTH, f[2], trimmed), CronField.parse(Kind.MONTH, f[3], trimmed),
                CronField.parse(Kind.DAY_OF_WEEK, f[4], trimmed));
        if (cron.next(Instant.EPOCH, ZoneId.of("UTC")).isEmpty()) {
            throw new LatheException.InvalidInput("cron field 3 (day of month): '" + Printable.cut(trimmed) + "' names no day that exists in its months: it would never run");
        }
        return cron;
    }

    /** The first time after {@code after} (strictly) this expression fires in {@code zone}; empty when it never does. */
    public Optional<Instant> next(Instant after, ZoneId zone) {
        LocalDateTime t = LocalDateTime.ofInstant(after, zone).withSecond(0).withNano(0).plusMinutes(1);
        // a repeated hour (autumn) may put the local start before `after`: the loop skips what is not later
        LocalDateTime end = t.plusYears(HORIZON_YEARS);
        while (t.isBefore(end)) {
            if (!month.allows(t.getMonthValue())) {
                t = t.withDayOfMonth(1).toLocalDate().plusMonths(1).atStartOfDay();
                continue;
            }
            if (!dayMatches(t.toLocalDate())) {
                t = t.toLocalDate().plusDays(1).atStartOfDay();
                continue;
            }
            if (!hour.allows(t.getHour())) {
                t = t.withMinute(0).plusHours(1);
                continue;
            }
            if (!minute.allows(t.getMinute())) {
                t = t.plusMinutes(1);
                continue;
            }
            Instant at = ZonedDateTime.of(t, zone).toInstant();
            if (at.isAfter(after)) return Optional.of(at);
            t = t.plusMinutes(1);
        }
        return Optional.empty();
    }

    /**
     * The latest time this expression fires after {@code since} (strictly) and no later than {@code now}: the one run a
     * schedule owes when it is looked at, however many of its times passed unseen.
     */
    public Optional<Instant> latestDue(Instant since, Instant now, ZoneId zone) {
        Optional<Instant> latest = Optional.empty();
        Optional<Instant> at = next(since, zone);
        while (at.isPresent() && !at.get().isAfter(now)) {
            latest = at;
            at = next(at.get(), zone);
        }
        return latest;
    }

    private boolean dayMatches(LocalDate date) {
        boolean dom = dayOfMonth.allows(date.getDayOfMonth());
        boolean dow = dayOfWeek.allows(date.getDayOfWeek().getValue() % 7);
        if (dayOfMonth.star() || dayOfWeek.star()) return dom && dow;
        return dom || dow;
    }
}
