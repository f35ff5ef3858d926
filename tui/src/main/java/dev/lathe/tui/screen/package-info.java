/**
 * Drawing on the terminal's normal screen: {@link dev.lathe.tui.screen.InlineScreen} keeps a live region at the
 * bottom that it redraws line by line (only what changed, inside synchronized output) and commits finished lines
 * above it, where they become ordinary scrollback. {@link dev.lathe.tui.screen.Surface} is the byte sink with a size
 * (the real terminal, or a virtual one in tests). Imports JLine's text types only.
 */
package dev.lathe.tui.screen;
