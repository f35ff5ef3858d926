package dev.lathe.tui;

import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.ForkRequest;
import dev.lathe.protocol.api.SessionSummary;
import dev.lathe.protocol.api.TeamPlace;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.SessionStatus;
import dev.lathe.tui.view.Picker;
import dev.lathe.tui.view.TeamView;
import dev.lathe.tui.view.WorktreeLabel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /sessions} (and Ctrl-X L): the folder's sessions in a picker, each with its subagent sessions under it; Enter
 * switches to one, Ctrl-N starts a new one, Ctrl-F forks the highlighted one and opens the fork.
 */
final class SessionsCommand {
    /** What switching sessions needs of the UI: a command's needs, the open session, the picker, and attaching. */
    interface Host extends CommandHost {
        Optional<Session> session();

        /** Opens the sessions picker (it takes Ctrl-N and Ctrl-F besides Enter). */
        void openPicker(PickerState picker);

        /** Shows {@code session} instead of the one open now, live. */
        void attach(Session session);
    }

    private final Host ui;

    SessionsCommand(Host ui) { this.ui = ui; }

    void run() {
        List<Session> list = withChildren(ui.api().sessions(ui.directory()));
        long now = System.currentTimeMillis();
        // on a team server each row names its owner (DESIGN §20); without accounts the row is as it was
        var owners = SessionOwners.of(ui.api());
        // what a session that is not idle does, a team's queued ones with their place (idle ones say nothing)
        var statuses = ui.api().statuses(ui.directory());
        var teams = teamPlaces(ui);
        var picker = Picker.of("Sessions", "enter switch · ctrl+n new · ctrl+f fork · esc close", list,
                s -> (s.parentId().isPresent() ? "  ↳ " : "") + (s.title().isBlank() ? "(untitled)" : s.title()) + teamMark(teams.get(s.id())),
                s -> statusWord(statuses.get(s.id())) + ago(now - s.updatedAt()) + (owners.none() ? "" : " · " + owners.of(s, list, ui.api()).orElse("no owner"))
                        + s.worktree().map(t -> " · " + WorktreeLabel.of(t)).orElse("") + " · " + s.id().value());
        ui.session().ifPresent(current -> picker.selectWhere(s -> s.id().equals(current.id())));
        ui.openPicker(PickerState.sessions(picker, chosen -> {
            Session s = (Session) chosen;
            if (ui.session().map(c -> c.id().equals(s.id())).orElse(false)) return;
            ui.attach(ui.api().session(s.id()));
        }));
    }

    /** Ctrl-F in the session picker: the session forked, and the fork opened. */
    void fork(Session s) {
        Session fork = ui.api().fork(s.id(), new ForkRequest(Optional.empty()));
        ui.attach(fork);
        ui.notice("⑂ Forked " + s.id().value() + " into " + fork.id().value());
    }

    /**
     * Where each session stands in an agent team, from the board the web UI reads too; none when the board cannot be
     * read (the picker still opens).
     */
    private static Map<SessionId, TeamPlace> teamPlaces(Host ui) {
        Map<SessionId, TeamPlace> out = new HashMap<>();
        try {
            for (SessionSummary row : ui.api().board()) row.team().ifPresent(t -> out.put(row.session().id(), t));
        } catch (RuntimeException e) {
            return Map.of();
        }
        return out;
    }

    /**
     * A team's mark after a row's title, as the {@code /team} board and the web board mark it: the lead with its team's
     * name and size, a member with its name and team. Names are the model's words, on one line.
     */
    static String teamMark(TeamPlace team) {
        if (team == null) return "";
        String name = TeamView.oneLine(team.name());
        String count = team.members() + (team.members() == 1 ? " member" : " members");
        return team.member().map(m -> "  ⚑ " + TeamView.oneLine(m) + " of team " + name).orElse("  ⚑ team " + name + " · " + count);
    }

    /** A session list row's status, e.g. {@code "queued (place 2) · "}; nothing for an idle session. */
    static String statusWord(SessionStatus status) {
        return switch (status) {
            case null -> "";
            case SessionStatus.Idle _ -> "";
            case SessionStatus.Queued q -> "queued (place " + q.position() + ") · ";
            default -> SessionStatus.typeOf(status) + " · ";
        };
    }

    /**
     * The sessions to pick from: top-level ones that are not archived, most recently used first, each followed by the
     * subagent sessions its {@code task} calls started (oldest first), so a child is opened from under its parent.
     */
    static List<Session> withChildren(List<Session> all) {
        Map<SessionId, List<Session>> children = new HashMap<>();
        for (Session s : all) s.parentId().ifPresent(p -> children.computeIfAbsent(p, _ -> new ArrayList<>()).add(s));
        var out = new ArrayList<Session>();
        all.stream().filter(s -> s.parentId().isEmpty() && s.archivedAt().isEmpty())
                .sorted(Comparator.comparingLong(Session::updatedAt).reversed())
                .forEach(s -> {
                    out.add(s);
                    children.getOrDefault(s.id(), List.of()).stream().sorted(Comparator.comparingLong(Session::createdAt)).forEach(out::add);
                });
        return out;
    }

    static String ago(long millis) {
        Duration d = Duration.ofMillis(Math.max(0, millis));
        if (d.toMinutes() < 1) return "just now";
        if (d.toHours() < 1) return d.toMinutes() + "m ago";
        if (d.toDays() < 1) return d.toHours() + "h ago";
        return d.toDays() + "d ago";
    }
}
