/**
 * The {@code anthropic-messages} protocol: Anthropic's Messages API and compatible endpoints. A pure encoder with
 * prompt-cache breakpoints, a pure per-stream decoder, and the adapter. Imports {@code dev.lathe.llm} and its
 * {@code http} package.
 */
package dev.lathe.llm.anthropic;
