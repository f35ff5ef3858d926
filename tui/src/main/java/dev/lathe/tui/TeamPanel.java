package dev.lathe.tui;

import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.api.TeamInfo;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.ToolState;
import dev.lathe.protocol.session.UserMessage;
import dev.lathe.tui.text.Theme;
import dev.lathe.tui.view.TeamView;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jline.utils.AttributedString;

/**
 * {@code /team} in the terminal UI (issue 57, DESIGN §18 "Agent teams"): the agent team the attached session leads or
 * is a member of, shown in the live region until {@code /team} again hides it ({@link TeamView}). It is fetched once
 * ({@code GET /sessions/{id}/team}) and again only when an event says the team changed: a member or the lead changed
 * status, received a message, or finished a {@code team_tasks}, {@code send_message} or {@code team_create} call, or a
 * new member session was made. Never polled. One fetch at a time on a virtual thread; what arrives meanwhile asks for
 * one more. State is the UI loop's: changed only on its thread ({@link Host#later}).
 */
final class TeamPanel {
    /** The tools whose end changes the board: the task list, the message log, the members. */
    private static final Set<String> TEAM_TOOLS = Set.of("team_tasks", "send_message", "team_create");

    /** What the board tells the user, and the UI loop it changes its state on. */
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
    private boolean shown;
    private Optional<TeamInfo> team = Optional.empty();
    private boolean loading;
    private boolean again;

    TeamPanel(AttachedSession attached, ServerConnection server, Theme theme, Host ui) {
        this.attached = attached;
        this.server = server;
        this.theme = theme;
        this.ui = ui;
    }

    /** {@code /team}: shows the board, or hides it when shown. */
    void toggle() {
        if (shown) {
            shown = false;
            team = Optional.empty();
            ui.notice("Team board hidden; /team shows it again.");
            return;
        }
        if (attached.session().isEmpty()) {
            ui.notice("No agent team: no session yet.");
            return;
        }
        shown = true;
        load(true);
    }

    /** A server event: the board is fetched again when it says the team changed. */
    void onEvent(Event event) {
        if (shown && changes(event)) load(false);
    }

    /** The board's rows for the live region; none when hidden or not loaded yet. */
    List<AttributedString> lines(int width) {
        if (!shown || team.isEmpty()) return List.of();
        // the UI moved to a session of no member of this team (/sessions, /agents): fetched for that one
        if (attached.session().isPresent() && !sessions(team.get()).contains(attached.session().get().id())) {
            load(false);
            return List.of();
        }
        return TeamView.render(team.get(), theme, width);
    }

    private boolean changes(Event event) {
        java.util.function.Predicate<SessionId> watched = team.isPresent() ? sessions(team.get())::contains : attached::inFamily;
        return switch (event) {
            case Event.SessionStatusChanged s -> watched.test(s.sessionId());
            case Event.SessionCreated c -> c.session().parentId().filter(watched).isPresent();
            case Event.MessageUpdated m -> m.info() instanceof UserMessage u && watched.test(u.sessionId());
            case Event.PartUpdated p -> p.part() instanceof Part.Tool t && TEAM_TOOLS.contains(t.tool()) && watched.test(t.sessionId())
                    && (t.state() instanceof ToolState.Completed || t.state() instanceof ToolState.Failed);
            default -> false;
        };
    }

    private static Set<SessionId> sessions(TeamInfo team) {
        var out = new java.util.HashSet<SessionId>();
        out.add(team.lead());
        team.members().forEach(m -> out.add(m.sessionId()));
        return out;
    }

    private void load(boolean asked) {
        if (attached.session().isEmpty()) return;
        if (loading) {
            again = true;
            return;
        }
        loading = true;
        SessionId of = attached.session().get().id();
        var api = server.api();
        Thread.ofVirtual().name("lathe-team-board").start(() -> {
            Runnable followUp;
            try {
                TeamInfo info = api.sessionTeam(of);
                followUp = () -> loaded(Optional.of(info));
            } catch (LatheException.NotFound e) {
                followUp = () -> {
                    loaded(Optional.empty());
                    if (asked) {
                        shown = false;
                        ui.notice("This session is in no agent team. The team_create tool makes one (allowed by agents.maxTeamMembers in lathe.json).");
                    }
                };
            } catch (RuntimeException e) {
                String message = e.getMessage() == null ? e.toString() : e.getMessage();
                followUp = () -> {
                    loaded(team);
                    if (asked) ui.error("Cannot show the team: " + message);
                };
            }
            ui.later(followUp);
        });
    }

    private void loaded(Optional<TeamInfo> info) {
        loading = false;
        team = info;
        if (again) {
            again = false;
            load(false);
        }
    }
}
