package dev.lathe.tui.input;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.function.Function;

/** Subsequence matching for completion and pickers. */
public final class Fuzzy {
    private Fuzzy() {}

    public static OptionalInt score(String query, String candidate) {
        String q = query.toLowerCase(Locale.ROOT);
        String c = candidate.toLowerCase(Locale.ROOT);
        int score = 0;
        int at = 0;
        int last = -2;
        for (int i = 0; i < q.length(); i++) {
            int found = c.indexOf(q.charAt(i), at);
            if (found < 0) return OptionalInt.empty();
            score += found == last + 1 ? 5 : 1;
            if (found == 0 || "/-_ .".indexOf(c.charAt(found - 1)) >= 0) score += 3;
            last = found;
            at = found + 1;
        }
        return OptionalInt.of(score * 100 - c.length());
    }

    public static <T> List<T> rank(String query, List<T> items, Function<T, String> key) {
        record Scored<T>(T item, int score, int index) {}
        var scored = new ArrayList<Scored<T>>();
        for (int i = 0; i < items.size(); i++) {
            OptionalInt s = score(query, key.apply(items.get(i)));
            if (s.isPresent()) scored.add(new Scored<>(items.get(i), s.getAsInt(), i));
        }
        scored.sort(Comparator.comparingInt((Scored<T> s) -> -s.score()).thenComparingInt(Scored::index));
        return scored.stream().map(Scored::item).toList();
    }
}
