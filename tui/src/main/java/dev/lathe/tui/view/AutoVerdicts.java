package dev.lathe.tui.view;

import dev.lathe.protocol.event.Event;
import dev.lathe.tui.text.Role;
import dev.lathe.tui.text.Theme;
import dev.lathe.tui.text.Wrap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jline.utils.AttributedString;

/**
 * What auto-approval's classifier decided about the calls of one session, by call id, as its {@code permission.auto}
 * events told (DESIGN §31). The event is not stored with the messages (the audit log keeps it), so a transcript shows
 * the decisions it saw arrive: a call decided before the UI attached shows none.
 */
public final class AutoVerdicts {
    /** The decision about a call, if the classifier made one. */
    @FunctionalInterface
    public interface Lookup {
        Optional<Event.PermissionAutoDecided> of(String callId);
    }

    /** For views that know no decisions. */
    public static final Lookup NONE = callId -> Optional.empty();

    /** Calls remembered at most: a day-long session's decisions stay bounded (the oldest are forgotten). */
    private static final int KEPT = 2_000;

    private final Map<String, Event.PermissionAutoDecided> byCall = new LinkedHashMap<>();

    /** The classifier decided {@code e.call()}; a later decision about the same call replaces the earlier one. */
    void decided(Event.PermissionAutoDecided e) {
        byCall.remove(e.call());
        byCall.put(e.call(), e);
        if (byCall.size() > KEPT) byCall.remove(byCall.keySet().iterator().next());
    }

    public Optional<Event.PermissionAutoDecided> of(String callId) { return Optional.ofNullable(byCall.get(callId)); }

    /** What the decision {@code decision} reads as under its call. */
    static String word(String decision) {
        return switch (decision) {
            case "allow" -> "allowed";
            case "deny" -> "denied";
            case "unavailable" -> "unavailable";
            case "ask" -> "handed to you";
            default -> decision;
        };
    }

    /**
     * The lines under a call: {@code auto: allowed — REASON}, one line cut to {@code width}, or with {@code whole} the
     * reason wrapped in full with the classifier, its tokens and its time (the transcript view's, Ctrl+O).
     */
    static List<AttributedString> lines(Theme theme, Event.PermissionAutoDecided e, int width, boolean whole) {
        Role role = switch (e.decision()) {
            case "allow" -> Role.MUTED;
            case "deny", "unavailable" -> Role.WARNING;
            default -> Role.ACCENT;
        };
        // the reason is the classifier's text: no escape sequence or line break of it reaches the terminal
        String reason = printable(e.reason());
        String head = "  auto: " + word(e.decision()) + (reason.isEmpty() ? "" : " — ");
        if (!whole) return List.of(Wrap.truncate(theme.paint(role, head + reason.replace('\n', ' ')), width));
        var out = new ArrayList<AttributedString>(Wrap.lines(theme.paint(role, head + reason), width));
        out.add(theme.paint(Role.MUTED, "    " + printable(e.model()) + " · " + e.tokens() + " tokens · " + e.ms() + " ms"));
        return out;
    }

    /** {@code s} with control characters (escape sequences, carriage returns) dropped; line breaks kept. */
    static String printable(String s) {
        var b = new StringBuilder(s.length());
        s.strip().codePoints().filter(c -> c == '\n' || !Character.isISOControl(c) && Character.getType(c) != Character.FORMAT)
                .forEach(b::appendCodePoint);
        return b.toString();
    }
}
