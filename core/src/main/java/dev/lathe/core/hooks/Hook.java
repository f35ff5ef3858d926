package dev.lathe.core.hooks;

/** One handler of one matcher group of one event, and the file it came from (for {@code lathe hooks} and {@code /hooks}). */
public record Hook(HookEvent event, HookMatcher matcher, HookHandler handler, HookSource source) {}
