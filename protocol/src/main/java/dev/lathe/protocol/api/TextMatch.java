package dev.lathe.protocol.api;

/** One line matching {@code GET /find/text}: path relative to the project, 1-based line number, the line's text. */
public record TextMatch(String path, int line, String text) {}
