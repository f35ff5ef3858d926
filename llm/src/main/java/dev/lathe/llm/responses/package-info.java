/**
 * The {@code openai-responses} protocol: OpenAI's Responses API and compatible endpoints (Azure OpenAI v1, xAI, LM
 * Studio's Open Responses). Stateless by design: every request sets {@code store: false} and carries the whole
 * history, with reasoning items sent back as their {@code encrypted_content}. Imports {@code dev.lathe.llm}, its
 * {@code http} package and the strict-schema rewrite of {@code dev.lathe.llm.openai}.
 */
package dev.lathe.llm.responses;
