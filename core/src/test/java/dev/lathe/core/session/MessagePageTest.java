package dev.lathe.core.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.PartId;
import dev.lathe.protocol.ProjectId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.api.MessagePage;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.api.SessionExport;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.Message;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.Usage;
import dev.lathe.protocol.session.UserMessage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pages of a 5,000-part session read from the store: contents, order, paging back to the first, reverts. */
class MessagePageTest {
    /** 1,250 exchanges of a prompt (one part) and an answer (three parts): 2,500 messages, 5,000 parts. */
    static final int EXCHANGES = 1250;

    @TempDir Path tmp;

    @Test
    void pagesOfABigSessionAreItsNewestMessagesOldestFirstDownToTheFirst() throws Exception {
        try (var h = new Harness(tmp, "", 10)) {
            Session session = h.api.importSession(bigSession(h.project, Optional.empty()));
            List<MessageWithParts> all = h.api.messages(session.id());
            assertThat(all).hasSize(2 * EXCHANGES);
            assertThat(all.stream().mapToInt(m -> m.parts().size()).sum()).isEqualTo(4 * EXCHANGES);

            MessagePage last = h.api.messages(session.id(), 50, Optional.empty());
            assertThat(last.messages()).isEqualTo(all.subList(all.size() - 50, all.size()));
            assertThat(last.more()).isTrue();
            assertThat(text(last.messages().getLast())).isEqualTo("answer " + (EXCHANGES - 1));

            assertThat(pagedBack(h, session.id(), 70)).isEqualTo(all);
            // a page as big as the cap, and one bigger than what is left: no more after it
            MessagePage first = h.api.messages(session.id(), 30, Optional.of(all.get(30).info().id()));
            assertThat(first.messages()).isEqualTo(all.subList(0, 30));
            assertThat(first.more()).isFalse();
            MessagePage capped = h.api.messages(session.id(), MessagePage.MAX_LIMIT, Optional.of(all.get(10).info().id()));
            assertThat(capped.messages()).isEqualTo(all.subList(0, 10));
            assertThat(capped.more()).isFalse();
            assertThat(h.api.messages(session.id(), 5, Optional.of(all.getFirst().info().id()))).isEqualTo(new MessagePage(List.of(), false));
        }
    }

    @Test
    void aRevertedSessionPagesThroughWhatTheUnpagedRouteShows() throws Exception {
        try (var h = new Harness(tmp, "", 10)) {
            SessionExport export = bigSession(h.project, Optional.empty());
            MessageId revertPoint = export.messages().get(export.messages().size() - 101).info().id();
            export = SessionExport.of(export.session().withRevert(Optional.of(revertPoint), 5), export.messages());
            Session session = h.api.importSession(export);
            List<MessageWithParts> visible = h.api.messages(session.id());
            assertThat(visible).hasSize(2 * EXCHANGES - 101);
            assertThat(visible.getLast().info().id()).isLessThan(revertPoint);

            MessagePage newest = h.api.messages(session.id(), 40, Optional.empty());
            assertThat(newest.messages()).isEqualTo(visible.subList(visible.size() - 40, visible.size()));
            assertThat(pagedBack(h, session.id(), 333)).isEqualTo(visible);
            // paging from a hidden message starts below the revert point all the same
            MessageId hidden = export.messages().getLast().info().id();
            assertThat(h.api.messages(session.id(), 40, Optional.of(hidden))).isEqualTo(newest);
        }
    }

    @Test
    void aBadLimitOrAnUnknownMessageIsRefused() throws Exception {
        try (var h = new Harness(tmp, "", 10)) {
            Session session = h.api.importSession(bigSession(h.project, Optional.empty()));
            assertThatThrownBy(() -> h.api.messages(session.id(), 0, Optional.empty())).isInstanceOf(LatheException.InvalidInput.class);
            assertThatThrownBy(() -> h.api.messages(session.id(), MessagePage.MAX_LIMIT + 1, Optional.empty()))
                    .isInstanceOf(LatheException.InvalidInput.class).hasMessageContaining("1 to " + MessagePage.MAX_LIMIT);
            assertThatThrownBy(() -> h.api.messages(session.id(), 10, Optional.of(MessageId.next())))
                    .isInstanceOf(LatheException.InvalidInput.class).hasMessageContaining("no message");
            assertThatThrownBy(() -> h.api.messages(SessionId.next(), 10, Optional.empty())).isInstanceOf(LatheException.NotFound.class);
        }
    }

    /** Every page from the newest back to the first, joined oldest first. */
    private static List<MessageWithParts> pagedBack(Harness h, SessionId id, int size) {
        List<MessageWithParts> joined = new ArrayList<>();
        MessagePage page = h.api.messages(id, size, Optional.empty());
        joined.addAll(0, page.messages());
        while (page.more()) {
            page = h.api.messages(id, size, Optional.of(page.messages().getFirst().info().id()));
            assertThat(page.messages()).isNotEmpty().hasSizeLessThanOrEqualTo(size);
            joined.addAll(0, page.messages());
        }
        return joined;
    }

    private static String text(MessageWithParts m) {
        return m.parts().stream().filter(Part.Text.class::isInstance).map(p -> ((Part.Text) p).text()).findFirst().orElseThrow();
    }

    /** A day of work as an export: {@link #EXCHANGES} prompts each with its answer. */
    static SessionExport bigSession(Path project, Optional<MessageId> revert) {
        SessionId id = SessionId.next();
        var session = new Session(id, new ProjectId("prj_x"), project.toString(), Optional.empty(), "big", "build", "fake/m", 1, 2, revert,
                Usage.ZERO, 0, Optional.empty());
        List<MessageWithParts> messages = new ArrayList<>();
        for (int i = 0; i < EXCHANGES; i++) {
            Message prompt = new UserMessage(MessageId.next(), id, 10L * i, "build", "fake/m");
            messages.add(new MessageWithParts(prompt, List.of(new Part.Text(PartId.next(), id, prompt.id(), "prompt " + i, false))));
            MessageId answer = MessageId.next();
            messages.add(new MessageWithParts(
                    new AssistantMessage(answer, id, prompt.id(), "build", "fake/m", 10L * i + 1, Optional.of(10L * i + 2), Optional.empty(),
                            Optional.empty(), Usage.ZERO, 0),
                    List.of(new Part.StepStart(PartId.next(), id, answer, Optional.empty(), null),
                            new Part.Text(PartId.next(), id, answer, "answer " + i, false),
                            new Part.StepFinish(PartId.next(), id, answer, "stop", Usage.ZERO, 0, Optional.empty()))));
        }
        return SessionExport.of(session, messages);
    }
}
