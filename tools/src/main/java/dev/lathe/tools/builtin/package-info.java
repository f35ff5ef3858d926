/**
 * The built-in tools (DESIGN §9), listed by {@link dev.lathe.tools.builtin.Builtins}: read, write, edit, apply_patch,
 * bash with bash_output and bash_kill for background processes, grep, glob, list, webfetch, todo and todoread,
 * question, task and skill. Each is one class with an {@code Args} record, a hand-written schema, a description in
 * {@code <name>.md} beside it, and the declarations of the SPI (effects, permission source, truncation end); the
 * built-ins check their permissions themselves. Also what they share: the process groups, background processes and
 * child environment of commands and the watchdog that holds them to a process limit, git hardening, how text files are
 * read and written (encoding detection, byte-exact splicing, atomic replacement, bounded line reading, the per-session
 * record of what the model read), ignore rules and search (ripgrep or a Java walk with RE2/J); {@link
 * dev.lathe.tools.builtin.ProjectSearch} lends that search to the core's file routes. Imports {@code dev.lathe.tools},
 * its {@code edit} and {@code patch} sub-packages, protocol, llm's {@code Cancellation}, RE2/J and jsoup.
 */
package dev.lathe.tools.builtin;
