package dev.lathe.protocol.api;

/**
 * One effective hook of a folder (DESIGN §14), as {@code lathe hooks} and {@code /hooks} list it: its {@code event}
 * (wire name, {@code PreToolUse}), its {@code matcher} as written (empty: matches everything), its handler's
 * {@code type} ({@code command} or {@code http}) and {@code handler} (the command line or URL), and the {@code source}
 * file it was written in (relative to the project root, or the user's file).
 */
public record HookInfo(String event, String matcher, String type, String handler, String source) {}
