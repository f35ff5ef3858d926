package dev.lathe.llm.catalog;

import dev.lathe.llm.ModelInfo;
import dev.lathe.llm.Pricing;
import java.util.List;
import java.util.Optional;

/**
 * One model of a catalog provider. {@code npm} / {@code api} / {@code shape} are the model's own overrides of its
 * provider's package, base URL and API shape ({@code responses} | {@code completions}), when it has them.
 * {@code family} groups a line of models ({@code claude-sonnet}, {@code gpt}); {@code releaseDate} is ISO
 * ({@code 2025-09-29}, empty when unknown); {@code outputs} are the output modalities ({@code text}, {@code image},
 * {@code audio}; empty when the catalog does not say); {@code deprecated} is the catalog's {@code status}.
 */
public record CatalogModel(String id, String name, int context, int output, Pricing pricing, boolean reasoning, boolean toolCall,
        boolean attachment, Optional<String> npm, Optional<String> api, Optional<String> shape, Optional<String> family, String releaseDate,
        List<String> outputs, boolean deprecated) {

    /** A model as the catalog describes it, without family, date, modalities or status (tests, hand-made catalogs). */
    public CatalogModel(String id, String name, int context, int output, Pricing pricing, boolean reasoning, boolean toolCall,
            boolean attachment, Optional<String> npm, Optional<String> api, Optional<String> shape) {
        this(id, name, context, output, pricing, reasoning, toolCall, attachment, npm, api, shape, Optional.empty(), "", List.of(), false);
    }

    public ModelInfo info() { return new ModelInfo(id, context, output, pricing); }

    /**
     * Whether an agent can work with it: it calls tools and answers in text only. Embeddings, speech and image
     * models (no tool calls, or audio/image output) are not.
     */
    public boolean isChat() { return toolCall && (outputs.isEmpty() || outputs.equals(List.of("text"))); }
}
