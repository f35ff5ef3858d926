/**
 * An editor's files for a session's tools (DESIGN §18, {@code lathe acp}): which client is attached as the editor of
 * which session and what it offers, the requests waiting for its answer ({@link dev.lathe.core.editor.EditorAttachments}),
 * and the {@code EditorFiles} port a tool call uses ({@link dev.lathe.core.editor.SessionEditorFiles}). Imports
 * protocol, tools (the port), llm's {@code Cancellation} and {@code core.bus}.
 */
package dev.lathe.core.editor;
