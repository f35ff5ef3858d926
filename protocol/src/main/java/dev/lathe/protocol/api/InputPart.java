package dev.lathe.protocol.api;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/** A piece of a prompt as a client sends it. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = InputPart.Text.class, name = "text"),
        @JsonSubTypes.Type(value = InputPart.File.class, name = "file")})
public sealed interface InputPart {
    record Text(String text) implements InputPart {}

    /** {@code url} is a {@code file:} or {@code data:} URL. */
    record File(String mime, String name, String url) implements InputPart {}
}
