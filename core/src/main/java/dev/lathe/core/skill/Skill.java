package dev.lathe.core.skill;

import java.nio.file.Path;

/**
 * One skill: {@code name} as the model and permission rules use it, a one-paragraph {@code description} (whitespace
 * collapsed) that tells the model when to load it, and its {@code SKILL.md} file. The folder holding the file may hold
 * other files the instructions refer to.
 */
public record Skill(String name, String description, Path file) {
    public Path folder() { return file.getParent(); }
}
