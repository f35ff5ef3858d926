/**
 * Drawing on the terminal's normal screen: {@link dev.lathe.tui.screen.InlineScreen} keeps a live region at the
 * bottom that it redraws line by line (only what changed, inside synchronized output) and commits finished lines
 * above it, where they become ordinary scrollback. {@link dev.lathe.tui.screen.Surface} is the byte sink with a size
 * (the real terminal, or a virtual one in tests). Both screens pass every line through
 * {@link dev.lathe.term.VisibleControls}, so escape sequences and bidi overrides in the text are shown, never
 * obeyed; {@link dev.lathe.term.TerminalSafeStream} does the same for text printed as a stream ({@code lathe run}).
 * Imports JLine's text types and {@code term}'s sanitiser only.
 */
package dev.lathe.tui.screen;
