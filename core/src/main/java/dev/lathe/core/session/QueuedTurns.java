package dev.lathe.core.session;

import dev.lathe.core.permission.PermissionBroker;
import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.PartId;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.PromptQueued;
import dev.lathe.protocol.session.UserMessage;
import java.util.ArrayList;
import java.util.List;

/**
 * Takes up a prompt queued behind a turn ({@code "delivery": "queue"}, DESIGN §18 "Steering") once that turn ended: it
 * is stored again as the session's newest message, without the mark and with fresh ids, then the marked copy is removed.
 * Stored again rather than unmarked: the turn it waited behind may have written messages after it (a Stop hook's
 * feedback, a compaction's summary), and the turn that answers it must read it after them, as the last thing the user
 * said. The new copy is written first, so a crash in between leaves the prompt twice, never not at all.
 */
final class QueuedTurns {
    private QueuedTurns() {}

    /** Stores {@code queued} again unmarked, as its own turn's prompt (its allow-all carried over); returns the new message. */
    static UserMessage takeUp(SessionJournal journal, PermissionBroker broker, MessageWithParts queued) {
        UserMessage old = (UserMessage) queued.info();
        var taken = new UserMessage(MessageId.next(), old.sessionId(), old.createdAt(), old.agent(), old.model());
        List<Part> parts = new ArrayList<>();
        for (Part p : queued.parts()) {
            switch (p) {
                case Part.Text t when t.synthetic() && t.text().equals(PromptQueued.TEXT) -> { }
                case Part.Text t -> parts.add(new Part.Text(PartId.next(), t.sessionId(), taken.id(), t.text(), t.synthetic()));
                case Part.File f -> parts.add(new Part.File(PartId.next(), f.sessionId(), taken.id(), f.mime(), f.name(), f.url()));
                default -> { }  // a prompt holds only text and files; anything else was about the queued copy
            }
        }
        if (broker.allowsAll(old.id())) broker.allowAll(taken.id());
        journal.user(taken, parts);
        journal.removeMessage(old.id());
        return taken;
    }
}
