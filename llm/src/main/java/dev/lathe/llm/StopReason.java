package dev.lathe.llm;

import java.util.Locale;

/** Why a response ended, normalised across protocols ({@code TOOL_CALLS} whenever client tool calls were requested). */
public enum StopReason {
    STOP, TOOL_CALLS, LENGTH, CONTENT_FILTER, ERROR;

    public String wire() { return name().toLowerCase(Locale.ROOT); }
}
