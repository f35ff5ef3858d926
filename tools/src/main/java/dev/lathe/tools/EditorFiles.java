package dev.lathe.tools;

import java.nio.file.Path;

/**
 * Port to the user's editor (implemented in core; DESIGN §18, {@code lathe acp}): when an editor attached to the
 * session offers its files, {@code read}, {@code edit}, {@code write} and {@code apply_patch} read the editor's text
 * of a file (its open buffer, saved or not) and hand their writes to it (it updates the buffer and saves the file), so
 * the model works on what the user sees. Callers ask only after the call's permission check passed for that path:
 * a denied path never reaches the editor. Paths are absolute and real (links resolved). Each method blocks the
 * calling virtual thread for a bounded time; neither throws for an editor that is gone or slow — that is an answer.
 */
public interface EditorFiles {
    /** The editor's text of {@code file}. */
    Read read(Path file);

    /** Hands {@code content} (the whole new text of {@code file}) to the editor to put in its buffer and save. */
    Write write(Path file, String content);

    /** What a read got. */
    sealed interface Read {
        /** The editor's text, as it holds it now. */
        record Text(String content) implements Read {}

        /** No editor is attached, or it does not offer reads: read from disk as usual. */
        record NotOffered() implements Read {}

        /** The editor was asked and failed or did not answer in time ({@code why} says which): read from disk, and say so. */
        record Failed(String why) implements Read {}
    }

    /** What a write got. */
    sealed interface Write {
        /** The editor took the text and says it saved it. */
        record Written() implements Write {}

        /** No editor is attached, or it does not offer writes: write to disk as usual. */
        record NotOffered() implements Write {}

        /** The editor was asked and failed or did not answer in time: the change was not made. */
        record Failed(String why) implements Write {}
    }

    /** No editor: every read and write goes to disk. */
    EditorFiles NONE = new EditorFiles() {
        @Override public Read read(Path file) { return new Read.NotOffered(); }

        @Override public Write write(Path file, String content) { return new Write.NotOffered(); }
    };
}
