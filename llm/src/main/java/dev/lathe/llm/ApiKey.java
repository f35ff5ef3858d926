package dev.lathe.llm;

import java.util.Objects;

/** A provider credential. Its {@code toString} never shows the value, so it cannot leak through logs or errors. */
public record ApiKey(String value) {
    public ApiKey {
        Objects.requireNonNull(value, "value");
    }

    @Override public String toString() { return "ApiKey[redacted]"; }
}
