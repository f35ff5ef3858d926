/**
 * Resolves {@code provider/model} to an llm {@code Provider}, its {@code ModelInfo} and the wire {@code Protocol},
 * from configuration. Imports llm and core.config.
 */
package dev.lathe.core.model;
