package dev.lathe.core.session.journal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.PartId;
import dev.lathe.protocol.RawJson;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.SessionStatus;
import dev.lathe.protocol.session.ToolState;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** {@code diff.updated} (decision 592): one notice per window per session however many changes fall in it, none for a read. */
class DiffNoticesTest {
    private final List<Event> sent = new CopyOnWriteArrayList<>();
    private final DiffNotices notices = new DiffNotices((directory, event) -> sent.add(event));

    @Test
    void manyChangesInOneWindowSendOneNoticePerSession() throws Exception {
        SessionId a = SessionId.next();
        SessionId b = SessionId.next();
        for (int i = 0; i < 20; i++) notices.seen("/p", new Event.FileEdited(a, "f" + i + ".txt"));
        notices.seen("/p", new Event.PartUpdated(new Part.Patch(PartId.next(), b, MessageId.next(), "tree", List.of("x"))));
        Thread.sleep(DiffNotices.DELAY_MILLIS * 3);
        assertThat(sent).containsExactlyInAnyOrder(new Event.DiffUpdated(a), new Event.DiffUpdated(b));

        // a change after the window opens the next one
        notices.seen("/p", new Event.FileEdited(a, "later.txt"));
        Thread.sleep(DiffNotices.DELAY_MILLIS * 3);
        assertThat(sent).hasSize(3);
    }

    @Test
    void aReadOrACommandNotYetStartedSendsNone() throws Exception {
        SessionId s = SessionId.next();
        RawJson input = RawJson.EMPTY_OBJECT;
        notices.seen("/p", new Event.PartUpdated(tool(s, "read", new ToolState.Completed(input, "text", "read", Map.of(), 1, 2, List.of(), Optional.empty()))));
        notices.seen("/p", new Event.PartUpdated(tool(s, "bash", new ToolState.Pending(input))));
        notices.seen("/p", new Event.SessionStatusChanged(s, SessionStatus.IDLE));
        Thread.sleep(DiffNotices.DELAY_MILLIS * 3);
        assertThat(sent).isEmpty();
        notices.seen("/p", new Event.PartUpdated(tool(s, "bash", new ToolState.Completed(input, "", "ls", Map.of(), 1, 2, List.of(), Optional.empty()))));
        Thread.sleep(DiffNotices.DELAY_MILLIS * 3);
        assertThat(sent).containsExactly(new Event.DiffUpdated(s));
    }

    private static Part.Tool tool(SessionId s, String name, ToolState state) {
        return new Part.Tool(PartId.next(), s, MessageId.next(), "c1", name, state, Map.of());
    }
}
