package dev.lathe.core.commandfile;

import java.nio.file.Path;
import java.util.Optional;

/**
 * One custom command read from {@code file}: its {@code name} (without the slash), the {@code description} clients
 * show, the {@code agent} and {@code model} ({@code provider/model}) its prompt runs with when set, and the
 * {@code template} (the file's body), and whether the project or the user defined it ({@code scope}). A file whose front matter is broken is still a command, with the
 * {@code problem} to report when it is listed or run, so a user sees why it does not work.
 */
public record CommandFile(String name, String description, Optional<String> agent, Optional<String> model, String template, Path file,
        Scope scope, Optional<String> problem) {

    /**
     * Where the file was found: in the project's folders, whose {@code !`cmd`} runs only in a trusted folder, or in the
     * user's own.
     */
    public enum Scope { PROJECT, USER }

    /** Whether config defined it ({@code command.NAME} in {@code opencode.json} or {@code lathe.json}), not a Markdown file. */
    public boolean inConfig() {
        String name = file.getFileName() == null ? "" : file.getFileName().toString();
        return name.endsWith(".json") || name.endsWith(".jsonc");
    }
}
