package dev.lathe.tui.view;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.PartId;
import dev.lathe.protocol.RawJson;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.session.AgentMessage;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.PromptQueued;
import dev.lathe.protocol.session.SessionStatus;
import dev.lathe.protocol.session.TaskResult;
import dev.lathe.protocol.session.ToolDisplay;
import dev.lathe.protocol.session.ToolState;
import dev.lathe.protocol.session.Usage;
import dev.lathe.protocol.session.UserMessage;
import dev.lathe.tui.text.Theme;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jline.utils.AttributedString;
import org.junit.jupiter.api.Test;

class TranscriptTest {
    final SessionId ses = new SessionId("ses_1");
    final MessageId user = new MessageId("msg_1");
    final MessageId reply = new MessageId("msg_2");
    final BlockView view = new BlockView(Theme.plain());
    final Transcript t = new Transcript(ses);

    static List<String> text(List<AttributedString> lines) { return lines.stream().map(AttributedString::toString).toList(); }

    List<String> commit() { return text(t.takeCommit(view, 60, false)); }

    List<String> live() { return text(t.live(view, 60, false, 0)); }

    AssistantMessage assistant(Optional<Long> completedAt) {
        return new AssistantMessage(reply, ses, user, "build", "m", 1, completedAt, Optional.empty(), Optional.empty(), Usage.ZERO, 0);
    }

    void userSays(MessageId id, String text) {
        t.apply(new Event.MessageUpdated(new UserMessage(id, ses, 1, "build", "m")));
        t.apply(new Event.PartUpdated(new Part.Text(PartId.next(), ses, id, text, false)));
    }

    @Test
    void streamedTextGoesToScrollbackParagraphByParagraphAndTheRestWhenItEnds() {
        userSays(user, "explain");
        t.apply(new Event.SessionStatusChanged(ses, new SessionStatus.Busy()));
        t.apply(new Event.MessageUpdated(assistant(Optional.empty())));
        var textId = PartId.next();
        t.apply(new Event.PartUpdated(new Part.Text(textId, ses, reply, "", false)));
        assertThat(commit()).containsExactly("", "› explain");

        t.apply(new Event.PartDelta(ses, reply, textId, "text", "First paragraph."));
        assertThat(commit()).isEmpty();
        assertThat(live()).contains("First paragraph.");

        t.apply(new Event.PartDelta(ses, reply, textId, "text", "\n\nSecond one"));
        assertThat(commit()).containsExactly("", "First paragraph.");
        assertThat(live()).containsExactly("", "Second one");

        t.apply(new Event.PartUpdated(new Part.Text(textId, ses, reply, "First paragraph.\n\nSecond one, done.", false)));
        assertThat(commit()).containsExactly("", "Second one, done.");
        assertThat(live()).isEmpty();
    }

    @Test
    void aRemovedPartAlreadyInTheScrollbackIsSaidToBeDiscardedAndAnUnshownOneJustGoes() {
        userSays(user, "explain");
        t.apply(new Event.MessageUpdated(assistant(Optional.empty())));
        var shown = PartId.next();
        t.apply(new Event.PartUpdated(new Part.Text(shown, ses, reply, "", false)));
        t.apply(new Event.PartUpdated(new Part.Text(shown, ses, reply, "A fragment of a failed attempt", false)));
        assertThat(commit()).contains("A fragment of a failed attempt");

        t.apply(new Event.PartRemoved(ses, reply, shown));
        assertThat(commit()).anySatisfy(l -> assertThat(l).contains("↺ the provider failed mid-answer: the text above is"));

        var unshown = PartId.next();
        t.apply(new Event.PartUpdated(new Part.Text(unshown, ses, reply, "", false)));
        t.apply(new Event.PartDelta(ses, reply, unshown, "text", "still streaming, no full line"));
        t.apply(new Event.PartRemoved(ses, reply, unshown));
        assertThat(commit()).isEmpty();
        assertThat(live()).noneSatisfy(l -> assertThat(l).contains("still streaming"));
    }

    @Test
    void aFinishedToolWaitsForTheRunningOneBeforeItInOrder() {
        t.apply(new Event.MessageUpdated(assistant(Optional.empty())));
        var first = new Part.Tool(PartId.next(), ses, reply, "c1", "bash", new ToolState.Running(new RawJson("{\"command\":\"make\"}"), "", 1, "building\n",
                Optional.of(ToolDisplay.CommandRun.running("make"))), Map.of());
        var second = new Part.Tool(PartId.next(), ses, reply, "c2", "read",
                new ToolState.Completed(new RawJson("{\"filePath\":\"a.txt\"}"), "x", "a.txt", Map.of(), 1, 2), Map.of());
        t.apply(new Event.PartUpdated(first));
        t.apply(new Event.PartUpdated(second));
        assertThat(commit()).isEmpty();
        assertThat(live()).anySatisfy(l -> assertThat(l).contains("bash make"));
        assertThat(live()).anySatisfy(l -> assertThat(l).contains("building"));

        t.apply(new Event.PartUpdated(first.withState(new ToolState.Completed(first.state().input(), "built\n", "", Map.of(), 1, 3, List.of(),
                Optional.of(ToolDisplay.CommandRun.exited("make", 0))))));
        List<String> committed = commit();
        assertThat(committed).anySatisfy(l -> assertThat(l).startsWith("✓ bash make"));
        assertThat(committed).anySatisfy(l -> assertThat(l).startsWith("✓ read a.txt"));
        assertThat(String.join("\n", committed).indexOf("bash")).isLessThan(String.join("\n", committed).indexOf("read"));
        assertThat(live()).isEmpty();
        // a late update of a committed part changes nothing
        assertThat(t.apply(new Event.PartUpdated(second))).isFalse();
    }

    @Test
    void aMessageSteeredWhileBusyIsMarkedSoAndTheTurnEndingFinishesEverything() {
        t.apply(new Event.SessionStatusChanged(ses, new SessionStatus.Busy()));
        t.apply(new Event.MessageUpdated(assistant(Optional.empty())));
        var textId = PartId.next();
        t.apply(new Event.PartUpdated(new Part.Text(textId, ses, reply, "", false)));
        t.apply(new Event.PartDelta(ses, reply, textId, "text", "working on it"));
        userSays(new MessageId("msg_3"), "also this");
        assertThat(live()).contains("› also this  (steering)");
        assertThat(commit()).isEmpty();

        t.apply(new Event.SessionStatusChanged(ses, new SessionStatus.Idle()));
        assertThat(commit()).containsExactly("", "working on it", "", "› also this");
    }

    @Test
    void theQueuedMessagesTextsAreKnownUntilTheModelSeesThem() {
        t.apply(new Event.SessionStatusChanged(ses, new SessionStatus.Busy()));
        t.apply(new Event.MessageUpdated(assistant(Optional.empty())));
        assertThat(t.queuedTexts()).isEmpty();
        userSays(new MessageId("msg_3"), "also this");
        assertThat(t.queuedTexts()).containsExactly("also this");

        t.apply(new Event.SessionStatusChanged(ses, new SessionStatus.Idle()));
        assertThat(t.queuedTexts()).isEmpty();
    }

    @Test
    void aHugePasteStaysFoldedInTheScrollbackOnceSent() {
        String paste = java.util.stream.IntStream.rangeClosed(1, 3000).mapToObj(i -> "line " + i).collect(java.util.stream.Collectors.joining("\n"));
        userSays(user, paste);
        t.apply(new Event.SessionStatusChanged(ses, new SessionStatus.Idle()));
        assertThat(commit()).containsExactly("", "› line 1", "  line 2", "  line 3", "  line 4", "  line 5",
                "  … +2995 lines (ctrl+o shows the whole message)");
    }

    @Test
    void aHugeQueuedPasteIsFoldedAndStillSaysQueued() {
        t.apply(new Event.SessionStatusChanged(ses, new SessionStatus.Busy()));
        t.apply(new Event.MessageUpdated(assistant(Optional.empty())));
        userSays(new MessageId("msg_3"), "x".repeat(60 * 40));
        assertThat(live()).containsExactly("", "› " + "x".repeat(58), "  " + "x".repeat(58), "  " + "x".repeat(58),
                "  " + "x".repeat(58), "  " + "x".repeat(58), "  … +37 lines (ctrl+o shows the whole message)  (steering)");
    }

    @Test
    void theTranscriptViewShowsAHugePasteWhole() {
        userSays(user, "a\n".repeat(30) + "end");
        t.apply(new Event.SessionStatusChanged(ses, new SessionStatus.Idle()));
        assertThat(text(t.takeCommit(BlockView.unabridged(Theme.plain()), 60, false))).hasSize(32).endsWith("  end");
    }

    @Test
    void aShortMultiLinePromptIsShownWhole() {
        userSays(user, "one\ntwo\nthree");
        t.apply(new Event.SessionStatusChanged(ses, new SessionStatus.Idle()));
        assertThat(commit()).containsExactly("", "› one", "  two", "  three");
    }

    @Test
    void aBackgroundTasksResultAndATeammatesMessageSayWhereTheyCameFromNotAsPrompts() {
        userSays(user, TaskResult.text("ses_child1", "completed", "Found 3 tests.\nAll pass. </task-result> not the end"));
        t.apply(new Event.SessionStatusChanged(ses, new SessionStatus.Idle()));
        assertThat(commit()).containsExactly("", "◆ background task ses_child1 completed", "  Found 3 tests.", "  All pass. </task-result> not the end");

        userSays(new MessageId("msg_3"), AgentMessage.text("ana", "<b>done</b> & pushed"));
        assertThat(commit()).containsExactly("", "✉ message from ana", "  <b>done</b> & pushed");

        userSays(new MessageId("msg_4"), "<task-result id=\"x\">typed by hand");
        assertThat(commit()).as("anything short of the exact shape is the user's prompt").containsExactly("", "› <task-result id=\"x\">typed by hand");
    }

    @Test
    void aMessageQueuedWhenTheTurnIsInterruptedSaysItWasNotAnswered() {
        t.apply(new Event.SessionStatusChanged(ses, new SessionStatus.Busy()));
        t.apply(new Event.MessageUpdated(assistant(Optional.empty())));
        var textId = PartId.next();
        t.apply(new Event.PartUpdated(new Part.Text(textId, ses, reply, "", false)));
        t.apply(new Event.PartDelta(ses, reply, textId, "text", "working on it"));
        userSays(new MessageId("msg_3"), "also this");
        t.apply(new Event.MessageUpdated(assistant(Optional.of(5L)).failed(5, dev.lathe.protocol.session.MessageError.aborted(), Usage.ZERO, 0)));
        t.apply(new Event.SessionStatusChanged(ses, new SessionStatus.Idle()));
        assertThat(String.join("\n", text(t.takeCommit(view, 200, false)))).containsSubsequence("working on it", "⎋ Interrupted", "› also this",
                "↳ not answered, the turn was interrupted: the model gets it with your next message");
    }

    @Test
    void aQueuedMessageTakesItsPlaceWhenTheModelIsShownIt() {
        userSays(user, "first");
        t.apply(new Event.SessionStatusChanged(ses, new SessionStatus.Busy()));
        t.apply(new Event.MessageUpdated(assistant(Optional.empty())));
        var second = new MessageId("msg_3");
        userSays(second, "second");
        // the first answer streams after the second message was sent: it must not end up above the answer
        var textId = PartId.next();
        t.apply(new Event.PartUpdated(new Part.Text(textId, ses, reply, "", false)));
        t.apply(new Event.PartDelta(ses, reply, textId, "text", "first answer"));
        assertThat(commit()).containsExactly("", "› first");
        assertThat(live()).containsExactly("", "first answer", "", "› second  (steering)");
        t.apply(new Event.PartUpdated(new Part.Text(textId, ses, reply, "first answer", false)));
        t.apply(new Event.MessageUpdated(assistant(Optional.of(3L))));
        assertThat(commit()).containsExactly("", "first answer");
        assertThat(live()).containsExactly("", "› second  (steering)");

        var answerToSecond = new AssistantMessage(new MessageId("msg_4"), ses, second, "build", "m", 4, Optional.empty(),
                Optional.empty(), Optional.empty(), Usage.ZERO, 0);
        t.apply(new Event.MessageUpdated(answerToSecond));
        assertThat(commit()).containsExactly("", "› second");
    }

    @Test
    void aMessageQueuedBehindTheTurnSaysSoAndWaitsPastItsNextStepsForItsEnd() {
        userSays(user, "first");
        t.apply(new Event.SessionStatusChanged(ses, new SessionStatus.Busy()));
        t.apply(new Event.MessageUpdated(assistant(Optional.empty())));
        var later = new MessageId("msg_3");
        userSays(later, "after this");
        // the server marks a queued prompt in the same write (DESIGN §18 "Steering"); the mark itself is not shown
        t.apply(new Event.PartUpdated(new Part.Text(PartId.next(), ses, later, PromptQueued.TEXT, true)));
        assertThat(live()).containsExactly("", "› first", "", "› after this  (queued)");
        // the running turn's next step does not show it to the model: it keeps waiting below
        var nextStep = new AssistantMessage(new MessageId("msg_4"), ses, user, "build", "m", 4, Optional.empty(), Optional.empty(),
                Optional.empty(), Usage.ZERO, 0);
        t.apply(new Event.MessageUpdated(nextStep));
        assertThat(live()).last().isEqualTo("› after this  (queued)");
        // the running turn ends and, the session still busy, the turn that answers it starts: it is shown above its answer
        t.apply(new Event.MessageUpdated(new AssistantMessage(new MessageId("msg_4"), ses, user, "build", "m", 4, Optional.of(5L), Optional.empty(),
                Optional.empty(), Usage.ZERO, 0)));
        var own = new AssistantMessage(new MessageId("msg_5"), ses, later, "build", "m", 6, Optional.empty(), Optional.empty(), Optional.empty(),
                Usage.ZERO, 0);
        t.apply(new Event.MessageUpdated(own));
        var textId = PartId.next();
        t.apply(new Event.PartUpdated(new Part.Text(textId, ses, own.id(), "", false)));
        t.apply(new Event.PartDelta(ses, own.id(), textId, "text", "its own answer"));
        assertThat(commit()).containsSubsequence("› first", "› after this");
        assertThat(live()).containsExactly("", "its own answer");
    }

    @Test
    void aMessageSentBeforeTheTurnReadItsHistoryIsShownBeforeTheAnswerThatSawIt() {
        userSays(user, "first");
        t.apply(new Event.SessionStatusChanged(ses, new SessionStatus.Busy()));
        // sent while busy, but stored before the turn opened its answer (to the first): the first request holds both
        var second = new MessageId("msg_2");
        userSays(second, "second");
        assertThat(live()).containsExactly("", "› first", "", "› second  (steering)");
        var answer = new AssistantMessage(new MessageId("msg_3"), ses, user, "build", "m", 3, Optional.empty(), Optional.empty(),
                Optional.empty(), Usage.ZERO, 0);
        t.apply(new Event.MessageUpdated(answer));
        var textId = PartId.next();
        t.apply(new Event.PartUpdated(new Part.Text(textId, ses, answer.id(), "", false)));
        t.apply(new Event.PartDelta(ses, answer.id(), textId, "text", "both answered"));
        assertThat(commit()).containsExactly("", "› first", "", "› second");
        assertThat(live()).containsExactly("", "both answered");
    }

    @Test
    void anAbortedTurnSaysSo() {
        t.apply(new Event.MessageUpdated(assistant(Optional.of(5L)).failed(5, dev.lathe.protocol.session.MessageError.aborted(), Usage.ZERO, 0)));
        assertThat(commit()).anySatisfy(l -> assertThat(l).startsWith("⎋ Interrupted"));
    }

    @Test
    void anInterruptedTurnKeepsItsMarkerWhenTheSessionIsOpenedAgain() {
        var answeredFirst = new AssistantMessage(reply, ses, user, "build", "m", 2, Optional.empty(), Optional.empty(), Optional.empty(), Usage.ZERO, 0)
                .failed(3, dev.lathe.protocol.session.MessageError.aborted(), Usage.ZERO, 0);
        var second = new MessageId("msg_3");
        var unanswered = new AssistantMessage(new MessageId("msg_4"), ses, second, "build", "m", 5, Optional.empty(), Optional.empty(),
                Optional.empty(), Usage.ZERO, 0).failed(6, dev.lathe.protocol.session.MessageError.interrupted(), Usage.ZERO, 0);
        t.load(List.of(
                new dev.lathe.protocol.api.MessageWithParts(new UserMessage(user, ses, 1, "build", "m"),
                        List.of(new Part.Text(new PartId("prt_1"), ses, user, "tell a story", false))),
                new dev.lathe.protocol.api.MessageWithParts(answeredFirst, List.of(new Part.Text(new PartId("prt_2"), ses, reply, "Once upon", false))),
                new dev.lathe.protocol.api.MessageWithParts(new UserMessage(second, ses, 4, "build", "m"),
                        List.of(new Part.Text(new PartId("prt_3"), ses, second, "count the files", false))),
                new dev.lathe.protocol.api.MessageWithParts(unanswered, List.of())), false, 40);
        String shown = String.join("\n", text(t.takeCommit(view, 200, false)));
        assertThat(shown).containsSubsequence("› tell a story", "Once upon", "⎋ Interrupted", "› count the files",
                "⎋ Interrupted when the server stopped, before any answer: the model gets this prompt with your next one");
        assertThat(shown.indexOf("⎋ Interrupted\n")).as("an answered turn's marker has no note").isPositive();
    }

    @Test
    void aRunningTurnStartedWhenTheServerOpenedItsAnswer() {
        var open = new AssistantMessage(reply, ses, user, "build", "m", 5_000, Optional.empty(), Optional.empty(), Optional.empty(), Usage.ZERO, 0);
        var prompt = new dev.lathe.protocol.api.MessageWithParts(new UserMessage(user, ses, 4_000, "build", "m"), List.of());
        assertThat(Transcript.turnStart(List.of(prompt, new dev.lathe.protocol.api.MessageWithParts(open, List.of())))).contains(5_000L);
        assertThat(Transcript.turnStart(List.of(prompt))).as("no answer opened yet").contains(4_000L);
        assertThat(Transcript.turnStart(List.of())).isEmpty();
    }

    @Test
    void aCompactionIsItsMarkerNotAnEmptyPrompt() {
        var compact = new MessageId("msg_c");
        t.load(List.of(new dev.lathe.protocol.api.MessageWithParts(new UserMessage(compact, ses, 1, "build", "m"),
                List.of(new Part.Compaction(new PartId("prt_c"), ses, compact, false, Optional.empty()),
                        new Part.Text(new PartId("prt_e"), ses, compact, "", false)))), false, 40);
        assertThat(commit()).containsExactly("", "── context compacted ──");
    }

    @Test
    void historyShowsOnlyTheNewestMessages() {
        var history = new java.util.ArrayList<dev.lathe.protocol.api.MessageWithParts>();
        for (int i = 0; i < 5; i++) {
            var id = new MessageId("msg_h" + i);
            history.add(new dev.lathe.protocol.api.MessageWithParts(new UserMessage(id, ses, i, "build", "m"),
                    List.of(new Part.Text(PartId.next(), ses, id, "message " + i, false))));
        }
        t.load(history, false, 2);
        List<String> committed = commit();
        assertThat(committed.getFirst()).contains("3 earlier messages");
        assertThat(committed).contains("› message 3", "› message 4").doesNotContain("› message 2");
    }
}
