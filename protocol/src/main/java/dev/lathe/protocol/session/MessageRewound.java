package dev.lathe.protocol.session;

import java.util.List;

/**
 * The mark on a user message a rewind took back (DESIGN §18 "Rewind"): one synthetic text part holding {@link #TEXT}.
 * The message stays in the store and in every listing; the model never reads it again, nor any assistant message
 * answering it. Clients show such a turn as rewound. A mark rather than a deletion (as a revert does) or a field of the
 * session: the rewound turns stay readable, and a client that knows nothing of rewinds still shows why.
 */
public final class MessageRewound {
    /** The marking part's text, also what a client shows beside the message. */
    public static final String TEXT = "Rewound: the conversation was taken back to before this message; the model no longer reads this turn.";

    /**
     * How the user message of a "summarise from here" rewind begins: one synthetic text part, the model's summary of the
     * rewound turns answering it. It follows the rewound turns and takes their place in what the model reads.
     */
    public static final String SUMMARISED = "Rewound and summarised: ";

    private MessageRewound() {}

    /** The text of the user message that a summary of the turns from the prompt {@code firstLine} on answers. */
    public static String summarised(String firstLine) {
        return SUMMARISED + "my messages from \u201c" + firstLine + "\u201d on and the answers to them were replaced, at my request, by the summary that"
                + " follows. The files are as that part of the conversation left them.";
    }

    /** Whether a user message's {@code parts} are those of a "summarise from here" rewind. */
    public static boolean summarises(List<Part> parts) {
        for (Part p : parts) if (p instanceof Part.Text t && t.synthetic() && t.text().startsWith(SUMMARISED)) return true;
        return false;
    }

    /** Whether a user message's {@code parts} carry the mark. */
    public static boolean marks(List<Part> parts) {
        for (Part p : parts) if (p instanceof Part.Text t && t.synthetic() && t.text().equals(TEXT)) return true;
        return false;
    }
}
