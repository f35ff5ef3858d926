package dev.lathe.core.session;

import static dev.lathe.core.session.ScriptedProtocol.finish;
import static dev.lathe.core.session.ScriptedProtocol.text;
import static dev.lathe.core.session.SessionAdminTest.assertStatus;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.core.session.history.HistorySeams;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.llm.Content;
import dev.lathe.llm.StopReason;
import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.ForkRequest;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.api.PromptRequest;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.UserMessage;
import dev.lathe.protocol.wire.WireJson;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ForkTest {
    @TempDir Path tmp;

    @Test
    void forkAtAMessageCopiesTheEarlierMessagesUnderNewIds() throws Exception {
        try (var h = new Harness(tmp, ", \"permission\": {\"bash\": \"allow\"}", 10)) {
            Session source = SessionTransferTest.scriptedSession(h);
            h.api.redo(source.id());
            source = h.api.session(source.id());
            List<MessageWithParts> original = h.api.messages(source.id());
            assertThat(original).hasSize(4);
            String sourceBefore = WireJson.write(h.api.export(source.id()));
            MessageId secondPrompt = original.get(2).info().id();

            Session fork = h.api.fork(source.id(), new ForkRequest(Optional.of(secondPrompt)));

            assertThat(fork.id()).isNotEqualTo(source.id());
            assertThat(fork.parentId()).isEmpty();
            assertThat(fork.directory()).isEqualTo(source.directory());
            assertThat(fork.projectId()).isEqualTo(source.projectId());
            assertThat(fork.title()).isEqualTo(source.title() + " (fork #1)");
            assertThat(fork.revert()).isEmpty();
            assertThat(h.awaitEvent(e -> e instanceof Event.SessionCreated c && c.session().id().equals(fork.id()))).isEqualTo(new Event.SessionCreated(fork));
            List<MessageWithParts> copies = h.api.messages(fork.id());
            assertThat(copies).hasSize(2);
            var seenIds = new HashSet<String>();
            for (int i = 0; i < copies.size(); i++) {
                MessageWithParts copy = copies.get(i);
                MessageWithParts from = original.get(i);
                assertThat(copy.info().id()).isNotEqualTo(from.info().id());
                assertThat(copy.info().sessionId()).isEqualTo(fork.id());
                assertThat(copy.info().createdAt()).isEqualTo(from.info().createdAt());
                assertThat(copy.parts()).hasSameSizeAs(from.parts());
                for (int j = 0; j < copy.parts().size(); j++) {
                    Part p = copy.parts().get(j);
                    assertThat(p.id()).isNotEqualTo(from.parts().get(j).id());
                    assertThat(p.messageId()).isEqualTo(copy.info().id());
                    assertThat(p.sessionId()).isEqualTo(fork.id());
                    assertThat(seenIds.add(p.id().value())).isTrue();
                    // everything but the ids is the same
                    assertThat(withoutIds(p)).isEqualTo(withoutIds(from.parts().get(j)));
                }
            }
            assertThat(copies.get(0).info()).isInstanceOf(UserMessage.class);
            assertThat(((AssistantMessage) copies.get(1).info()).parentId()).isEqualTo(copies.get(0).info().id());
            // ids keep their order, so the fork reads back in the source's order
            assertThat(copies.get(0).info().id()).isLessThan(copies.get(1).info().id());
            assertThat(WireJson.write(h.api.export(source.id()))).isEqualTo(sourceBefore);
            assertThat(h.api.fork(fork.id(), ForkRequest.ALL).title()).isEqualTo(source.title() + " (fork #2)");

            // the fork is a working session: the copied tool call and its result reach the model again
            h.llm.then(text("forked answer"), finish(StopReason.STOP));
            h.promptAndWait(fork.id(), "continue here");
            var request = h.llm.requests.getLast();
            assertThat(request.messages().stream().flatMap(m -> m.content().stream()).filter(Content.ToolResult.class::isInstance)
                    .map(c -> ((Content.ToolResult) c).output())).anySatisfy(o -> assertThat(o).contains("alpha"));
            assertThat(h.api.messages(source.id())).hasSize(4);
        }
    }

    @Test
    void forkingEverythingCopiesWhatTheUserSeesWithItsUsage() throws Exception {
        try (var h = new Harness(tmp, ", \"permission\": {\"bash\": \"allow\"}", 10)) {
            Session reverted = SessionTransferTest.scriptedSession(h);
            assertThat(reverted.revert()).isPresent();

            Session fork = h.api.fork(reverted.id(), ForkRequest.ALL);

            // the turn the undo hid is not copied
            assertThat(h.api.messages(fork.id())).hasSize(2);
            assertThat(h.api.export(fork.id()).messages()).hasSize(2);
            var answer = (AssistantMessage) h.api.messages(fork.id()).get(1).info();
            assertThat(fork.usage()).isEqualTo(answer.usage());
            assertThat(fork.cost()).isEqualTo(answer.cost());
        }
    }

    @Test
    void statsCountAForkedAnswerOnceWhileAnyCopyOfItIsLeft() throws Exception {
        try (var h = new Harness(tmp, "", 10)) {
            h.llm.then(text("First answer."), finish(StopReason.STOP));
            h.llm.then(text("Second answer."), finish(StopReason.STOP));
            var source = h.session();
            h.promptAndWait(source.id(), "one");
            h.promptAndWait(source.id(), "two");
            String dir = h.project.toString();
            var before = h.api.stats(dir);
            assertThat(before.messages()).isEqualTo(2);
            assertThat(before.usage().input()).isPositive();

            Session fork = h.api.fork(source.id(), ForkRequest.ALL);
            Session forkOfFork = h.api.fork(fork.id(), ForkRequest.ALL);
            assertThat(fork.usage()).isEqualTo(h.api.session(source.id()).usage());
            // three sessions, but each answer, its steps and its tokens once
            assertThat(h.api.stats(dir)).isEqualTo(withSessions(before, 3));

            // with the original gone, the oldest copy counts; with that one gone too, the next
            h.api.deleteSession(source.id());
            assertThat(h.api.stats(dir)).isEqualTo(withSessions(before, 2));
            h.api.deleteSession(fork.id());
            assertThat(h.api.stats(dir)).isEqualTo(withSessions(before, 1));

            // a new turn in the fork is its own: it counts on top
            h.llm.then(text("Third answer."), finish(StopReason.STOP));
            h.promptAndWait(forkOfFork.id(), "three");
            var after = h.api.stats(dir);
            assertThat(after.messages()).isEqualTo(3);
            assertThat(after.requests()).isEqualTo(before.requests() + 1);
            assertThat(after.usage().input()).isGreaterThan(before.usage().input());
        }
    }

    private static dev.lathe.protocol.api.ProjectStats withSessions(dev.lathe.protocol.api.ProjectStats s, int sessions) {
        return new dev.lathe.protocol.api.ProjectStats(s.directory(), sessions, s.messages(), s.requests(), s.usage(), s.cost(), s.cacheHitRatio(), s.models(), s.quota(), s.cacheLifecycle());
    }

    @Test
    void aBusySessionForksOnlyBeforeItsRunningTurn() throws Exception {
        try (var h = new Harness(tmp, "", 10)) {
            Session s = h.session();
            h.llm.then(text("first answer"), finish(StopReason.STOP));
            h.promptAndWait(s.id(), "first");
            h.llm.thenHang(text("still thinking"));
            h.api.prompt(s.id(), PromptRequest.text("second"));
            h.llm.hanging.await();
            MessageId running = h.api.messages(s.id()).get(2).info().id();

            assertStatus(LatheException.Conflict.class, () -> h.api.fork(s.id(), ForkRequest.ALL));
            Session early = h.api.fork(s.id(), new ForkRequest(Optional.of(running)));
            assertThat(h.api.messages(early.id())).hasSize(2);

            h.api.abort(s.id());
            h.awaitIdle(s.id());
            assertThat(h.api.messages(h.api.fork(s.id(), ForkRequest.ALL).id())).hasSize(4);
        }
    }

    @Test
    void badForksAreRefused() throws Exception {
        try (var h = new Harness(tmp, "", 10)) {
            Session s = h.session();
            assertStatus(LatheException.NotFound.class, () -> h.api.fork(SessionId.next(), ForkRequest.ALL));
            assertStatus(LatheException.NotFound.class, () -> h.api.fork(s.id(), new ForkRequest(Optional.of(MessageId.next()))));
            assertThat(h.api.messages(h.api.fork(s.id(), ForkRequest.ALL).id())).isEmpty();
        }
    }

    @Test
    void forkTitlesCount() {
        assertThat(HistorySeams.forkTitle("Fix it")).isEqualTo("Fix it (fork #1)");
        assertThat(HistorySeams.forkTitle("Fix it (fork #1)")).isEqualTo("Fix it (fork #2)");
        assertThat(HistorySeams.forkTitle("Fix it (fork #9)")).isEqualTo("Fix it (fork #10)");
        assertThat(HistorySeams.forkTitle("(fork #x)")).isEqualTo("(fork #x) (fork #1)");
    }

    /** The part's JSON without its three ids. */
    private static String withoutIds(Part p) {
        return WireJson.write(p).replace(p.id().value(), "").replace(p.messageId().value(), "").replace(p.sessionId().value(), "");
    }
}
