package dev.lathe.core.budget;

import dev.lathe.core.config.Config;
import dev.lathe.core.context.ContextBudget;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The budget as the model reads it (decision 119), from the {@code budget} tool or the note a turn adds to its prompt:
 * how full the context is against the compaction point (DESIGN §18: {@code context − min(context/10, 8,000) −
 * min(output, 32,000)} prompt tokens), and each scope's spend against its limits.
 *
 * @param contextUsed prompt tokens of the session's last request (0 before the first, or right after a compaction)
 * @param priced      whether the model answering has a price: an unpriced model's spend is $0, its tokens still count
 */
public record BudgetReport(long contextUsed, ContextBudget context, List<Budgets.Standing> standings, boolean priced) {
    public BudgetReport {
        standings = List.copyOf(standings);
    }

    /**
     * The environment note's line on the spend limits configured, e.g. {@code Spend limits: this session $5.00, today
     * $20.00 (...)}; empty when none is (the note stays as it was).
     */
    public static java.util.Optional<String> limitsLine(Config.LimitsConfig limits) {
        List<String> caps = new ArrayList<>();
        for (SpendLimit.Scope scope : SpendLimit.Scope.values()) {
            for (SpendLimit.Unit unit : SpendLimit.Unit.values()) {
                long cap = unit.of(scope.of(limits));
                if (cap > 0) caps.add(scopeName(scope) + " " + unit.format(cap));
            }
        }
        if (caps.isEmpty()) return java.util.Optional.empty();
        return java.util.Optional.of("Spend limits: " + String.join(", ", caps) + ". Reaching one pauses the session until the user raises it;"
                + " the budget tool reports the spend so far, the context used and the compaction point.");
    }

    /** The whole report (the {@code budget} tool's result). */
    public String text() {
        List<String> lines = new ArrayList<>();
        lines.add(contextLine());
        lines.add("Spend (money from the model's prices; tokens are uncached input, cache writes and output):");
        for (Budgets.Standing s : standings) lines.add("- " + spendLine(s));
        if (!priced) lines.add("The current model has no price: its steps cost $0 here, and only token limits count them.");
        if (standings.stream().anyMatch(s -> s.usdCap() > 0 || s.tokenCap() > 0)) {
            lines.add("When a limit is reached the session pauses and asks the user to raise it or stop.");
        }
        return String.join("\n", lines);
    }

    /** The short form a turn adds to its prompt. */
    public String note() {
        List<String> parts = new ArrayList<>();
        for (Budgets.Standing s : standings) if (s.usdCap() > 0 || s.tokenCap() > 0) parts.add(spendLine(s));
        // the budget tool is offered only where a limit is configured (AgentTools)
        String spend = parts.isEmpty() ? "" : " Spend: " + String.join("; ", parts) + ". The budget tool gives the current figures.";
        return "<budget>\n" + contextLine() + spend + "\n</budget>";
    }

    private String contextLine() {
        if (!context.known()) return "Context: " + count(contextUsed) + " tokens in the last request; this model's context size is unknown.";
        long limit = Math.max(1, context.promptLimit());
        return "Context: " + count(contextUsed) + " tokens in the last request, " + (contextUsed * 100 / limit) + "% of the "
                + count(limit) + " at which the conversation is compacted (summarised); the model's window is " + count(context.contextLimit()) + ".";
    }

    private static String spendLine(Budgets.Standing s) {
        return scopeName(s.scope()) + ": " + against(s, SpendLimit.Unit.USD) + ", " + against(s, SpendLimit.Unit.TOKENS);
    }

    private static String scopeName(SpendLimit.Scope scope) {
        return switch (scope) {
            case SESSION -> "this session (with its subagents)";
            case DAY -> "today (every project)";
            case PROJECT -> "this project";
        };
    }

    private static String against(Budgets.Standing s, SpendLimit.Unit unit) {
        long spent = unit.of(s.spent());
        long cap = s.cap(unit);
        if (cap == 0) return unit.format(spent);
        if (cap == Long.MAX_VALUE) return unit.format(spent) + " (limit lifted for this session)";
        return unit.format(spent) + " of " + unit.format(cap) + " (" + new SpendLimit(s.scope(), unit).configKey() + ")";
    }

    private static String count(long n) { return String.format(Locale.ROOT, "%,d", n); }
}
