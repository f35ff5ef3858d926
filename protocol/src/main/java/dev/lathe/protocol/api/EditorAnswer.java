package dev.lathe.protocol.api;

import java.util.Optional;

/**
 * Body of {@code POST /editor/{requestId}}: the editor's answer to one {@code editor.requested} event — {@code content}
 * (the file's text) for a {@code read}, {@code ok: true} for a {@code write} it saved, or {@code error} saying why it
 * could not (either operation). Exactly one of the three.
 */
public record EditorAnswer(Optional<String> content, Optional<Boolean> ok, Optional<String> error) {
    public static EditorAnswer text(String content) { return new EditorAnswer(Optional.of(content), Optional.empty(), Optional.empty()); }

    public static EditorAnswer saved() { return new EditorAnswer(Optional.empty(), Optional.of(true), Optional.empty()); }

    public static EditorAnswer failed(String why) { return new EditorAnswer(Optional.empty(), Optional.empty(), Optional.of(why)); }
}
