package dev.lathe.core.session.inbox;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.regex.Pattern;

/**
 * The title a session created without one gets, which its first prompt replaces ({@link PromptIntake}): kept with
 * the intake that reads it, below {@code Sessions}, which creates sessions with it.
 */
public final class SessionTitles {
    /** How the title of a session created without one starts; its first prompt names it instead. */
    static final String UNTITLED = "New session - ";
    /** An untitled session's whole title: the prefix and the creation time to the second. */
    private static final Pattern UNTITLED_TITLE = Pattern.compile(Pattern.quote(UNTITLED) + "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2})?");

    private SessionTitles() {}

    /** The title of a session created now without one: the prefix and the time to the second. */
    public static String untitledNow() { return UNTITLED + LocalDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE_TIME).substring(0, 19); }

    /** Whether {@code title} is the one a session gets when it is created without one (a blank one counts). */
    public static boolean untitled(String title) { return UNTITLED_TITLE.matcher(title).matches(); }
}
