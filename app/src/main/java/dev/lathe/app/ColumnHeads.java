package dev.lathe.app;

import java.io.PrintWriter;

/**
 * The header row of a tab-separated listing ({@code lathe import --from}, {@code lathe mcp list}, {@code lathe hooks}):
 * printed for a person, when standard output is a terminal, and left out for a script reading a pipe, whose lines stay
 * one row each (as {@code gh} lists do). Issue 53: these listings had no header, so their columns were guesswork.
 */
final class ColumnHeads {
    private ColumnHeads() {}

    static void print(PrintWriter out, String... columns) {
        if (toTerminal()) out.println(String.join("\t", columns));
    }

    private static boolean toTerminal() {
        var console = System.console();
        return console != null && console.isTerminal();
    }
}
