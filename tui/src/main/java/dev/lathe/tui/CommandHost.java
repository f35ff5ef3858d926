package dev.lathe.tui;

import dev.lathe.protocol.api.LatheApi;
import dev.lathe.tui.text.Theme;
import java.util.List;
import org.jline.utils.AttributedString;

/**
 * What a slash command of the terminal UI needs from it, and no more: the server's client, the folder, the theme, the
 * transcript's notices, and the UI thread for a follow-up once work off that thread ended. A command given this
 * cannot reach the loop's state, so what it changes is said here.
 */
interface CommandHost {
    /** The client of the server now (it changes when the server is reached again). */
    LatheApi api();

    /** The folder the UI was opened in. */
    String directory();

    Theme theme();

    /** A line in the transcript, after an empty one. */
    void notice(String text);

    /** Lines in the transcript, after an empty one. */
    void notice(List<AttributedString> lines);

    /** A failure in the transcript, marked as one. */
    void error(String text);

    /** Runs {@code followUp} on the UI thread, from a thread that did work off it (a request that takes a while). */
    void later(Runnable followUp);
}
