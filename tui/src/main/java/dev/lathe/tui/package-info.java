/**
 * The terminal UI ({@link dev.lathe.tui.TerminalUi}): renders a session inline in the terminal's normal screen and
 * drives it through {@link dev.lathe.protocol.api.LatheApi}; its sub-packages hold input, rendering, the screen model
 * and the views. The console clients for where a terminal UI is not ({@code lathe run}, a pipe) are the {@code run}
 * module's, beside this one. May import {@code dev.lathe.protocol.*}, {@code dev.lathe.term} (what it shows as the
 * console clients do; and the client module, by DESIGN §2), JLine, commonmark and Jackson (the UI's settings, the
 * prompt history) only — never the core, the server or {@code run}; the app hands it a connected client.
 */
package dev.lathe.tui;
