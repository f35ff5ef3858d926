package dev.lathe.core.session;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Finds what must never be in system block A (DESIGN §7): absolute paths, dates, and this machine's user name and home
 * folder. Anything of the kind would make block A differ between users, projects or days and break the shared cache.
 */
final class PromptLeaks {
    private static final List<Pattern> PATTERNS = List.of(
            // an absolute Unix path: a slash at the start of a word followed by a folder name and another slash
            Pattern.compile("(?:^|[\\s`'\"(=:])/[\\w.-]+/"),
            Pattern.compile("~/"),
            // a Windows drive path
            Pattern.compile("\\b[A-Za-z]:[\\\\/]"),
            // dates: ISO, numeric day/month/year, and bare years
            Pattern.compile("\\b\\d{4}-\\d{2}-\\d{2}\\b"),
            Pattern.compile("\\b\\d{1,2}[/.]\\d{1,2}[/.]\\d{2,4}\\b"),
            Pattern.compile("\\b(?:19|20)\\d{2}\\b"));

    /** Account names that are ordinary English words a prompt legitimately uses; they name no person. */
    private static final List<String> GENERIC_ACCOUNTS = List.of("user");

    private PromptLeaks() {}

    /** What in {@code text} is a path, a date, {@code userName} or {@code userHome}; empty when clean. */
    static List<String> find(String text, String userName, String userHome) {
        List<String> found = new ArrayList<>();
        for (Pattern p : PATTERNS) {
            var m = p.matcher(text);
            while (m.find()) found.add(m.group().strip());
        }
        if (!userHome.isBlank() && text.contains(userHome)) found.add(userHome);
        if (!userName.isBlank() && !GENERIC_ACCOUNTS.contains(userName.toLowerCase(java.util.Locale.ROOT))
                && Pattern.compile("\\b" + Pattern.quote(userName) + "\\b", Pattern.CASE_INSENSITIVE).matcher(text).find()) {
            found.add(userName);
        }
        return found;
    }

    /** {@link #find} against the user running the tests. */
    static List<String> find(String text) {
        return find(text, System.getProperty("user.name"), System.getProperty("user.home"));
    }
}
