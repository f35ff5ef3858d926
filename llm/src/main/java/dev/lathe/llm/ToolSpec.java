package dev.lathe.llm;

/** A tool offered to the model; {@code parametersSchema} is a JSON Schema object, serialised deterministically. */
public record ToolSpec(String name, String description, String parametersSchema) {}
