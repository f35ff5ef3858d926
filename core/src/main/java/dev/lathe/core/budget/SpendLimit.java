package dev.lathe.core.budget;

import dev.lathe.core.config.Config;
import dev.lathe.core.store.SpendStore;

/** One limit a config can set: a scope ({@code limits.session}) in a unit ({@code usd}). */
public record SpendLimit(Scope scope, Unit unit) {
    /** What a limit counts. */
    public enum Scope {
        /** A session and the subagent sessions below it. */
        SESSION("session"),
        /** Every session of every project, since local midnight. */
        DAY("day"),
        /** Every session of the project folder, ever. */
        PROJECT("project");

        private final String key;

        Scope(String key) { this.key = key; }

        /** The config key under {@code limits}. */
        public String key() { return key; }

        /** This scope's cap in {@code limits}. */
        Config.SpendCap of(Config.LimitsConfig limits) {
            return switch (this) {
                case SESSION -> limits.session();
                case DAY -> limits.day();
                case PROJECT -> limits.project();
            };
        }
    }

    /** Money in micro-dollars, or tokens. */
    public enum Unit {
        USD("usd"),
        TOKENS("tokens");

        private final String key;

        Unit(String key) { this.key = key; }

        public String key() { return key; }

        /** {@code cap} in this unit; 0 when not capped. */
        long of(Config.SpendCap cap) { return this == USD ? cap.microDollars() : cap.tokens(); }

        /** {@code spent} in this unit. */
        long of(SpendStore.Spent spent) { return this == USD ? spent.microDollars() : spent.tokens(); }

        /** {@code amount} of this unit for people: {@code $5.02}, {@code 1,200,000 tokens}. */
        public String format(long amount) {
            return this == USD ? usd(amount) : String.format(java.util.Locale.ROOT, "%,d tokens", amount);
        }
    }

    /** The config key, e.g. {@code limits.session.usd}. */
    public String configKey() { return "limits." + scope.key() + "." + unit.key(); }

    /** Micro-dollars as dollars and cents; below a dollar to a hundredth of a cent ({@code $0.0042}), where cents would hide it. */
    public static String usd(long microDollars) {
        if (Math.abs(microDollars) < 1_000_000 && microDollars % 10_000 != 0) return String.format(java.util.Locale.ROOT, "$%.4f", microDollars / 1e6);
        return String.format(java.util.Locale.ROOT, "$%,.2f", microDollars / 1e6);
    }
}
