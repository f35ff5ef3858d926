/**
 * How {@code edit} finds the text to replace (DESIGN §9): an exact match first, then tolerant matchers in order
 * (trimmed lines, block anchors with similarity, whitespace-normalised, indentation-flexible, escape-normalised,
 * trimmed boundary, context-aware), tried by {@link dev.lathe.tools.builtin.edit.MatcherChain}; the first that finds
 * exactly one place wins. Pure text in, positions out. Imports nothing internal.
 */
package dev.lathe.tools.builtin.edit;
