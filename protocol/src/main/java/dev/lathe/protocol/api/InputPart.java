package dev.lathe.protocol.api;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/** A piece of a prompt as a client sends it. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = InputPart.Text.class, name = "text"),
        @JsonSubTypes.Type(value = InputPart.File.class, name = "file")})
public sealed interface InputPart {
    /**
     * Text of the prompt. {@code synthetic} text is Lathe's own (a built-in command's instructions): the model reads it,
     * clients do not show it as the user's words, and it never names the session. Only the server sets it: it is not
     * part of the wire form, so no client can hide words in a prompt.
     */
    record Text(String text, @JsonIgnore boolean synthetic) implements InputPart {
        public Text(String text) {
            this(text, false);
        }

        /** Lathe's own text in a prompt, which clients do not show. */
        public static Text ofLathe(String text) { return new Text(text, true); }
    }

    /** {@code url} is a {@code file:} or {@code data:} URL. */
    record File(String mime, String name, String url) implements InputPart {}
}
