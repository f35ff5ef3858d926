package dev.lathe.protocol.api;

/** What a rewind ({@code POST /sessions/{id}/rewind}, DESIGN §18 "Rewind") puts back. The JSON values are the names. */
public enum Restore {
    /** The project's files, as they were just before the message (tool edits and bash commands alike). */
    code,
    /** The conversation: the message and every later one are listed as rewound, and the model reads them no more. */
    conversation,
    /** Both. */
    both;

    public boolean files() { return this != conversation; }

    public boolean messages() { return this != code; }
}
