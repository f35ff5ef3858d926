package dev.lathe.tui;

import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.DiffPage;
import dev.lathe.protocol.api.DiffQuery;
import dev.lathe.protocol.api.DiffScope;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.event.Event;
import dev.lathe.tui.text.Theme;
import dev.lathe.tui.view.DiffPanelView;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.jline.utils.AttributedString;

/**
 * {@code /diff [turn|session|uncommitted|branch]} in the terminal UI (DESIGN §32): the attached session's diff in the
 * live region ({@link DiffPanelView}), fetched when shown and again on each {@code diff.updated} of the session (the
 * server sends one at most every 300 ms while a turn edits), so it follows the turn as it writes. Never polled. One
 * fetch at a time on a virtual thread; what arrives meanwhile asks for one more. {@code /diff} again (or {@code /diff
 * off}) hides it; another scope switches to it. State is the UI loop's: changed only on its thread ({@link Host#later}).
 */
final class DiffPanel {
    /** The files fetched: the panel shows far fewer rows, the count says how many there are. */
    private static final int FILES = 50;

    /** What the panel tells the user, and the UI loop it changes its state on. */
    interface Host {
        void notice(String text);

        void error(String text);

        /** Runs {@code followUp} on the UI loop's thread. */
        void later(Runnable followUp);
    }

    private final AttachedSession attached;
    private final ServerConnection server;
    private final Theme theme;
    private final Host ui;
    private Optional<DiffScope> shown = Optional.empty();
    private Optional<DiffPage> page = Optional.empty();
    private Optional<SessionId> of = Optional.empty();
    private boolean loading;
    private boolean again;

    DiffPanel(AttachedSession attached, ServerConnection server, Theme theme, Host ui) {
        this.attached = attached;
        this.server = server;
        this.theme = theme;
        this.ui = ui;
    }

    /** {@code /diff ARGUMENTS}: shows the scope named (the turn's by default), hides it when shown already. */
    void run(String arguments) {
        String word = arguments.strip();
        if (word.equals("off") || (word.isEmpty() && shown.isPresent())) {
            hide();
            return;
        }
        DiffScope scope;
        try {
            scope = word.isEmpty() ? DiffScope.TURN : DiffScope.parse(word);
        } catch (LatheException.InvalidInput e) {
            ui.error("/diff takes " + DiffScope.names() + " or off, not " + word);
            return;
        }
        if (shown.equals(Optional.of(scope))) {
            hide();
            return;
        }
        if (attached.session().isEmpty()) {
            ui.notice("No diff yet: no session.");
            return;
        }
        shown = Optional.of(scope);
        page = Optional.empty();
        load(true);
    }

    private void hide() {
        shown = Optional.empty();
        page = Optional.empty();
        ui.notice("Diff hidden; /diff shows it again.");
    }

    /** A server event: the diff is fetched again when the server says it may have changed, or a turn of the session ended. */
    void onEvent(Event event) {
        if (shown.isEmpty() || attached.session().isEmpty()) return;
        SessionId id = attached.session().get().id();
        boolean changed = switch (event) {
            case Event.DiffUpdated d -> d.sessionId().equals(id);
            case Event.SessionStatusChanged s -> s.sessionId().equals(id);
            default -> false;
        };
        if (changed) load(false);
    }

    /** The panel's rows for the live region; none when hidden or not loaded yet. */
    List<AttributedString> lines(int width) {
        if (shown.isEmpty()) return List.of();
        // the UI moved to another session (/sessions, /new): fetched for that one (once: a failed fetch still records
        // the session it was for, so a server that refuses does not get a request per frame)
        if (!attached.session().map(s -> s.id()).equals(of)) {
            if (!loading) load(false);
            return List.of();
        }
        if (page.isEmpty()) return List.of();
        return DiffPanelView.render(shown.get(), page.get(), theme, width);
    }

    private void load(boolean asked) {
        if (attached.session().isEmpty() || shown.isEmpty()) return;
        if (loading) {
            again = true;
            return;
        }
        loading = true;
        SessionId id = attached.session().get().id();
        DiffScope scope = shown.get();
        var api = server.api();
        Thread.ofVirtual().name("lathe-diff-panel").start(() -> {
            Runnable followUp;
            try {
                DiffPage fetched = api.diff(id, new DiffQuery(scope, OptionalInt.of(FILES), Optional.empty()));
                followUp = () -> loaded(id, scope, Optional.of(fetched));
            } catch (RuntimeException e) {
                String message = e.getMessage() == null ? e.toString() : e.getMessage();
                followUp = () -> {
                    loaded(id, scope, Optional.empty());
                    if (asked) {
                        shown = Optional.empty();
                        ui.error("Cannot show the " + scope.wire() + " diff: " + message);
                    }
                };
            }
            ui.later(followUp);
        });
    }

    private void loaded(SessionId id, DiffScope scope, Optional<DiffPage> fetched) {
        loading = false;
        // an answer for a scope or session no longer shown is dropped: the next load asks for the one shown
        if (shown.equals(Optional.of(scope))) {
            if (fetched.isPresent()) page = fetched;
            else if (!of.equals(Optional.of(id))) page = Optional.empty();
            of = Optional.of(id);
        }
        if (again || (shown.isPresent() && !shown.equals(Optional.of(scope)))) {
            again = false;
            load(false);
        }
    }
}
