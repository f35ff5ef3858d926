package dev.lathe.app;

import dev.lathe.server.local.LocalCommands;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * The line a client prints on stderr as it starts in a project whose {@code opencode.json} has keys Lathe does not read
 * (issue 42: an OpenCode user got half their configuration without a word; {@code lathe doctor} named the keys, but only
 * there). One line per file, before the session starts, so it stays above the terminal UI in the scrollback.
 */
final class OpenCodeNotice {
    private OpenCodeNotice() {}

    static void print(PrintStream err, Path directory) {
        List<String> skipped;
        try {
            skipped = LocalCommands.of(Backends.env()).openCodeSkipped(directory);
        } catch (RuntimeException e) {
            return; // a file that does not parse is reported where the configuration is loaded
        }
        for (String file : skipped) {
            err.println("lathe: " + file.replaceFirst(": ", " keys Lathe does not read: ")
                    + " (it reads mcp, instructions, agent and command; set the rest in lathe.json)");
        }
    }
}
