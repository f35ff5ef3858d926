package dev.lathe.protocol.api;

import java.util.List;

/**
 * Answer of {@code GET /memory} (DESIGN §27, {@code /memory} in the terminal UI): the instruction files of a folder that
 * reach the model with every request, in the order they are sent, each with why ({@code files}: Lathe's
 * {@code AGENTS.md}, Claude Code's memory files and their imports); the rules that join after a read or an edit of a
 * file they match ({@code scoped}, {@code why} naming the globs); and what was named but not read ({@code problems}, one
 * line each: the file and line, and the reason). Files are named as the tools take paths, or under {@code ~/}.
 */
public record MemoryListing(List<Entry> files, List<Entry> scoped, List<String> problems) {
    public MemoryListing {
        files = List.copyOf(files);
        scoped = List.copyOf(scoped);
        problems = List.copyOf(problems);
    }

    /** One file and why it is there. */
    public record Entry(String file, String why) {}
}
