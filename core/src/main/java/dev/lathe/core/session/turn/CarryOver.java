package dev.lathe.core.session.turn;

import dev.lathe.core.session.inbox.InboxHistory;
import dev.lathe.llm.TokenEstimate;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.Todo;
import dev.lathe.protocol.session.UserMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * What a compaction carries over verbatim, composed by Lathe rather than by the model so that nothing in it can be
 * paraphrased away (users' most common complaint about compaction is an agent that forgot its task and rules): the
 * user's original request, every later instruction they typed, the environment note, the files changed so far and the
 * todo list. The user's words are the instructions that must survive, so they are all kept, oldest dropped first only
 * when they alone would fill the budget.
 */
public final class CarryOver {
    static final String HEADER = "The conversation so far was compacted to fit the context window. Below are the user's "
            + "original request and later instructions verbatim, the files changed and the todo list; the summary of the work "
            + "follows in the next message.";

    private CarryOver() {}

    /** {@code before}: the stored history up to (not including) the first message kept verbatim. */
    static String compose(List<MessageWithParts> before, List<MessageWithParts> all, List<Todo> todos, int budgetTokens) {
        List<String> typed = new ArrayList<>();
        String environment = "";
        for (MessageWithParts m : before) {
            // a prompt queued behind the running turn is no part of it (its own turn carries it), nor is one left not run
            if (!(m.info() instanceof UserMessage) || UserShell.isNote(m) || InboxHistory.waits(m)) continue;
            String text = typedText(m);
            if (typed.isEmpty() && environment.isEmpty()) environment = environmentOf(m);
            if (!text.isBlank()) typed.add(text);
        }
        var out = new StringBuilder("<compacted-context>\n").append(HEADER).append("\n\n");
        if (!typed.isEmpty()) {
            out.append("## The user's original request (verbatim)\n").append(capped(typed.getFirst(), budgetTokens / 2)).append("\n\n");
        }
        List<String> later = typed.subList(Math.min(1, typed.size()), typed.size());
        if (!later.isEmpty()) {
            int room = budgetTokens - TokenEstimate.of(out.toString());
            List<String> kept = new ArrayList<>();
            for (String text : later.reversed()) {
                int size = TokenEstimate.of(text);
                if (size > room) break;
                kept.addFirst(text);
                room -= size;
            }
            out.append("## Later instructions from the user (verbatim, oldest first)\n");
            int omitted = later.size() - kept.size();
            if (omitted > 0) out.append("(").append(omitted).append(" earlier message(s) omitted: too long to carry over)\n");
            for (String text : kept) out.append("\n<user-message>\n").append(text).append("\n</user-message>\n");
            out.append('\n');
        }
        var files = new TreeSet<String>();
        for (MessageWithParts m : all) for (Part p : m.parts()) if (p instanceof Part.Patch patch) files.addAll(patch.files());
        if (!files.isEmpty()) {
            out.append("## Files changed so far\n");
            files.stream().limit(200).forEach(f -> out.append("- ").append(f).append('\n'));
            if (files.size() > 200) out.append("- (and ").append(files.size() - 200).append(" more)\n");
            out.append('\n');
        }
        if (!todos.isEmpty()) {
            out.append("## Todo list\n");
            for (Todo t : todos) out.append("- [").append(t.status().wire()).append("] ").append(t.content()).append('\n');
            out.append('\n');
        }
        if (!environment.isEmpty()) out.append(environment).append('\n');
        return out.append("</compacted-context>").toString();
    }

    /** What the user typed in a message: its text parts that Lathe did not add, and the names of attached files. */
    public static String typedText(MessageWithParts m) {
        var sb = new StringBuilder();
        for (Part p : m.parts()) {
            switch (p) {
                case Part.Text t when !t.synthetic() -> sb.append(sb.isEmpty() ? "" : "\n").append(t.text());
                case Part.File f -> sb.append(sb.isEmpty() ? "" : "\n").append("[attached file ").append(f.name()).append(']');
                case Part.Text _, Part.Reasoning _, Part.Tool _, Part.StepStart _, Part.StepFinish _, Part.Patch _,
                        Part.Compaction _, Part.Subtask _, Part.Retry _, Part.ModelSwitch _, Part.Hook _ -> { }
            }
        }
        return sb.toString();
    }

    private static String environmentOf(MessageWithParts m) {
        for (Part p : m.parts()) if (p instanceof Part.Text t && t.synthetic() && t.text().startsWith("<environment>")) return t.text();
        return "";
    }

    /** A request too long to carry whole keeps its start and end, which hold the ask and the latest detail. */
    private static String capped(String text, int maxTokens) {
        if (TokenEstimate.of(text) <= maxTokens) return text;
        int chars = Math.min(Math.max(200, maxTokens * 3 / 2), text.length() / 3);
        return text.substring(0, chars) + "\n[... " + (text.length() - 2 * chars) + " characters omitted ...]\n" + text.substring(text.length() - chars);
    }
}
