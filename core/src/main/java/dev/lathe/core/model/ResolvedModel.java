package dev.lathe.core.model;

import dev.lathe.llm.ModelInfo;
import dev.lathe.llm.Protocol;
import dev.lathe.llm.Provider;

/** Everything needed to call one model. {@code ref} is {@code provider/model} as the user wrote it. */
public record ResolvedModel(String ref, Provider provider, ModelInfo model, Protocol protocol) {}
