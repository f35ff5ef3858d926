package dev.lathe.protocol.api;

import java.util.List;

/**
 * A folder's trust (DESIGN §14, §18): {@code folder} as recorded (canonical), whether it is {@code trusted} (it or a
 * folder above it), whether the user already {@code answered} for it (so a client asks once), and what it defines that
 * was {@code skipped} because it is not trusted (empty when trusted). A client asks on first open only when something
 * was skipped and nobody answered yet.
 */
public record TrustInfo(String folder, boolean trusted, boolean answered, List<Skipped> skipped) {
    public TrustInfo {
        skipped = List.copyOf(skipped);
    }

    /**
     * One kind of definition skipped in one {@code source} (relative to the project root): {@code kind} is a stable
     * name ({@code provider-base-url}, {@code provider-headers}, {@code substitution}, {@code sandbox-settings},
     * {@code command-shell}; more as extensions arrive), {@code items} names each one, {@code message} is the warning's
     * text after {@code "lathe: untrusted folder: "}.
     */
    public record Skipped(String kind, int count, String source, List<String> items, String message) {
        public Skipped {
            items = List.copyOf(items);
        }
    }
}
