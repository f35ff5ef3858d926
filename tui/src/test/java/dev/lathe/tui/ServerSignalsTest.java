package dev.lathe.tui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.PartId;
import dev.lathe.protocol.PermissionId;
import dev.lathe.protocol.ProjectId;
import dev.lathe.protocol.RawJson;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.event.PermissionReply;
import dev.lathe.protocol.event.PermissionRequest;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.PromptNotRun;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.SessionStatus;
import dev.lathe.protocol.session.Todo;
import dev.lathe.protocol.session.ToolState;
import dev.lathe.protocol.session.Usage;
import dev.lathe.protocol.session.UserMessage;
import dev.lathe.tui.ServerSignals.Effect;
import dev.lathe.tui.ServerSignals.State;
import dev.lathe.tui.ServerSignals.Step;
import dev.lathe.tui.text.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The server events' reducer, without a terminal or a server: real event sequences (a turn streaming text, a tool call,
 * asks, another session attached, a catch-up after missed events) through {@link ServerSignals}, the state after and
 * the effects asked for read back.
 */
class ServerSignalsTest {
    private static final String FOLDER = "/tmp/p";
    private static final Session MAIN = session("ses_main", Optional.empty(), "fake/m");
    private static final Session CHILD = session("ses_child", Optional.of(MAIN.id()), "fake/m");
    private static final Session OTHER = session("ses_other", Optional.empty(), "fake/m");

    private static Session session(String id, Optional<SessionId> parent, String model) {
        return new Session(new SessionId(id), new ProjectId("prj_1"), FOLDER, parent, "fix the build", "build", model, 1, 2, Optional.empty(),
                Usage.ZERO, 0, Optional.empty());
    }

    private static State attachedTo(Session s) {
        return new State(Optional.of(s), Set.of(s.id()), TurnState.idle(), List.of(), AskState.none(), PromptState.empty(), Map.of(), Set.of());
    }

    private static Step on(State state, Event event) { return ServerSignals.on(state, event, 1_000); }

    /** The effects by kind, in order; a notification is named with what it tells of. */
    private static List<String> kinds(Step step) {
        var out = new ArrayList<String>();
        for (Effect e : step.effects()) out.add(e instanceof Effect.Show s ? "Show " + s.event().getClass().getSimpleName() : e.getClass().getSimpleName());
        return out;
    }

    private static AssistantMessage answer(MessageId id, long createdAt, Optional<Long> completedAt) {
        return new AssistantMessage(id, MAIN.id(), MessageId.next(), "build", "fake/m", createdAt, completedAt, Optional.empty(), Optional.empty(),
                new Usage(100, 20, 0, 0, 0), 7);
    }

    private static Event.PermissionAsked asked(SessionId of) {
        return new Event.PermissionAsked(new PermissionRequest(PermissionId.next(), of, MessageId.next(), "c1", "bash", List.of("ls"), List.of(),
                "bash ls", Map.of(), 0, Optional.empty()));
    }

    @Test
    void aTurnStreamingTextIsCountedFromItsStartShownPartByPartAndItsStepsCounted() {
        MessageId id = MessageId.next();
        Step busy = ServerSignals.on(attachedTo(MAIN), new Event.SessionStatusChanged(MAIN.id(), new SessionStatus.Busy()), 1_000);
        assertThat(busy.state().turn().busy()).isTrue();
        assertThat(busy.state().turn().busySince()).isEqualTo(1_000);
        assertThat(kinds(busy)).containsExactly("Notify", "Show SessionStatusChanged");

        Step running = ServerSignals.on(busy.state(), new Event.MessageUpdated(answer(id, 1_000, Optional.empty())), 1_200);
        assertThat(kinds(running)).containsExactly("Notify", "AnswerSpent", "Show MessageUpdated");

        var text = new Part.Text(PartId.next(), MAIN.id(), id, "The build", false);
        Step first = on(running.state(), new Event.PartUpdated(text));
        Step more = on(first.state(), new Event.PartUpdated(text.withText("The build fails on line 3.")));
        assertThat(kinds(more)).containsExactly("Notify", "ContextPart", "Show PartUpdated");
        assertThat(((Effect.Show) more.effects().getLast()).event()).isEqualTo(new Event.PartUpdated(text.withText("The build fails on line 3.")));

        var finish = new Part.StepFinish(PartId.next(), MAIN.id(), id, "stop", new Usage(100, 20, 0, 0, 0), 7, Optional.empty());
        Step step = on(more.state(), new Event.PartUpdated(finish));
        assertThat(kinds(step)).containsExactly("Notify", "ContextPart", "StepSpent", "Show PartUpdated");
        assertThat(step.effects()).contains(new Effect.StepSpent(finish));

        Step idle = ServerSignals.on(step.state(), new Event.SessionStatusChanged(MAIN.id(), new SessionStatus.Idle()), 9_000);
        assertThat(idle.state().turn().busy()).isFalse();
        assertThat(idle.state().turn().busySince()).as("the turn's start kept for its last frame").isEqualTo(1_000);
    }

    @Test
    void aToolCallOfTheSessionIsShownAndOneOfASubagentIsNot() {
        MessageId id = MessageId.next();
        var running = new Part.Tool(PartId.next(), MAIN.id(), id, "call_1", "bash",
                new ToolState.Running(new RawJson("{\"command\":\"mvn test\"}"), "mvn test", 1_000, "Tests run: 3"));
        Step step = on(attachedTo(MAIN), new Event.PartUpdated(running));
        assertThat(kinds(step)).containsExactly("Notify", "ContextPart", "Show PartUpdated");
        assertThat(step.effects()).contains(new Effect.ContextPart(running));

        State withChild = on(attachedTo(MAIN), new Event.SessionCreated(CHILD)).state();
        assertThat(withChild.family()).containsExactlyInAnyOrder(MAIN.id(), CHILD.id());
        var childTool = new Part.Tool(PartId.next(), CHILD.id(), MessageId.next(), "call_2", "read",
                new ToolState.Running(new RawJson("{}"), "read", 1_000, ""));
        Step ofChild = on(withChild, new Event.PartUpdated(childTool));
        assertThat(ofChild.effects()).as("a subagent's turn is not the transcript's").isEmpty();
        assertThat(ofChild.state()).isSameAs(withChild);
    }

    @Test
    void aPermissionAskOpensInThePanelUntilItIsAnsweredElsewhere() {
        var ask = asked(MAIN.id());
        State before = attachedTo(MAIN);
        Step opened = on(before, ask);
        assertThat(opened.state().asks().isEmpty()).isFalse();
        assertThat(kinds(opened)).containsExactly("Notify", "Show PermissionAsked");
        assertThat(before.asks().isEmpty()).as("the state before is left as it was").isTrue();

        Step replied = on(opened.state(), new Event.PermissionReplied(MAIN.id(), ask.request().id(), PermissionReply.ONCE));
        assertThat(replied.state().asks().isEmpty()).isTrue();
    }

    @Test
    void aSubagentsAskIsOpenedOnceItIsOfTheFamilyAndOnAWatchedSessionOnlySaid() {
        Step stranger = on(attachedTo(MAIN), asked(CHILD.id()));
        assertThat(stranger.state().asks().isEmpty()).as("not yet of the family").isTrue();
        assertThat(stranger.effects()).isEmpty();

        State family = on(attachedTo(MAIN), new Event.SessionCreated(CHILD)).state();
        Step childAsks = on(family, asked(CHILD.id()));
        assertThat(childAsks.state().asks().isEmpty()).isFalse();
        assertThat(kinds(childAsks)).as("told, never drawn as the session's own").containsExactly("Notify");

        State watching = family.withAsks(new AskState(family.asks().panel(), Optional.of("ana")));
        Step theirs = on(watching, asked(MAIN.id()));
        assertThat(theirs.state().asks().isEmpty()).isTrue();
        assertThat(theirs.effects().getFirst()).isInstanceOfSatisfying(Effect.Ask.class,
                a -> assertThat(a.effect()).isInstanceOfSatisfying(AskSignals.Effect.SayWaiting.class, w -> assertThat(w.line()).contains("ana")));
    }

    @Test
    void afterAnotherSessionIsAttachedTheOldOnesEventsChangeNothing() {
        State other = attachedTo(OTHER);
        for (Event old : List.of(asked(MAIN.id()), new Event.SessionStatusChanged(MAIN.id(), new SessionStatus.Busy()),
                new Event.TodoUpdated(MAIN.id(), List.of(new Todo("x", Todo.Status.PENDING, Todo.Priority.LOW))), new Event.SessionUpdated(MAIN))) {
            Step step = on(other, old);
            assertThat(step.state()).isSameAs(other);
            assertThat(step.effects()).isEmpty();
        }
        Step sameModel = on(other, new Event.SessionUpdated(OTHER));
        assertThat(kinds(sameModel)).containsExactly("Notify", "Settled", "Show SessionUpdated");
        Session switched = session("ses_other", Optional.empty(), "fake/bigger");
        Step newModel = on(other, new Event.SessionUpdated(switched));
        assertThat(kinds(newModel)).containsExactly("Notify", "Settled", "LimitModels", "Show SessionUpdated");
        assertThat(newModel.state().session()).contains(switched);
    }

    @Test
    void aResyncFetchesAgainAndBringsTheTurnUpToDateWithoutPrintingTwice() {
        State before = attachedTo(MAIN);
        Step resync = on(before, new Event.Resync());
        assertThat(kinds(resync)).containsExactly("Resync", "LoadMcp", "LoadBlocked");
        assertThat(resync.state()).isSameAs(before);

        var user = new MessageWithParts(new UserMessage(MessageId.next(), MAIN.id(), 2_000, "build", "fake/m"), List.of());
        MessageId answerId = MessageId.next();
        var text = new Part.Text(PartId.next(), MAIN.id(), answerId, "Looking at the build", false);
        var answer = new MessageWithParts(answer(answerId, 3_000, Optional.empty()), List.of(text));
        Session stored = session("ses_main", Optional.empty(), "fake/m");
        var todo = new Todo("fix line 3", Todo.Status.IN_PROGRESS, Todo.Priority.HIGH);
        Step caughtUp = ServerSignals.resynced(attachedTo(MAIN), stored, List.of(user, answer), new SessionStatus.Busy(), List.of(todo), 10_000);
        assertThat(caughtUp.state().turn().busy()).isTrue();
        assertThat(caughtUp.state().turn().busySince()).as("the running answer's start").isEqualTo(3_000);
        assertThat(caughtUp.state().todos()).containsExactly(todo);
        assertThat(kinds(caughtUp)).containsExactly("ReloadSpend", "Show MessageUpdated", "Show MessageUpdated", "Show PartUpdated",
                "Show SessionStatusChanged", "LoadAsks");
        assertThat(caughtUp.effects().getLast()).isEqualTo(new Effect.LoadAsks(MAIN.id()));

        var future = new MessageWithParts(answer(answerId, 50_000, Optional.empty()), List.of());
        Step skewed = ServerSignals.resynced(attachedTo(MAIN), stored, List.of(future), new SessionStatus.Busy(), List.of(), 10_000);
        assertThat(skewed.state().turn().busySince()).as("never in this client's future").isEqualTo(10_000);
    }

    @Test
    void aQueuedMessageTheServerWithdrewComesBackAfterWhatIsTypedOnce() {
        MessageId queued = MessageId.next();
        State typed = attachedTo(MAIN).withQueued(Map.of(queued, "run the tests too")).withPrompt(PromptState.empty().withText("and then"));
        Step back = on(typed, new Event.MessageRemoved(MAIN.id(), queued));
        assertThat(back.state().prompt().text()).isEqualTo("and then\nrun the tests too");
        assertThat(back.state().queued()).isEmpty();
        assertThat(back.effects()).contains(new Effect.Notice(Role.MUTED,
                "↩ Not sent to the model: the turn was interrupted; your queued message is back in the input"));
        Step again = on(back.state(), new Event.MessageRemoved(MAIN.id(), queued));
        assertThat(again.state().prompt().text()).isEqualTo("and then\nrun the tests too");
        assertThat(again.effects()).noneMatch(Effect.Notice.class::isInstance);

        var notRun = new Part.Text(PartId.next(), MAIN.id(), queued, PromptNotRun.TEXT, true);
        Step marked = on(attachedTo(MAIN).withQueued(Map.of(queued, "run the tests too")), new Event.PartUpdated(notRun));
        assertThat(marked.state().prompt().text()).isEqualTo("run the tests too");
    }

    @Test
    void aRefusedConnectionIsToldOnceAndCountedInTheFooter() {
        var blocked = new Event.NetworkBlocked("", "api.example.com", "webfetch");
        Step told = on(attachedTo(MAIN), blocked);
        assertThat(told.effects()).containsExactly(new Effect.Notice(Role.WARNING, "⊘ local-only: blocked webfetch → api.example.com (nothing was sent)"));
        assertThat(told.state().prompt().hint()).isEqualTo("local-only: 1 connection blocked (lathe doctor lists them)");
        Step again = on(told.state(), blocked);
        assertThat(again.effects()).isEmpty();
        assertThat(again.state().blocked()).isSameAs(told.state().blocked());
    }

    @Test
    void configEventsOfThisFolderAreSaidAndSignInsGoToTheirCommand() {
        assertThat(kinds(on(attachedTo(MAIN), new Event.ConfigUpdated(FOLDER)))).containsExactly("LoadMcp", "Notice");
        assertThat(on(attachedTo(MAIN), new Event.ConfigUpdated("/elsewhere")).effects()).isEmpty();
        assertThat(on(attachedTo(MAIN), new Event.ConfigErrored(FOLDER, "bad json")).effects().getFirst())
                .isInstanceOfSatisfying(Effect.Error.class, e -> assertThat(e.text()).startsWith("config: bad json"));
        var signedIn = new Event.ProviderSignInFinished("openai", true, Optional.empty());
        assertThat(on(attachedTo(MAIN), signedIn).effects()).containsExactly(new Effect.CommandFinished(signedIn));
    }

    @Test
    void aMissedIdleIsFoundByPollingOnlyWhileBusy() {
        assertThat(ServerSignals.polls(attachedTo(MAIN))).isFalse();
        State busy = attachedTo(MAIN).withTurn(TurnState.idle().statusChanged(new SessionStatus.Busy(), 1_000));
        assertThat(ServerSignals.polls(busy)).isTrue();
        Step idle = ServerSignals.polled(busy, new SessionStatus.Idle());
        assertThat(idle.state().turn().busy()).isFalse();
        assertThat(idle.effects()).containsExactly(new Effect.Show(new Event.SessionStatusChanged(MAIN.id(), new SessionStatus.Idle())));
        assertThat(ServerSignals.polled(busy, new SessionStatus.Busy()).effects()).isEmpty();
    }
}
