package dev.lathe.protocol.api;

import java.util.List;

/**
 * A folder's trust (DESIGN §14, §18): {@code folder} as recorded (canonical), whether it is {@code trusted} (it or a
 * folder above it), whether the user already {@code answered} for it (so a client asks once), and what it defines that
 * was {@code skipped} because it is not trusted or changed since it was trusted, and the items {@code pending}
 * approval. A client asks on first open when something was skipped and nobody answered yet, and in a trusted folder
 * when something is pending.
 */
public record TrustInfo(String folder, boolean trusted, boolean answered, List<Skipped> skipped, List<Item> pending) {
    public TrustInfo {
        skipped = List.copyOf(skipped);
        pending = pending == null ? List.of() : List.copyOf(pending);
    }

    public TrustInfo(String folder, boolean trusted, boolean answered, List<Skipped> skipped) {
        this(folder, trusted, answered, skipped, List.of());
    }

    /**
     * One thing the folder defines that trust would allow and the user has not approved: {@code status} is
     * {@code new} or {@code changed} (since the folder was trusted), {@code line} the exact text a person reviews
     * ({@code SOURCE KIND NAME: WHAT IT RUNS}), {@code hash} what a client sends back in {@link TrustRequest#approve} to
     * approve exactly this. A client asks again, listing these, when a trusted folder has any
     * (DESIGN §18 "Trust pins what it approved").
     */
    public record Item(String kind, String source, String name, String text, String status, String line, String hash) {
        public Item(String kind, String source, String name, String text, String status, String line) {
            this(kind, source, name, text, status, line, null);
        }
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

        /**
         * The warning after {@code "lathe: "}: {@code untrusted folder: MESSAGE}, or the message alone when it says the
         * items changed since the folder was trusted or are never taken from a project's file.
         */
        public String warning() {
            return message.startsWith(CHANGED) || message.startsWith(NOT_APPLIED) ? message : "untrusted folder: " + message;
        }

        /** Whether this was skipped whatever the folder's trust (a value never taken from a project's file). */
        public boolean never() { return message.startsWith(NOT_APPLIED); }

        /** How the message of items added or changed since trust begins. */
        public static final String CHANGED = "changed since trust: ";
        /** How the message of a value never taken from a project's file begins ({@code bypassPermissions}, DESIGN §27). */
        public static final String NOT_APPLIED = "not applied: ";
    }
}
