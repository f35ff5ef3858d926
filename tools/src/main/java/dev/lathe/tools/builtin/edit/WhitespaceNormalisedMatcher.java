package dev.lathe.tools.builtin.edit;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Equal once every run of whitespace counts as one: forgives doubled spaces, tabs for spaces and re-wrapped lines.
 * Works on the words of {@code oldString} joined by {@code \s+}, so a match may sit inside a line and its range is
 * exactly the matched text (leading and trailing whitespace of {@code oldString} are not part of it).
 */
public record WhitespaceNormalisedMatcher() implements Matcher {
    @Override public String name() { return "whitespace-normalised"; }

    @Override
    public List<Match> find(String text, String oldString, String newString) {
        String[] words = oldString.strip().split("\\s+");
        if (words.length == 0 || words[0].isEmpty()) return List.of();
        var regex = new StringBuilder();
        for (String w : words) regex.append(regex.isEmpty() ? "" : "\\s+").append(Pattern.quote(w));
        String replacement = Boundary.trimLike(oldString, newString);
        List<Match> out = new ArrayList<>();
        var m = Pattern.compile(regex.toString()).matcher(text);
        while (m.find()) out.add(new Match(m.start(), m.end(), replacement));
        return out;
    }
}
