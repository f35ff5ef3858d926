package dev.lathe.tui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.protocol.ProjectId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.BackgroundTask;
import dev.lathe.protocol.api.ChildSession;
import dev.lathe.protocol.api.LatheApi;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.Usage;
import dev.lathe.term.VisibleControls;
import dev.lathe.tui.text.Theme;
import dev.lathe.tui.view.Picker;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.jline.utils.AttributedString;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code /agents} in the terminal UI, against a stand-in server: the rows, watching, prompting and cancelling a child. */
class AgentsCommandTest {
    private static final SessionId PARENT = new SessionId("ses_parent");
    private static final Session SESSION = session(PARENT, Optional.empty(), "the parent", 0, 0);
    private static final long NOW = System.currentTimeMillis();

    private final List<SessionId> aborted = new CopyOnWriteArrayList<>();
    private final List<ChildSession> children = new CopyOnWriteArrayList<>();
    private final FakeHost host = new FakeHost();

    @AfterEach
    void close() {
        host.thread.shutdownNow();
    }

    private static Session session(SessionId id, Optional<SessionId> parent, String title, long cost, long updatedAt) {
        return new Session(id, new ProjectId("prj_1"), "/tmp/p", parent, title, "scout", "fake/m", updatedAt - 1, updatedAt, Optional.empty(),
                new Usage(100, 20, 0, 0, 0), cost, Optional.empty());
    }

    private static ChildSession child(String id, String title, String status, long cost, long updatedAt) {
        return new ChildSession(session(new SessionId(id), Optional.of(PARENT), title, cost, updatedAt), status,
                Optional.of(new BackgroundTask(status, "scout", title, updatedAt - 1, Optional.empty())));
    }

    @Test
    void aLinePerChildRunningFirstWithStatusCostAndLastActivity() throws Exception {
        children.add(child("ses_done", "Old survey (@scout subagent)", "completed", 2_500, NOW - 3_600_000));
        children.add(child("ses_run", "Survey tests (@scout subagent)", "running", 12_300, NOW - 120_000));
        host.onUi(new AgentsCommand(host)::run);
        List<String> rows = host.rows();
        assertThat(rows.get(0)).contains("Subagents of this session");
        assertThat(String.join("\n", rows)).containsSubsequence("Survey tests", "Old survey");
        assertThat(rows).anySatisfy(r -> assertThat(r).contains("Survey tests").contains("running · $0.0123 · 2m ago · ses_run"));
        assertThat(rows).anySatisfy(r -> assertThat(r).contains("Old survey").contains("completed · $0.0025 · 1h ago · ses_done"));
    }

    @Test
    void pickingARunningChildOffersWatchPromptCancelAndCancelAbortsItsSession() throws Exception {
        children.add(child("ses_run", "Survey tests (@scout subagent)", "running", 0, NOW));
        var command = new AgentsCommand(host);
        host.onUi(command::run);
        host.choose(0);
        assertThat(host.rows()).anySatisfy(r -> assertThat(r).contains("Watch it")).anySatisfy(r -> assertThat(r).contains("Prompt it"))
                .anySatisfy(r -> assertThat(r).contains("Cancel it"));
        host.choose(2);
        await(() -> host.said().contains("Cancelled Survey tests"));
        assertThat(aborted).containsExactly(new SessionId("ses_run"));

        host.onUi(command::run);
        host.choose(0);
        host.choose(1);  // prompt it: attached, the input says to whom
        assertThat(host.attached).isEqualTo(new SessionId("ses_run"));
        assertThat(host.hint).contains("scout");
    }

    @Test
    void anEndedChildIsWatchedButNotOfferedToCancel() throws Exception {
        children.add(child("ses_done", "Old survey (@scout subagent)", "completed", 0, NOW));
        var command = new AgentsCommand(host);
        host.onUi(command::run);
        host.choose(0);
        assertThat(host.rows()).noneSatisfy(r -> assertThat(r).contains("Cancel it"));
        host.choose(0);
        assertThat(host.attached).isEqualTo(new SessionId("ses_done"));
    }

    @Test
    void aSessionWithoutChildrenSaysSo() throws Exception {
        host.onUi(new AgentsCommand(host)::run);
        assertThat(host.said()).contains("No subagents in this session yet");
        assertThat(host.picker).isNull();
    }

    /** Attack: a title the model chose with escape sequences is drawn with its controls visible, never raw. */
    @Test
    void aTitleWithEscapeSequencesNeverReachesTheTerminalRaw() throws Exception {
        children.add(child("ses_evil", "x\u001b]0;owned\u0007\u001b[2J\u009b31m (@scout subagent)", "running", 0, NOW));
        host.onUi(new AgentsCommand(host)::run);
        String screen = String.join("\n", host.rows());
        assertThat(screen).contains("owned").doesNotContain("\u001b").doesNotContain("\u0007").doesNotContain("\u009b");
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out");
            Thread.sleep(10);
        }
    }

    private final class FakeHost implements AgentsCommand.Host {
        final ExecutorService thread = Executors.newSingleThreadExecutor();
        final List<String> notices = new CopyOnWriteArrayList<>();
        volatile Picker<?> picker;
        volatile Consumer<Object> onChoice;
        volatile SessionId attached;
        volatile String hint;
        final LatheApi api = (LatheApi) Proxy.newProxyInstance(LatheApi.class.getClassLoader(), new Class<?>[] {LatheApi.class}, (self, method, args) ->
                switch (method.getName()) {
                    case "childSessions" -> List.copyOf(children);
                    case "abort" -> {
                        aborted.add((SessionId) args[0]);
                        yield null;
                    }
                    default -> throw new UnsupportedOperationException(method.getName());
                });

        void onUi(Runnable work) throws Exception {
            thread.submit(work).get();
        }

        void choose(int row) throws Exception {
            onUi(() -> {
                picker.select(row);
                Object value = picker.chosen().orElseThrow();
                picker = null;
                onChoice.accept(value);
            });
        }

        /** The picker as the screen draws it: every row through the terminal-text guard, as InlineScreen does. */
        List<String> rows() {
            return picker.render(Theme.plain(), 200).stream().map(VisibleControls::line).map(AttributedString::toString).toList();
        }

        String said() {
            return String.join("\n", notices);
        }

        @Override public LatheApi api() { return api; }
        @Override public String directory() { return "/tmp/p"; }
        @Override public Theme theme() { return Theme.plain(); }
        @Override public void notice(String text) { notices.add(text); }
        @Override public void notice(List<AttributedString> lines) { lines.forEach(l -> notices.add(l.toString())); }
        @Override public void error(String text) { notices.add("✗ " + text); }
        @Override public void later(Runnable followUp) { thread.submit(followUp); }
        @Override public Optional<Session> session() { return Optional.of(SESSION); }
        @Override public void attach(Session s) { attached = s.id(); }

        @Override
        public void openPicker(Picker<?> p, Consumer<Object> choice) {
            picker = p;
            onChoice = choice;
        }

        @Override public void offerInput(String text, String hint) { this.hint = hint; }
    }
}
