package dev.lathe.core.permission.bash;

/**
 * How a command touches a path: {@code READ} and {@code WRITE} are checked against the {@code read} / {@code edit}
 * rules; {@code PATH} is a path argument of unknown meaning, checked only against {@code external_directory}.
 * {@code LIST} enumerates a folder's names ({@code ls dir}), {@code TREE} every name below it ({@code ls -R},
 * {@code find}, {@code tree}), {@code SEARCH} reads every file below it ({@code grep -r}, {@code rg}): a folder is checked
 * against {@code read} like a file, and a tree or search also against what lies below it; a non-folder operand is a
 * {@code PATH} (listing) or a {@code READ} (search).
 *
 * <p>git's content commands ({@code git diff}, {@code git log -p}, {@code git show}, …): {@code TRACKED} is a path
 * they print — a file, or a name no longer in the work tree (history may hold it), is read; a folder is read together
 * with every file git tracks below it. {@code READ_IF_EXISTS} is an operand that is such a path only when one exists by
 * that name (git's revisions and paths share one argument list). {@code REPOSITORY} is a folder whose tracked files the
 * command may all print, because nothing limits it to paths ({@code git diff}, {@code git show HEAD}); the folder itself
 * is not judged, only the tracked files below it.
 */
public enum Access { READ, WRITE, PATH, LIST, TREE, SEARCH, READ_IF_EXISTS, TRACKED, REPOSITORY }
