package dev.lathe.protocol.api;

/** A project file's content: {@code encoding} is {@code utf-8} for text and {@code base64} for anything else. */
public record FileContent(String path, String encoding, String content, long size) {}
