package dev.lathe.core.permission.bash;

/**
 * How a command touches a path: {@code READ} and {@code WRITE} are checked against the {@code read} / {@code edit}
 * rules; {@code PATH} is a path argument of unknown meaning, checked only against {@code external_directory}.
 * {@code LIST} enumerates a folder's names ({@code ls dir}), {@code TREE} every name below it ({@code ls -R},
 * {@code find}, {@code tree}), {@code SEARCH} reads every file below it ({@code grep -r}, {@code rg}): a folder is checked
 * against {@code read} like a file, and a tree or search also against what lies below it; a non-folder operand is a
 * {@code PATH} (listing) or a {@code READ} (search). {@code READ_IF_EXISTS} is an operand that is a file only when
 * one exists by that name (git's revisions and paths share one argument list).
 */
public enum Access { READ, WRITE, PATH, LIST, TREE, SEARCH, READ_IF_EXISTS }
