package dev.lathe.protocol.api;

/** What a rewind ({@code POST /sessions/{id}/rewind}, DESIGN §18 "Rewind") puts back. The JSON values are the names. */
public enum Restore {
    /** The project's files, as they were just before the message (tool edits and bash commands alike). */
    code,
    /** The conversation: the message and every later one are listed as rewound, and the model reads them no more. */
    conversation,
    /** Both. */
    both,
    /**
     * "Summarise from here": the message and every later one are listed as rewound, as with {@link #conversation}, and
     * a summary of them the model writes now takes their place; the files stay as they are.
     */
    summarise;

    public boolean files() { return this == code || this == both; }

    public boolean messages() { return this != code; }
}
