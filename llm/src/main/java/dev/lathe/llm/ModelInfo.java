package dev.lathe.llm;

/** What Lathe needs to know about one model: its id at the provider and its context and output token limits. */
public record ModelInfo(String id, int context, int output) {}
