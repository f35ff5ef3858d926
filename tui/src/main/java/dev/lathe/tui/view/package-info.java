/**
 * What the terminal UI shows of a session: the {@link dev.lathe.tui.view.Transcript} (blocks built from the
 * session's messages and events, and which of them are finished and may go to scrollback) and the views that turn
 * blocks, asks, pickers and the footer into lines of a given width; a tool call is shown from its typed display data,
 * never by its name. Pure functions of their inputs, so they are tested by snapshots at fixed widths. Imports protocol
 * records, JLine text, Jackson (a call's arguments for its one-line summary) and the sibling packages input, render and
 * text.
 */
package dev.lathe.tui.view;
