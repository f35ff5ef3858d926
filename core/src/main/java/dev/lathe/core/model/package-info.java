/**
 * Resolves {@code provider/model} to an llm {@code Provider}, its {@code ModelInfo} and the wire {@code Protocol}
 * ({@link dev.lathe.core.model.ModelResolver}, {@link dev.lathe.core.model.ResolvedModel}), from configuration, the
 * models.dev catalog ({@link dev.lathe.core.model.CatalogSource}: bundled, or the cached fresher copy) and the stored
 * keys, naming the related providers when one is unknown ({@code RelatedProviders}); and lists the models and providers
 * known ({@code lathe models}, {@code GET /models}, {@code GET /providers}).
 * Imports core.config, core.auth, llm and its catalog, http and bedrock (the AWS region) packages.
 */
package dev.lathe.core.model;
