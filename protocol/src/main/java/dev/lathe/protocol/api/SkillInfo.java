package dev.lathe.protocol.api;

/** A skill the model of a folder's sessions can load with the {@code skill} tool; {@code path} is its {@code SKILL.md}. */
public record SkillInfo(String name, String description, String path) {}
