package dev.lathe.core.session.journal;

import dev.lathe.protocol.PartId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.session.Part;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The parts streaming now, with their whole text so far, so that what a client fetches joins the deltas it receives
 * (issue 42). The store holds a streaming part's text as of its last periodic write, which lags the announced deltas
 * by up to a quarter of the text; a client that loaded that and then appended the deltas it was sent showed text
 * joined mid-word. Now the messages a client reads carry each streaming part's text up to the moment of reading
 * ({@link #overlay}), and every delta carries the offset it was appended at, so the client drops what its snapshot
 * already holds and appends only the rest.
 *
 * <p>Order of reads and writes: a snapshot reads these texts <em>before</em> the store, and a part is forgotten here
 * only <em>after</em> its whole text was stored, so a snapshot sees either the live text or the stored whole text.
 */
public final class StreamingTexts {
    private record Streaming(SessionId session, LiveText text) {}

    private final Map<PartId, Streaming> parts = new ConcurrentHashMap<>();

    void streaming(SessionId session, PartId part, LiveText text) {
        parts.computeIfAbsent(part, _ -> new Streaming(session, text));
    }

    /** The part's whole text is stored (or the part deleted): the store answers for it from now on. */
    void settled(PartId part) {
        parts.remove(part);
    }

    /** A turn of the session let go of its history: nothing of it streams any more. */
    void settledAll(SessionId session) {
        parts.values().removeIf(s -> s.session().equals(session));
    }

    /** The texts streaming now in the session, read before the store is (see the class comment). */
    Map<PartId, String> of(SessionId session) {
        if (parts.isEmpty()) return Map.of();
        Map<PartId, String> texts = new HashMap<>();
        parts.forEach((id, s) -> {
            if (s.session().equals(session)) texts.put(id, s.text().toString());
        });
        return texts;
    }

    /** The messages with each streaming part's text replaced by its live text when that is longer. */
    public static List<MessageWithParts> overlay(List<MessageWithParts> messages, Map<PartId, String> live) {
        if (live.isEmpty()) return messages;
        List<MessageWithParts> out = new ArrayList<>(messages.size());
        for (MessageWithParts m : messages) {
            List<Part> parts = null;
            for (int i = 0; i < m.parts().size(); i++) {
                Part p = m.parts().get(i);
                Part now = withLive(p, live.get(p.id()));
                if (now == p) continue;
                if (parts == null) parts = new ArrayList<>(m.parts());
                parts.set(i, now);
            }
            out.add(parts == null ? m : new MessageWithParts(m.info(), List.copyOf(parts)));
        }
        return out;
    }

    private static Part withLive(Part p, String live) {
        if (live == null) return p;
        return switch (p) {
            case Part.Text t when live.length() > t.text().length() -> t.withText(live);
            case Part.Reasoning r when live.length() > r.text().length() ->
                    new Part.Reasoning(r.id(), r.sessionId(), r.messageId(), live, r.providerMetadata());
            case Part.Text _, Part.Reasoning _, Part.Tool _, Part.File _, Part.StepStart _, Part.StepFinish _,
                    Part.Patch _, Part.Compaction _, Part.Subtask _, Part.Retry _, Part.ModelSwitch _, Part.Hook _ -> p;
        };
    }
}
