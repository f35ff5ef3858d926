package dev.lathe.core.session.inbox;

import dev.lathe.core.toolcall.SecretMask;
import dev.lathe.protocol.session.Session;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * The title a session created without one gets, which its first prompt replaces ({@link PromptIntake}): kept with
 * the intake that reads it, below {@code Sessions}, which creates sessions with it.
 */
public final class SessionTitles {
    /** How the title of a session created without one starts; its first prompt names it instead. */
    static final String UNTITLED = Session.UNTITLED_PREFIX;

    /** How a title cut short ends. */
    static final String CUT = "...";

    private SessionTitles() {}

    /** The title of a session created now without one: the prefix and the time to the second. */
    public static String untitledNow() { return UNTITLED + LocalDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE_TIME).substring(0, 19); }

    /**
     * {@code title} with the secrets of {@code mask} masked (issue 79: a key pasted into a first prompt became the
     * session's title, listed, announced and exported whole). A title cut short with {@code ...} may end with the start
     * of a secret, which whole-secret masking cannot see: that start is masked too ({@link SecretMask#cutAtEnd}).
     */
    public static String masked(String title, SecretMask mask) {
        if (title == null || mask.isEmpty()) return title;
        if (!title.endsWith(CUT)) return mask.apply(title);
        return mask.cutAtEnd(title.substring(0, title.length() - CUT.length())) + CUT;
    }

    /** Whether {@code title} is the one a session gets when it is created without one (a blank one counts). */
    public static boolean untitled(String title) { return Session.placeholder(title); }
}
