package dev.lathe.core.hooks;

import dev.lathe.core.trust.RunPin;

/**
 * One handler of one matcher group of one event, and the file it came from (for {@code lathe hooks} and {@code /hooks});
 * {@code pin} is what trust approved of the files it runs, checked before each run ({@link RunPin#NONE} for the user's
 * own hooks).
 */
public record Hook(HookEvent event, HookMatcher matcher, HookHandler handler, HookSource source, RunPin pin) {
    /** A hook trust does not pin (the user's own). */
    public Hook(HookEvent event, HookMatcher matcher, HookHandler handler, HookSource source) {
        this(event, matcher, handler, source, RunPin.NONE);
    }
}
