package dev.lathe.tui.view;

import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.ToolDisplay;
import dev.lathe.protocol.session.ToolState;
import dev.lathe.protocol.session.UserMessage;
import java.time.Instant;
import java.util.List;

/**
 * A session as a Markdown document ({@code /export}): to read, share or paste, where the JSON export is for
 * {@code lathe import}. Each prompt and answer is a section; reasoning is quoted; each tool call is a line with its
 * whole output in a fence longer than any backtick run inside it, so no output can break out of its block.
 */
public final class SessionMarkdown {
    private SessionMarkdown() {}

    public static String of(Session session, List<MessageWithParts> messages) {
        var out = new StringBuilder();
        out.append("# ").append(session.title().isBlank() ? "Lathe session" : session.title()).append("\n\n");
        out.append('`').append(session.id().value()).append("` · ").append(session.directory()).append(" · ").append(session.model())
                .append(" · exported ").append(Instant.now().toString(), 0, 16).append("Z\n");
        for (MessageWithParts m : messages) {
            switch (m.info()) {
                case UserMessage _ -> out.append("\n## You\n");
                case AssistantMessage a -> out.append("\n## ").append(a.agent()).append(" · ").append(a.model()).append('\n');
            }
            for (Part p : m.parts()) part(out, p);
            if (m.info() instanceof AssistantMessage a) a.error().ifPresent(e -> out.append("\n*").append(e.kind()).append(": ").append(e.message()).append("*\n"));
        }
        return out.toString();
    }

    private static void part(StringBuilder out, Part p) {
        switch (p) {
            case Part.Text t when !t.synthetic() && !t.text().isBlank() -> out.append('\n').append(t.text().strip()).append('\n');
            case Part.Reasoning r when !r.text().isBlank() -> {
                out.append('\n');
                r.text().strip().lines().forEach(l -> out.append("> ").append(l).append('\n'));
            }
            case Part.Tool t -> tool(out, t);
            case Part.File f -> out.append("\n📎 ").append(f.name()).append('\n');
            case Part.Compaction c -> out.append("\n---\n*context compacted").append(c.auto() ? " automatically" : "").append("*\n");
            case Part.Text _, Part.Reasoning _, Part.StepStart _, Part.StepFinish _, Part.Patch _, Part.Subtask _,
                    Part.Retry _, Part.ModelSwitch _, Part.Hook _ -> { }
        }
    }

    private static void tool(StringBuilder out, Part.Tool t) {
        ToolState state = t.state();
        String summary = ToolSummary.of(t.tool(), state);
        out.append("\n**").append(t.tool()).append("**");
        if (!summary.isEmpty()) out.append(' ').append(inlineCode(summary));
        String body = switch (state) {
            case ToolState.Pending _ -> "";
            case ToolState.Running r -> r.output() == null ? "" : r.output();
            case ToolState.Completed c -> {
                ToolView.failedCommand(c).ifPresent(why -> out.append(" — ").append(why));
                yield c.display().orElse(null) instanceof ToolDisplay.FileChange change && !change.diff().isBlank() ? change.diff()
                        : c.display().orElse(null) instanceof ToolDisplay.SubagentRun run ? run.report() : c.output() == null ? "" : c.output();
            }
            case ToolState.Failed f -> {
                out.append(" — failed");
                yield f.error();
            }
        };
        out.append('\n');
        if (body.isBlank()) return;
        boolean diff = state instanceof ToolState.Completed c && c.display().orElse(null) instanceof ToolDisplay.FileChange;
        String fence = fence(body);
        out.append('\n').append(fence).append(diff ? "diff" : "text").append('\n').append(body.stripTrailing()).append('\n').append(fence).append('\n');
    }

    /** Backticks one longer than the longest run in {@code text}, at least three. */
    static String fence(String text) {
        int longest = 0;
        int run = 0;
        for (int i = 0; i < text.length(); i++) {
            run = text.charAt(i) == '`' ? run + 1 : 0;
            longest = Math.max(longest, run);
        }
        return "`".repeat(Math.max(3, longest + 1));
    }

    private static String inlineCode(String text) {
        String one = text.replace('\n', ' ');
        return one.contains("`") ? "`` " + one + " ``" : "`" + one + "`";
    }
}
