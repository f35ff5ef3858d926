/**
 * The terminal UI: renders a session inline in the terminal's normal screen and drives it through
 * {@link dev.lathe.protocol.api.LatheApi}. May import {@code dev.lathe.protocol.*}, JLine and commonmark only —
 * never the core or the server; the app hands it a connected client.
 */
package dev.lathe.tui;
