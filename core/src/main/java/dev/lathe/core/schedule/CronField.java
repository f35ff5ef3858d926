package dev.lathe.core.schedule;

import dev.lathe.protocol.api.LatheException;
import java.util.List;
import java.util.Locale;

/**
 * One field of a five-field cron expression (minute, hour, day of month, month, day of week) as the set of values it
 * allows, a bit per value. Reads what Vixie cron and its followers read: {@code *}, numbers, ranges {@code a-b}, steps
 * {@code * /n} and {@code a-b/n} and {@code a/n} (from {@code a} to the field's end), lists joined by commas, and the
 * English three-letter names of months and week days. A bad part is an {@link LatheException.InvalidInput} naming the
 * field, in the user's words.
 *
 * @param bits the allowed values, bit {@code v} for value {@code v}
 * @param star whether the field was written {@code *} (or {@code * /1}): cron's day rule asks it
 */
record CronField(Kind kind, long bits, boolean star) {
    /** What a field counts, its range and names. */
    enum Kind {
        MINUTE("minute", 0, 59, List.of()),
        HOUR("hour", 0, 23, List.of()),
        DAY_OF_MONTH("day of month", 1, 31, List.of()),
        MONTH("month", 1, 12, List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")),
        /** 0 and 7 are both Sunday. */
        DAY_OF_WEEK("day of week", 0, 7, List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"));

        final String label;
        final int min;
        final int max;
        /** The names of the values from {@link #min} on. */
        final List<String> names;

        Kind(String label, int min, int max, List<String> names) {
            this.label = label;
            this.min = min;
            this.max = max;
            this.names = names;
        }
    }

    boolean allows(int value) { return (bits & (1L << value)) != 0; }

    /** {@code text}, the field of {@code kind} in {@code expression}. */
    static CronField parse(Kind kind, String text, String expression) {
        long bits = 0;
        for (String part : text.split(",", -1)) bits |= part(kind, part, expression);
        if (kind == Kind.DAY_OF_WEEK && (bits & (1L << 7)) != 0) bits = (bits | 1L) & ~(1L << 7);
        boolean star = text.equals("*") || text.equals("*/1");
        return new CronField(kind, bits, star);
    }

    private static long part(Kind kind, String part, String expression) {
        if (part.isEmpty()) throw bad(kind, "an empty list item", expression);
        int slash = part.indexOf('/');
        String range = slash < 0 ? part : part.substring(0, slash);
        int step = 1;
        if (slash >= 0) {
            step = number(kind, part.substring(slash + 1), expression, "step");
            if (step < 1) throw bad(kind, "step " + step + " must be at least 1", expression);
        }
        int from;
        int to;
        if (range.equals("*")) {
            from = kind.min;
            to = kind == Kind.DAY_OF_WEEK ? 6 : kind.max;
        } else {
            int dash = range.indexOf('-', 1);
            from = value(kind, dash < 0 ? range : range.substring(0, dash), expression);
            // a/n runs from a to the field's end, as Vixie cron reads it
            to = dash >= 0 ? value(kind, range.substring(dash + 1), expression) : slash >= 0 ? kind.max : from;
            if (to < from) throw bad(kind, "range " + range + " runs backwards", expression);
        }
        long bits = 0;
        for (int v = from; v <= to; v += step) bits |= 1L << v;
        return bits;
    }

    private static int value(Kind kind, String text, String expression) {
        if (!kind.names.isEmpty()) {
            int named = kind.names.indexOf(text.toUpperCase(Locale.ROOT));
            if (named >= 0) return kind.min + named;
        }
        int v = number(kind, text, expression, "value");
        if (v < kind.min || v > kind.max) throw bad(kind, v + " is out of range " + kind.min + "-" + kind.max, expression);
        return v;
    }

    private static int number(Kind kind, String text, String expression, String what) {
        if (text.isEmpty() || text.length() > 4 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            String names = kind.names.isEmpty() ? "" : " or a name (" + kind.names.getFirst() + "…" + kind.names.getLast() + ")";
            throw bad(kind, "'" + Printable.cut(text) + "' is not a " + what + ": expected a number" + names, expression);
        }
        return Integer.parseInt(text);
    }

    static LatheException.InvalidInput bad(Kind kind, String problem, String expression) {
        return new LatheException.InvalidInput("cron field " + (kind.ordinal() + 1) + " (" + kind.label + "): " + problem + " in '"
                + Printable.cut(expression) + "'");
    }
}
