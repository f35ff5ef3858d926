package dev.lathe.protocol.session;

/**
 * Why a turn ended badly. {@code kind} is one of {@code aborted}, {@code interrupted}, {@code provider},
 * {@code permission_rejected}, {@code internal}, or an LLM error kind such as {@code rate_limited}.
 */
public record MessageError(String kind, String message) {
    public static MessageError aborted() { return new MessageError("aborted", "aborted by the user"); }

    public static MessageError interrupted() { return new MessageError("interrupted", "the server stopped while this message was running"); }
}
