package dev.lathe.tools;

import java.nio.file.Path;

/**
 * Port to the project's skills (implemented in core, which finds the {@code SKILL.md} folders and lists them in the
 * system prompt). {@link #load} reads one now; it never asks permission (the {@code skill} tool does).
 */
@FunctionalInterface
public interface Skills {
    /**
     * The skill called {@code name}. @throws ToolFailure when there is none (naming those there are) or its file cannot
     * be read, with a message for the model
     */
    Loaded load(String name);

    /** A skill's instructions ({@code body}) and the folder the files they mention are in. */
    record Loaded(String name, String body, Path folder) {}

    /** No skills (tests, contexts without a project). */
    Skills NONE = name -> {
        throw new ToolFailure("There is no skill named '" + name + "': this project has no skills.");
    };
}
