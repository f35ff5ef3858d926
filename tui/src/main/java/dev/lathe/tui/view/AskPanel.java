package dev.lathe.tui.view;

import dev.lathe.protocol.api.PermissionReplyRequest;
import dev.lathe.protocol.api.QuestionReplyRequest;
import dev.lathe.protocol.event.PermissionReply;
import dev.lathe.protocol.event.PermissionRequest;
import dev.lathe.protocol.event.Question;
import dev.lathe.protocol.event.QuestionRequest;
import dev.lathe.protocol.session.ToolDisplay;
import dev.lathe.tui.render.DiffView;
import dev.lathe.tui.text.Role;
import dev.lathe.tui.text.Theme;
import dev.lathe.tui.text.Wrap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;

/**
 * The open permission asks and questions of the attached session (and its subagents), shown one at a time above
 * the editor: options to move through with the arrows or pick by number, and a line to type into — the message
 * that goes with a rejection, or an answer of one's own. An ask answered by another client disappears.
 */
public final class AskPanel {
    /** An open ask. */
    public sealed interface Ask {
        String id();

        record Permission(PermissionRequest request, boolean fromSubagent) implements Ask {
            public String id() { return request.id().value(); }
        }

        record Questions(QuestionRequest request, boolean fromSubagent) implements Ask {
            public String id() { return request.id().value(); }
        }
    }

    /** What to send when the user has decided. */
    public sealed interface Answer {
        record ToPermission(PermissionRequest request, PermissionReplyRequest reply) implements Answer {}

        record ToQuestions(QuestionRequest request, QuestionReplyRequest reply) implements Answer {}
    }

    /** Lines of an edit's diff shown in its permission ask. */
    static final int DIFF_LINES = 16;

    private final LinkedHashMap<String, Ask> open = new LinkedHashMap<>();
    private int selected;
    private final StringBuilder typed = new StringBuilder();
    private int question;
    private final List<List<String>> answers = new ArrayList<>();
    private final Set<Integer> toggled = new LinkedHashSet<>();

    public void add(Ask ask) {
        if (open.isEmpty()) reset();
        open.putIfAbsent(ask.id(), ask);
    }

    /** Another client answered it, or it was cancelled; true when it was open here. */
    public boolean remove(String id) {
        boolean wasFirst = current().map(a -> a.id().equals(id)).orElse(false);
        boolean removed = open.remove(id) != null;
        if (wasFirst) reset();
        return removed;
    }

    public void clear() {
        open.clear();
        reset();
    }

    public boolean isEmpty() { return open.isEmpty(); }

    public Optional<Ask> current() { return open.values().stream().findFirst(); }

    private void reset() {
        selected = 0;
        typed.setLength(0);
        question = 0;
        answers.clear();
        toggled.clear();
    }

    private int optionCount() {
        return switch (current().orElseThrow()) {
            case Ask.Permission _ -> 3;
            case Ask.Questions q -> q.request().questions().get(question).options().size() + 1;
        };
    }

    /** Whether typing goes to the answer line now (the reject option, or "type your own answer"). */
    public boolean typing() { return !isEmpty() && selected == optionCount() - 1; }

    public void up() { if (!isEmpty()) selected = (selected - 1 + optionCount()) % optionCount(); }

    public void down() { if (!isEmpty()) selected = (selected + 1) % optionCount(); }

    public void type(String text) {
        if (!typing()) return;
        typed.append(text);
    }

    public void backspace() {
        if (!typed.isEmpty()) typed.setLength(typed.length() - 1);
    }

    /** A digit picks that option at once (except the typing option, which only gets selected). */
    public Optional<Answer> pick(int number) {
        if (isEmpty() || number < 1 || number > optionCount()) return Optional.empty();
        selected = number - 1;
        if (typing()) return Optional.empty();
        return confirm();
    }

    /** Toggles the selected option of a multiple-choice question. */
    public void toggle() {
        if (current().orElse(null) instanceof Ask.Questions q && q.request().questions().get(question).multiple() && !typing()) {
            if (!toggled.remove(selected)) toggled.add(selected);
        }
    }

    /** Enter: the answer for the selected option, or empty while more questions follow. */
    public Optional<Answer> confirm() {
        if (isEmpty()) return Optional.empty();
        return switch (current().get()) {
            case Ask.Permission p -> {
                PermissionReply reply = switch (selected) {
                    case 0 -> PermissionReply.ONCE;
                    case 1 -> PermissionReply.ALWAYS;
                    default -> PermissionReply.REJECT;
                };
                Optional<String> message = reply == PermissionReply.REJECT && !typed.toString().isBlank()
                        ? Optional.of(typed.toString().strip()) : Optional.empty();
                yield Optional.of(new Answer.ToPermission(p.request(), new PermissionReplyRequest(reply, message)));
            }
            case Ask.Questions q -> {
                Question current = q.request().questions().get(question);
                List<String> chosen = new ArrayList<>();
                if (typing()) {
                    if (typed.toString().isBlank()) yield Optional.empty();
                    chosen.add(typed.toString().strip());
                } else if (current.multiple() && !toggled.isEmpty()) {
                    toggled.stream().sorted().forEach(i -> chosen.add(current.options().get(i)));
                } else {
                    chosen.add(current.options().get(selected));
                }
                answers.add(chosen);
                if (question + 1 < q.request().questions().size()) {
                    question++;
                    selected = 0;
                    typed.setLength(0);
                    toggled.clear();
                    yield Optional.empty();
                }
                yield Optional.of(new Answer.ToQuestions(q.request(), QuestionReplyRequest.answered(List.copyOf(answers))));
            }
        };
    }

    /** Esc: reject the permission, dismiss the questions. */
    public Optional<Answer> dismiss() {
        if (isEmpty()) return Optional.empty();
        return Optional.of(switch (current().get()) {
            case Ask.Permission p -> new Answer.ToPermission(p.request(), PermissionReplyRequest.of(PermissionReply.REJECT));
            case Ask.Questions q -> new Answer.ToQuestions(q.request(), QuestionReplyRequest.rejected("The user dismissed the question."));
        });
    }

    public List<AttributedString> render(Theme theme, int width) {
        if (isEmpty()) return List.of();
        var out = new ArrayList<AttributedString>();
        AttributedString bar = theme.paint(Role.WARNING, "│ ");
        out.add(AttributedString.EMPTY);
        switch (current().get()) {
            case Ask.Permission p -> {
                PermissionRequest r = p.request();
                out.add(Wrap.truncate(new AttributedStringBuilder().styled(theme.style(Role.WARNING), "╭ Permission: ")
                        .styled(theme.style(Role.STRONG), r.permission()).styled(theme.style(Role.MUTED), p.fromSubagent() ? "  (from a subagent)" : "")
                        .toAttributedString(), width));
                out.addAll(Wrap.lines(new AttributedString(r.title()), width, bar, bar));
                for (String pattern : r.patterns()) {
                    if (r.title().contains(pattern)) continue;
                    out.add(Wrap.truncate(AttributedString.join(AttributedString.EMPTY, bar, theme.paint(Role.MUTED, pattern)), width));
                }
                if (r.display().orElse(null) instanceof ToolDisplay.FileChange change && !change.diff().isBlank()) {
                    for (AttributedString line : new DiffView(theme).render(change.diff(), width - 2, DIFF_LINES)) {
                        out.add(AttributedString.join(AttributedString.EMPTY, bar, line));
                    }
                }
                String always = r.always().isEmpty() ? "" : "  (" + String.join(", ", r.always()) + ")";
                option(out, theme, width, bar, 0, "Yes, once");
                option(out, theme, width, bar, 1, "Yes, always" + always);
                option(out, theme, width, bar, 2, "No" + (typing() ? ", and tell the agent: " + typed + "▏" : " (type a message for the agent)"));
            }
            case Ask.Questions q -> {
                Question current = q.request().questions().get(question);
                String counter = q.request().questions().size() > 1 ? " (" + (question + 1) + "/" + q.request().questions().size() + ")" : "";
                out.add(theme.paint(Role.WARNING, "╭ Question" + counter));
                out.addAll(Wrap.lines(theme.paint(Role.STRONG, current.question()), width, bar, bar));
                for (int i = 0; i < current.options().size(); i++) {
                    String mark = current.multiple() ? (toggled.contains(i) ? "[x] " : "[ ] ") : "";
                    option(out, theme, width, bar, i, mark + current.options().get(i));
                }
                option(out, theme, width, bar, current.options().size(), typing() ? "Answer: " + typed + "▏" : "Type your own answer");
            }
        }
        out.add(Wrap.truncate(theme.paint(Role.MUTED, "╰ ↑↓ or number to choose · enter to confirm · esc to "
                + (current().get() instanceof Ask.Permission ? "reject" : "dismiss") + (open.size() > 1 ? " · " + (open.size() - 1) + " more waiting" : "")), width));
        return out;
    }

    private void option(List<AttributedString> out, Theme theme, int width, AttributedString bar, int index, String label) {
        boolean sel = index == selected;
        var line = new AttributedStringBuilder().append(bar)
                .styled(theme.style(sel ? Role.ACCENT : Role.MUTED), (sel ? "› " : "  ") + (index + 1) + ". ")
                .styled(sel ? theme.style(Role.STRONG) : theme.style(Role.TEXT), label);
        out.add(Wrap.truncate(line.toAttributedString(), width));
    }
}
