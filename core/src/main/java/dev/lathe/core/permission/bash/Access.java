package dev.lathe.core.permission.bash;

/**
 * How a command touches a path: {@code READ} and {@code WRITE} are checked against the {@code read} / {@code edit}
 * rules; {@code PATH} is a path argument of unknown meaning, checked only against {@code external_directory}.
 */
public enum Access { READ, WRITE, PATH }
