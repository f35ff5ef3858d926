package dev.lathe.core.report;

import dev.lathe.llm.Pricing;
import dev.lathe.protocol.api.ProjectStats;
import java.util.Optional;
import java.util.function.Function;

/**
 * Tokens Lathe counted but did not bill (issue 71): a model with a price whose messages cost nothing here came from
 * another harness with {@code lathe import} (the import keeps their tokens, not a bill Lathe never sent), so they are
 * shown as "imported (not billed by Lathe)" rather than "$0.0000" or "price unknown".
 */
public final class ImportedTokens {
    private ImportedTokens() {}

    /** {@code stats} with each model share that used tokens, cost nothing and has a price ({@code pricing}) marked not billed. */
    public static ProjectStats marked(ProjectStats stats, Function<String, Optional<Pricing>> pricing) {
        if (stats.models().stream().noneMatch(ImportedTokens::unbilled)) return stats;
        return stats.withModels(stats.models().stream()
                .map(m -> unbilled(m) && pricing.apply(m.model()).filter(ImportedTokens::priced).isPresent() ? m.unbilled() : m)
                .toList());
    }

    private static boolean unbilled(ProjectStats.ModelStats m) { return m.cost() == 0 && m.usage().total() > 0; }

    private static boolean priced(Pricing p) { return p.input() > 0 || p.output() > 0; }
}
