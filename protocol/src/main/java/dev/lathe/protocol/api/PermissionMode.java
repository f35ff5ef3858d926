package dev.lathe.protocol.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * How a prompt's turn answers its permission asks (DESIGN §31, Claude Code's modes, the terminal UI's Shift+Tab cycle):
 * the JSON values are Claude Code's names. A mode adds to the rules for one turn and never removes one: a deny rule
 * denies in every mode, and a rule a file writes (an {@code edit} allow that {@code "defaultMode": "acceptEdits"}
 * became) holds in {@code default} too.
 */
public enum PermissionMode {
    /** Asks go to a person; auto-approval is off even where {@code "defaultMode": "auto"} starts sessions with it. */
    @JsonProperty("default") DEFAULT,
    /** As {@code default}, and an {@code edit} ask is answered as an "always" answer to an edit would: protected paths still ask. */
    @JsonProperty("acceptEdits") ACCEPT_EDITS,
    /** The turn runs as the {@code plan} agent, which reads and plans but does not edit. */
    @JsonProperty("plan") PLAN,
    /** Auto-approval's classifier answers what the rules leave to ask, where {@code permission.auto} names one (as {@code auto: true}). */
    @JsonProperty("auto") AUTO;

    /** The name Claude Code and the JSON use. */
    public String wire() {
        return switch (this) {
            case DEFAULT -> "default";
            case ACCEPT_EDITS -> "acceptEdits";
            case PLAN -> "plan";
            case AUTO -> "auto";
        };
    }
}
