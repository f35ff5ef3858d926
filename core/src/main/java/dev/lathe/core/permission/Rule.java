package dev.lathe.core.permission;

/** {@code permission} is a tool key ({@code bash}, {@code edit}, …) or {@code *} for every key. */
public record Rule(String permission, String pattern, Action action) {}
