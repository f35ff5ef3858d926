package dev.lathe.llm.sse;

/** One server-sent event: its {@code event:} name ({@code message} when absent) and its joined {@code data:} lines. */
public record SseEvent(String event, String data) {}
