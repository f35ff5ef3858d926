package dev.lathe.core.hooks;

import dev.lathe.core.trust.RunPin;

/**
 * One handler of one matcher group of one event, and the file it came from (for {@code lathe hooks} and {@code /hooks});
 * {@code pin} is what trust approved of the files it runs, checked before each run ({@link RunPin#NONE} for the user's
 * own hooks).
 */
public record Hook(HookEvent event, HookMatcher matcher, HookHandler handler, HookSource source, RunPin pin, OnFailure onFailure) {
    /**
     * What a handler's failure means (Claude Code's {@code onFailure}, DESIGN §26): {@code continue} (the default: a
     * handler that cannot start, times out or exits with a code other than 0 or 2 decides nothing and the action goes on)
     * or {@code block} (such a failure blocks its event's action, as a hook used as policy must).
     */
    public enum OnFailure {
        CONTINUE, BLOCK;

        /** The config value: {@code continue} or {@code block}. */
        public String wire() { return name().toLowerCase(java.util.Locale.ROOT); }
    }

    /** A hook trust does not pin (the user's own). */
    public Hook(HookEvent event, HookMatcher matcher, HookHandler handler, HookSource source) {
        this(event, matcher, handler, source, RunPin.NONE);
    }

    /** A hook that fails open (the default). */
    public Hook(HookEvent event, HookMatcher matcher, HookHandler handler, HookSource source, RunPin pin) {
        this(event, matcher, handler, source, pin, OnFailure.CONTINUE);
    }
}
