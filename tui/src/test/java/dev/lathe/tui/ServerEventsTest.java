package dev.lathe.tui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.PermissionId;
import dev.lathe.protocol.ProjectId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.LatheApi;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.event.PermissionRequest;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.SessionStatus;
import dev.lathe.protocol.session.Todo;
import dev.lathe.protocol.session.Usage;
import dev.lathe.tui.input.Keybindings;
import dev.lathe.tui.text.Theme;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import org.jline.utils.AttributedString;
import org.junit.jupiter.api.Test;

/**
 * What a server event changes in the terminal UI's state, without a terminal: ServerEvents is given the UI's state and
 * a host for the rest, so a test builds them as the UI does and reads them back.
 */
class ServerEventsTest {
    private static final String FOLDER = "/tmp/p";
    private static final Session MAIN = session(new SessionId("ses_main"), Optional.empty());
    private static final Session CHILD = session(new SessionId("ses_child"), Optional.of(MAIN.id()));

    private final LatheApi api = (LatheApi) Proxy.newProxyInstance(LatheApi.class.getClassLoader(), new Class<?>[] {LatheApi.class},
            (self, method, args) -> { throw new UnsupportedOperationException(method.getName()); });
    private final ServerConnection server = new ServerConnection(new ServerLink.Connection(api, "test", () -> { }), FOLDER, new LinkedBlockingQueue<>());
    private final UiState state = new UiState(server, FOLDER, new UiConfig(Theme.plain(), Keybindings.defaults(), "fake/m", List.of()));
    private final AttachedSession attached = state.attached();
    private final Composer composer = state.composer();
    private final OpenAsks asks = state.asks();
    private final List<String> said = new ArrayList<>();
    private final ServerEvents events = new ServerEvents(state, server, event -> false, new Host());

    private static Session session(SessionId id, Optional<SessionId> parent) {
        return new Session(id, new ProjectId("prj_1"), FOLDER, parent, "a title", "build", "fake/m", 1, 2, Optional.empty(), Usage.ZERO, 0,
                Optional.empty());
    }

    private static Event asked(SessionId of) {
        return new Event.PermissionAsked(new PermissionRequest(PermissionId.next(), of, MessageId.next(), "c1", "bash", List.of("ls"), List.of(),
                "bash ls", Map.of(), 0, Optional.empty()));
    }

    @Test
    void aQueuedMessageTheServerWithdrewComesBackAfterWhatIsTyped() {
        attached.attach(MAIN);
        MessageId queued = MessageId.next();
        composer.queued(queued, "run the tests too");
        composer.state(composer.state().withText("and then"));
        events.onEvent(new Event.MessageRemoved(MAIN.id(), queued));
        assertThat(composer.text()).isEqualTo("and then\nrun the tests too");
        assertThat(String.join("\n", said)).contains("your queued message is back in the input");
        events.onEvent(new Event.MessageRemoved(MAIN.id(), queued));
        assertThat(composer.text()).as("told once").isEqualTo("and then\nrun the tests too");
    }

    @Test
    void aSubagentsAskIsOpenedAndOneOfAnotherSessionIsNot() {
        attached.attach(MAIN);
        events.onEvent(asked(CHILD.id()));
        assertThat(asks.isEmpty()).as("not yet of the family").isTrue();
        events.onEvent(new Event.SessionCreated(CHILD));
        events.onEvent(asked(CHILD.id()));
        assertThat(asks.isEmpty()).isFalse();
        assertThat(attached.inFamily(CHILD.id())).isTrue();
    }

    @Test
    void theAttachedSessionsStatusAndTodosReplaceTheShownOnes() {
        attached.attach(MAIN);
        events.onEvent(new Event.SessionStatusChanged(MAIN.id(), new SessionStatus.Busy()));
        assertThat(attached.busy()).isTrue();
        var todo = new Todo("write the test", Todo.Status.IN_PROGRESS, Todo.Priority.HIGH);
        events.onEvent(new Event.TodoUpdated(MAIN.id(), List.of(todo)));
        assertThat(attached.todos()).containsExactly(todo);
        events.onEvent(new Event.SessionStatusChanged(MAIN.id(), new SessionStatus.Idle()));
        assertThat(attached.busy()).isFalse();
    }

    private final class Host implements ServerEvents.Host {
        @Override public void notice(List<AttributedString> lines) { lines.forEach(l -> said.add(l.toString())); }

        @Override public void error(String text) { said.add("✗ " + text); }

        @Override public void askEffect(AskSignals.Effect effect) { said.add(effect.toString()); }

        @Override public void loadAsks(SessionId id) { }

        @Override public void loadBlocked() { }

        @Override public void notify(Event event, String title) { }
    }
}
