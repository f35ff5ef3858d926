package dev.lathe.app.release;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A release version ({@code 0.2.0}, {@code 1.0.0-rc.1}) and its order, semantic-versioning style: the numbers first,
 * then a pre-release ({@code -rc.1}, {@code -SNAPSHOT}) before the release it leads to; {@code +build} is ignored.
 * The same characters install.sh accepts, so a version read here names the same folder there.
 */
public record ReleaseVersion(String text, List<Long> numbers, List<String> preRelease) implements Comparable<ReleaseVersion> {
    /** What install.sh accepts: a digit first, then digits, letters, dots, plus and minus; at most 64 characters. */
    private static final Pattern SHAPE = Pattern.compile("[0-9][0-9A-Za-z.+-]{0,63}");

    public ReleaseVersion {
        numbers = List.copyOf(numbers);
        preRelease = List.copyOf(preRelease);
    }

    /** {@code text} as a version, empty when it is not one ({@code dev}, {@code ../x}, {@code 1..2}). */
    public static Optional<ReleaseVersion> parse(String text) {
        if (!SHAPE.matcher(text).matches() || text.contains("..")) return Optional.empty();
        String withoutBuild = text.contains("+") ? text.substring(0, text.indexOf('+')) : text;
        int dash = withoutBuild.indexOf('-');
        String core = dash < 0 ? withoutBuild : withoutBuild.substring(0, dash);
        var numbers = new ArrayList<Long>();
        for (String n : core.split("\\.", -1)) {
            if (n.isEmpty() || n.length() > 18 || !n.chars().allMatch(Character::isDigit)) return Optional.empty();
            numbers.add(Long.parseLong(n));
        }
        List<String> pre = dash < 0 ? List.of() : List.of(withoutBuild.substring(dash + 1).split("\\.", -1));
        if (pre.stream().anyMatch(String::isEmpty)) return Optional.empty();
        return Optional.of(new ReleaseVersion(text, numbers, pre));
    }

    public boolean newerThan(ReleaseVersion other) { return compareTo(other) > 0; }

    @Override
    public int compareTo(ReleaseVersion o) {
        for (int i = 0; i < Math.max(numbers.size(), o.numbers.size()); i++) {
            int c = Long.compare(i < numbers.size() ? numbers.get(i) : 0, i < o.numbers.size() ? o.numbers.get(i) : 0);
            if (c != 0) return c;
        }
        // a pre-release comes before its release
        if (preRelease.isEmpty() || o.preRelease.isEmpty()) return Boolean.compare(preRelease.isEmpty(), o.preRelease.isEmpty());
        for (int i = 0; i < Math.min(preRelease.size(), o.preRelease.size()); i++) {
            int c = comparePart(preRelease.get(i), o.preRelease.get(i));
            if (c != 0) return c;
        }
        return Integer.compare(preRelease.size(), o.preRelease.size());
    }

    /** Numeric parts by value and before words; words by their characters. */
    private static int comparePart(String a, String b) {
        boolean an = a.chars().allMatch(Character::isDigit) && a.length() <= 18;
        boolean bn = b.chars().allMatch(Character::isDigit) && b.length() <= 18;
        if (an && bn) return Long.compare(Long.parseLong(a), Long.parseLong(b));
        if (an != bn) return an ? -1 : 1;
        return a.compareTo(b);
    }

    @Override
    public String toString() { return text; }
}
