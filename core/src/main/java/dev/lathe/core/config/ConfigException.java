package dev.lathe.core.config;

/**
 * A configuration layer is invalid. The message reads {@code <source>:<line>: <key>: <problem>} and never contains a
 * stack trace or a secret value; nothing starts with a half-read configuration.
 */
public final class ConfigException extends RuntimeException {
    public ConfigException(String source, int line, String key, String problem) {
        super(source + (line > 0 ? ":" + line : "") + ": " + (key.isEmpty() ? "" : key + ": ") + problem);
    }
}
