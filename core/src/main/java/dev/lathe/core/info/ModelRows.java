package dev.lathe.core.info;

import dev.lathe.core.model.KnownModels;
import dev.lathe.llm.Pricing;
import dev.lathe.protocol.api.ModelInfo;
import java.util.Optional;

/** A listed model in its wire form ({@code GET /models}, {@code lathe models}); no price when the catalog gives none. */
public final class ModelRows {
    private ModelRows() {}

    public static ModelInfo of(KnownModels.Listed listed) {
        KnownModels.Entry e = listed.entry();
        Optional<ModelInfo.Price> price = e.pricing().equals(Pricing.UNKNOWN) ? Optional.empty()
                : Optional.of(new ModelInfo.Price(e.pricing().input(), e.pricing().output()));
        return new ModelInfo(e.provider(), e.model(), e.context(), e.output(), e.name(), e.chat(), listed.keySource().wire(), price,
                listed.sessionDefault(), listed.configured(), e.released());
    }
}
