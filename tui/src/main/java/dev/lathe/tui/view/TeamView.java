package dev.lathe.tui.view;

import dev.lathe.protocol.api.TeamInfo;
import dev.lathe.protocol.session.SessionStatus;
import dev.lathe.tui.text.Role;
import dev.lathe.tui.text.Theme;
import dev.lathe.tui.text.Wrap;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;

/**
 * The agent team's board in the live region ({@code /team}, DESIGN §18 "Agent teams"): a heading, a line per member
 * (name, agent, model, status), the task list (id, status, title, owner, the open tasks it waits for) and the newest messages,
 * each on one row cut to the width. Names, titles and message texts are agents' words: a message's line breaks become
 * spaces, and the screen shows any control character in them as a visible mark ({@code VisibleControls}, DESIGN §24).
 */
public final class TeamView {
    /** The newest messages shown: the rest are in the members' sessions and {@code GET /teams/{id}}. */
    static final int MESSAGES = 3;
    /** The tasks shown: the open ones first when there are more. */
    static final int TASKS = 8;

    private TeamView() {}

    public static List<AttributedString> render(TeamInfo team, Theme theme, int width) {
        var out = new ArrayList<AttributedString>();
        long done = team.tasks().stream().filter(t -> t.status().equals("completed")).count();
        out.add(AttributedString.EMPTY);
        out.add(line(new AttributedStringBuilder().styled(theme.style(Role.ACCENT), "⚑ Team " + oneLine(team.name()))
                .styled(theme.style(Role.MUTED), " · " + team.members().size() + (team.members().size() == 1 ? " member" : " members") + " · "
                        + done + "/" + team.tasks().size() + " tasks done · /team hides"), width));
        int nameWidth = team.members().stream().mapToInt(m -> m.name().length()).max().orElse(4);
        for (TeamInfo.Member m : team.members()) {
            boolean working = !(m.status() instanceof SessionStatus.Idle);
            out.add(line(new AttributedStringBuilder().styled(theme.style(working ? Role.ACCENT : Role.MUTED), working ? "  ● " : "  ○ ")
                    .styled(theme.style(Role.TEXT), pad(m.name(), nameWidth)).styled(theme.style(Role.MUTED), "  " + m.agent() + " · " + m.model() + " · ")
                    .styled(theme.style(working ? Role.ACCENT : Role.MUTED), word(m.status())), width));
        }
        List<TeamInfo.Task> tasks = team.tasks();
        // a dependency shown is one still open: "after #1" goes once #1 is completed
        Set<Integer> completed = tasks.stream().filter(t -> t.status().equals("completed")).map(TeamInfo.Task::id).collect(Collectors.toSet());
        if (tasks.size() > TASKS) {
            // the open ones matter more than the done ones: those first, by id
            tasks = tasks.stream().sorted((a, b) -> Boolean.compare(a.status().equals("completed"), b.status().equals("completed"))).limit(TASKS).toList();
        }
        for (TeamInfo.Task t : tasks) {
            Role role = switch (t.status()) {
                case "completed" -> Role.MUTED;
                case "in_progress" -> Role.ACCENT;
                default -> Role.TEXT;
            };
            String mark = switch (t.status()) {
                case "completed" -> "☑";
                case "in_progress" -> "◐";
                default -> "☐";
            };
            var row = new AttributedStringBuilder().styled(theme.style(role), "  #" + t.id() + " " + mark + " " + oneLine(t.title()));
            t.owner().ifPresent(o -> row.styled(theme.style(Role.MUTED), " · " + o));
            List<Integer> waitsFor = t.status().equals("completed") ? List.of() : t.dependsOn().stream().filter(d -> !completed.contains(d)).toList();
            if (!waitsFor.isEmpty()) row.styled(theme.style(Role.MUTED), " · after " + String.join(", ", waitsFor.stream().map(d -> "#" + d).toList()));
            out.add(line(row, width));
        }
        if (team.tasks().size() > tasks.size()) out.add(theme.paint(Role.MUTED, "  … " + (team.tasks().size() - tasks.size()) + " more tasks"));
        List<TeamInfo.Message> messages = team.messages();
        for (TeamInfo.Message m : messages.subList(Math.max(0, messages.size() - MESSAGES), messages.size())) {
            out.add(line(new AttributedStringBuilder().styled(theme.style(Role.USER), "  " + m.from() + " → " + m.to() + ": ")
                    .styled(theme.style(Role.TEXT), oneLine(m.text())), width));
        }
        return out;
    }

    /** What a member's status says on its line. */
    static String word(SessionStatus status) {
        return switch (status) {
            case SessionStatus.Idle _ -> "idle";
            case SessionStatus.Busy _ -> "working";
            case SessionStatus.Retry r -> "retrying (attempt " + r.attempt() + ")";
            case SessionStatus.Waiting _ -> "waiting for your answer";
            case SessionStatus.Queued _ -> "queued";
        };
    }

    /** An agent's text on one row: its line breaks and tabs as spaces (controls stay, for the screen to show). */
    public static String oneLine(String text) {
        return text.replaceAll("[\\r\\n\\t]+", " ").strip();
    }

    private static String pad(String s, int width) { return s + " ".repeat(Math.max(0, width - s.length())); }

    private static AttributedString line(AttributedStringBuilder b, int width) { return Wrap.truncate(b.toAttributedString(), width); }
}
