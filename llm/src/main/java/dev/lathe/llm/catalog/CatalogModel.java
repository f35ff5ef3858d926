package dev.lathe.llm.catalog;

import dev.lathe.llm.ModelInfo;
import dev.lathe.llm.Pricing;
import java.util.Optional;

/**
 * One model of a catalog provider. {@code npm} / {@code api} / {@code shape} are the model's own overrides of its
 * provider's package, base URL and API shape ({@code responses} | {@code completions}), when it has them.
 */
public record CatalogModel(String id, String name, int context, int output, Pricing pricing, boolean reasoning, boolean toolCall,
        boolean attachment, Optional<String> npm, Optional<String> api, Optional<String> shape) {

    public ModelInfo info() { return new ModelInfo(id, context, output, pricing); }
}
