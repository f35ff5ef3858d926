package dev.lathe.tui.input;

import java.util.Locale;
import java.util.Optional;

/**
 * What a key does in the prompt. {@link Keybindings} maps keys to actions; the controller decides what each means
 * in context (for example {@link #MOVE_UP} on the first line goes to history, {@link #EXIT} only quits when the
 * input is empty, and {@link #CYCLE_AGENT} accepts a completion while a completion list is open). Each constant
 * carries its default keys in the {@link Keybindings} spec syntax and a one-line description for help and the README.
 */
public enum Action {
    SUBMIT("enter", "Send the prompt"),
    NEWLINE("shift+enter,alt+enter,ctrl+j", "Insert a line break (shift+enter needs a terminal that reports it)"),
    INTERRUPT("ctrl+c", "Interrupt the running turn"),
    ABORT("escape", "Abort the turn, or close the open popup"),
    EXIT("ctrl+d", "Quit (only when the input is empty)"),
    HISTORY_PREVIOUS("ctrl+p", "Previous prompt from history (up does this on the first line)"),
    HISTORY_NEXT("ctrl+n", "Next prompt from history (down does this on the last line)"),
    CYCLE_AGENT("tab", "Switch to the next primary agent (accepts the completion when one is open; while the agent works, queues the message for after the turn)"),
    CYCLE_AGENT_REVERSE("none", "Switch to the previous primary agent (unbound: shift+tab cycles the permission mode)"),
    CYCLE_MODE("shift+tab", "Cycle the permission mode, as in Claude Code: default, accept edits, plan, auto (where a classifier is configured)"),
    SESSIONS("ctrl+s", "Open the session picker"),
    MODELS("ctrl+t", "Open the model picker"),
    AGENTS("ctrl+g", "Open the agent picker"),
    TOGGLE_DETAILS("ctrl+o", "Open the transcript view: the whole session with full tool output and reasoning"),
    CLEAR_INPUT("ctrl+x", "Clear the whole input"),
    REDRAW("ctrl+l", "Redraw the screen"),
    PAGE_UP("pageup", "Scroll up a page (pickers, completion lists)"),
    PAGE_DOWN("pagedown", "Scroll down a page (pickers, completion lists)"),
    MOVE_LEFT("left,ctrl+b", "Cursor left"),
    MOVE_RIGHT("right,ctrl+f", "Cursor right"),
    MOVE_UP("up", "Cursor up a line; on the first line, previous history entry"),
    MOVE_DOWN("down", "Cursor down a line; on the last line, next history entry"),
    WORD_LEFT("ctrl+left,alt+left,alt+b", "Cursor to the previous word start"),
    WORD_RIGHT("ctrl+right,alt+right,alt+f", "Cursor past the next word end"),
    LINE_START("home,ctrl+a", "Cursor to the start of the line"),
    LINE_END("end,ctrl+e", "Cursor to the end of the line"),
    DELETE_BACKWARD("backspace,shift+backspace", "Delete the character before the cursor"),
    DELETE_FORWARD("delete", "Delete the character under the cursor"),
    DELETE_WORD_BACKWARD("ctrl+w,alt+backspace,ctrl+backspace", "Delete the word before the cursor"),
    DELETE_WORD_FORWARD("alt+d,ctrl+delete", "Delete the word after the cursor"),
    KILL_TO_END("ctrl+k", "Delete to the end of the line"),
    KILL_TO_START("ctrl+u", "Delete to the start of the line");

    private final String defaultKeys;
    private final String description;

    Action(String defaultKeys, String description) {
        this.defaultKeys = defaultKeys;
        this.description = description;
    }

    /** The default binding in spec syntax, e.g. {@code "shift+enter,alt+enter,ctrl+j"}. */
    public String defaultKeys() { return defaultKeys; }

    /** One line for help screens and the README. */
    public String description() { return description; }

    /** The name under the {@code keybinds} config object: {@code historyPrevious} for {@link #HISTORY_PREVIOUS}. */
    public String configKey() {
        String[] words = name().toLowerCase(Locale.ROOT).split("_");
        var key = new StringBuilder(words[0]);
        for (int i = 1; i < words.length; i++) key.append(Character.toUpperCase(words[i].charAt(0))).append(words[i].substring(1));
        return key.toString();
    }

    /** The action whose {@link #configKey()} is {@code key}, exactly (config keys are case-sensitive). */
    public static Optional<Action> fromConfigKey(String key) {
        for (Action a : values()) if (a.configKey().equals(key)) return Optional.of(a);
        return Optional.empty();
    }
}
