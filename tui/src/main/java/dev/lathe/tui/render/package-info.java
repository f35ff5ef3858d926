/**
 * Turns what the assistant writes into styled terminal lines: {@link dev.lathe.tui.render.MarkdownView} (CommonMark +
 * GFM tables), {@link dev.lathe.tui.render.CodeHighlighter} (a small lexical highlighter, data-driven per
 * {@link dev.lathe.tui.render.Language}), {@link dev.lathe.tui.render.DiffView} (unified diffs from the edit tools) and
 * {@link dev.lathe.tui.render.StreamingSplit} (which prefix of a streamed answer is safe to commit to scrollback).
 *
 * <p>Every renderer returns lines no wider than the width it was given, styled only through
 * {@link dev.lathe.tui.text.Theme} roles. Imports JLine, commonmark and {@code dev.lathe.tui.text} only.
 */
package dev.lathe.tui.render;
