package dev.lathe.protocol.api;

import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.MessageRewound;
import dev.lathe.protocol.session.UserMessage;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which messages of a history a rewind took back: the user messages carrying {@link MessageRewound}'s mark and the
 * assistant messages answering them or written after them (a rewind goes back in time: what a turn wrote after a prompt
 * steered or queued into it went too). The model is sent none of them; clients list them as rewound.
 */
public final class RewoundTurns {
    private RewoundTurns() {}

    public static Set<MessageId> of(List<MessageWithParts> history) {
        Set<MessageId> rewound = new HashSet<>();
        boolean afterRewoundPrompt = false;
        for (MessageWithParts m : history) {
            switch (m.info()) {
                case UserMessage u -> {
                    afterRewoundPrompt = MessageRewound.marks(m.parts());
                    if (afterRewoundPrompt) rewound.add(u.id());
                }
                case AssistantMessage a -> { if (afterRewoundPrompt || rewound.contains(a.parentId())) rewound.add(a.id()); }
            }
        }
        return rewound;
    }
}
