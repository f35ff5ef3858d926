package dev.lathe.llm;

import java.util.Locale;

/** Why a response ended, normalised across protocols ({@code TOOL_CALLS} whenever client tool calls were requested). */
public enum StopReason {
    STOP, TOOL_CALLS, LENGTH, CONTENT_FILTER, ERROR;

    /** The name on the wire, made once: every step compares each of a message's step finishes with one. */
    private final String wire = name().toLowerCase(Locale.ROOT);

    public String wire() { return wire; }
}
