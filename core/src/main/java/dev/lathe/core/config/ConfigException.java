package dev.lathe.core.config;

/**
 * A configuration layer is invalid. The message reads {@code <source>:<line>: <key>: <problem>} (a JSON syntax error
 * {@code <source>:<line>:<column>: invalid JSON: …}, as a compiler names a place) and never contains a stack trace or
 * a secret value; nothing starts with a half-read configuration.
 */
public final class ConfigException extends RuntimeException {
    public ConfigException(String source, int line, String key, String problem) {
        this(source, line, 0, key, problem);
    }

    /** {@code column} (1-based) is named after the line when known (above 0). */
    public ConfigException(String source, int line, int column, String key, String problem) {
        super(source + (line > 0 ? ":" + line + (column > 0 ? ":" + column : "") : "") + ": " + (key.isEmpty() ? "" : key + ": ") + problem);
    }
}
