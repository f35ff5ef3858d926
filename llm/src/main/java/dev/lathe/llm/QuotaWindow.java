package dev.lathe.llm;

import java.time.Instant;

/**
 * One rate-limit window as the provider reported it on a response: {@code used} of {@code limit} units (tokens,
 * requests, or a plan window's percent of 100) until {@code resetsAt}. {@code name} is one of Lathe's own words
 * ({@code requests}, {@code tokens}, {@code input-tokens}, {@code output-tokens}, a plan window such as {@code 5h}),
 * never text taken from the response.
 */
public record QuotaWindow(String name, long used, long limit, Instant resetsAt) {
    public QuotaWindow {
        if (limit <= 0 || used < 0 || used > limit) throw new IllegalArgumentException("quota " + name + ": " + used + " of " + limit);
    }
}
