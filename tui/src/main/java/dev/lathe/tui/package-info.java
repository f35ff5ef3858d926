/**
 * The terminal UI ({@link dev.lathe.tui.TerminalUi}): renders a session inline in the terminal's normal screen and
 * drives it through {@link dev.lathe.protocol.api.LatheApi}; its sub-packages hold input, rendering, the screen model,
 * the views, and the plain console clients for where a terminal UI is not ({@code tui.console}). May import
 * {@code dev.lathe.protocol.*} (and the client module, by DESIGN §2), JLine, commonmark and Jackson (the UI's settings,
 * the prompt history) only — never the core or the server; the app hands it a connected client.
 */
package dev.lathe.tui;
