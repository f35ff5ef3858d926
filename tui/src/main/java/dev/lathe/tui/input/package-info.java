/**
 * Keyboard input for the TUI: {@link dev.lathe.tui.input.KeyDecoder} turns the raw-mode character stream into
 * {@link dev.lathe.tui.input.KeyEvent}s, {@link dev.lathe.tui.input.Keybindings} maps them to
 * {@link dev.lathe.tui.input.Action}s (configurable through the {@code keybinds} config object),
 * {@link dev.lathe.tui.input.LineEditor} is the multi-line prompt buffer (paste placeholders, completion triggers),
 * {@link dev.lathe.tui.input.EditorView} draws it, {@link dev.lathe.tui.input.History} remembers submitted prompts
 * on disk and {@link dev.lathe.tui.input.Fuzzy} ranks completion and picker candidates.
 *
 * <p>Nothing here touches the terminal: the controller reads characters from JLine, feeds them to the decoder,
 * asks the bindings what a key means, calls the editor, and prints what the view returns. So every class is
 * testable with plain strings. Imports {@code dev.lathe.tui.text}, JLine's {@code org.jline.utils} and Jackson
 * (for the history file) only.
 */
package dev.lathe.tui.input;
