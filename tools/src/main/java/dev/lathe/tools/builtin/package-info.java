/**
 * The built-in tools (DESIGN §9): read, write, edit, bash, grep, glob, list. Each is one class with an {@code Args}
 * record, a hand-written schema and a description in {@code <name>.md} beside it. {@link
 * dev.lathe.tools.builtin.ProjectSearch} lends their search and ignore rules to the core's file routes. Imports
 * {@code dev.lathe.tools}.
 */
package dev.lathe.tools.builtin;
