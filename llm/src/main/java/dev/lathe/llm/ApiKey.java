package dev.lathe.llm;

import java.util.Objects;

/**
 * A provider credential. Its {@code toString} never shows the value, so it cannot leak through logs or errors.
 * {@code source} says where it came from, for messages about it (a 401 names it): e.g. {@code the variable
 * ANTHROPIC_API_KEY}, {@code the auth store (lathe auth login anthropic)}; empty when not said. Never the key itself.
 */
public record ApiKey(String value, String source) {
    public ApiKey {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(source, "source");
    }

    public ApiKey(String value) { this(value, ""); }

    @Override public String toString() { return "ApiKey[redacted]"; }
}
