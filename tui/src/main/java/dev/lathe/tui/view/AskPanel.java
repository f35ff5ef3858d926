package dev.lathe.tui.view;

import java.util.OptionalLong;
import dev.lathe.protocol.api.PermissionReplyRequest;
import dev.lathe.protocol.api.QuestionReplyRequest;
import dev.lathe.protocol.event.ApprovalScope;
import dev.lathe.protocol.event.AskingChild;
import dev.lathe.protocol.event.BudgetAsks;
import dev.lathe.protocol.event.PermissionReply;
import dev.lathe.protocol.event.PermissionRequest;
import dev.lathe.protocol.event.Question;
import dev.lathe.protocol.event.QuestionRequest;
import dev.lathe.protocol.session.ToolDisplay;
import dev.lathe.term.AskArming;
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

    /** Lines of an edit's diff shown in its permission ask when the terminal leaves room for more. */
    static final int DIFF_LINES = 16;
    /** Diff lines kept however small the terminal: the header and the options come first, but the diff never vanishes. */
    static final int MIN_DIFF_LINES = 3;
    /** Separates the "always" rules in the editable line (a rule is one simple command, which holds no bare {@code ;}). */
    static final String RULE_SEPARATOR = "; ";

    private final java.util.function.LongSupplier clock;
    /** When the current ask was first drawn (the clock's millis), or -1 while it has not been. */
    private long shownAt = -1;
    /** Said on the keys line until the next ask: why a key did not answer. */
    private String notice = "";
    private final LinkedHashMap<String, Ask> open = new LinkedHashMap<>();
    private int selected;
    private final StringBuilder typed = new StringBuilder();
    private int question;
    private final List<List<String>> answers = new ArrayList<>();
    private final Set<Integer> toggled = new LinkedHashSet<>();
    /** The "always" rules as the user may have edited them. */
    private final StringBuilder rules = new StringBuilder();
    /** First diff line shown, and how many the last frame had room for (a page). */
    private int diffTop;
    private int diffPage = DIFF_LINES;

    public AskPanel() { this(System::currentTimeMillis); }

    /** @param clock milliseconds, for the arming delay */
    public AskPanel(java.util.function.LongSupplier clock) { this.clock = clock; }

    /**
     * A panel in the same state as this one that changes apart from it: the terminal UI's reducer edits a copy, so a
     * state once handed out stays as it was.
     */
    public AskPanel copy() {
        var copy = new AskPanel(clock);
        copy.shownAt = shownAt;
        copy.notice = notice;
        copy.open.putAll(open);
        copy.selected = selected;
        copy.typed.append(typed);
        copy.question = question;
        answers.forEach(a -> copy.answers.add(List.copyOf(a)));
        copy.toggled.addAll(toggled);
        copy.rules.append(rules);
        copy.diffTop = diffTop;
        copy.diffPage = diffPage;
        copy.inputHasText = inputHasText;
        return copy;
    }

    /** Whether the current ask has been on screen for {@link AskArming#MILLIS}, so a confirm may answer it. */
    public boolean armed() { return shownAt >= 0 && clock.getAsLong() - shownAt >= AskArming.MILLIS; }

    /** Whether the input below holds text: Enter then sends that (queued), and digits type into it. */
    private boolean inputHasText;

    public void inputHasText(boolean hasText) { inputHasText = hasText; }

    /** Shows why a key did not answer, on the keys line of the current ask. */
    public void notice(String text) { notice = text; }

    public void add(Ask ask) {
        boolean first = open.isEmpty();
        open.putIfAbsent(ask.id(), ask);
        if (first) reset();
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

    /**
     * What the call {@code callId} waits for when an open ask holds it ("waiting for approval", "waiting for your
     * answer"), so its row does not look like it runs; empty when no ask holds it.
     */
    public Optional<String> waitingOn(String callId) {
        for (Ask ask : open.values()) {
            switch (ask) {
                case Ask.Permission p when callId.equals(p.request().callId()) -> { return Optional.of("waiting for approval"); }
                case Ask.Questions q when callId.equals(q.request().callId()) -> { return Optional.of("waiting for your answer"); }
                default -> { }
            }
        }
        return Optional.empty();
    }

    public Optional<Ask> current() { return open.values().stream().findFirst(); }

    /** When the ask on screen was raised (the server's time of it), if one is open. */
    public OptionalLong askedAt() {
        return current().map(a -> switch (a) {
            case Ask.Permission p -> OptionalLong.of(p.request().createdAt());
            case Ask.Questions q -> OptionalLong.of(q.request().createdAt());
        }).orElse(OptionalLong.empty());
    }

    private void reset() {
        shownAt = -1;
        notice = "";
        selected = 0;
        typed.setLength(0);
        question = 0;
        answers.clear();
        toggled.clear();
        diffTop = 0;
        rules.setLength(0);
        if (current().orElse(null) instanceof Ask.Permission p) rules.append(String.join(RULE_SEPARATOR, p.request().always()));
    }

    /** Whether the "always" option's rules can be edited: project-wide rules that were offered (not "all edits"). */
    private boolean rulesEditable() {
        return current().orElse(null) instanceof Ask.Permission p && p.request().alwaysScope() == ApprovalScope.PROJECT
                && !p.request().always().isEmpty();
    }

    private boolean editingRules() { return selected == 1 && rulesEditable(); }

    /** PgDn: the next page of the diff. */
    public void pageDown() { diffTop += Math.max(1, diffPage - 1); }

    /** PgUp: the previous page of the diff. */
    public void pageUp() { diffTop = Math.max(0, diffTop - Math.max(1, diffPage - 1)); }

    private int optionCount() {
        return switch (current().orElseThrow()) {
            case Ask.Permission p -> replies(p.request()).size();
            case Ask.Questions q -> q.request().questions().get(question).options().size() + 1;
        };
    }

    /**
     * The answers a permission ask offers, in order: "always" only where it would remember something (a rule, all
     * edits for the session, a lifted limit); a line no rule can cover safely (a quoted script after {@code -c}) is
     * offered once or no, never an "always" that saves nothing (issue 82).
     */
    private static List<PermissionReply> replies(PermissionRequest r) {
        boolean remembers = BudgetAsks.is(r) || r.alwaysScope() == ApprovalScope.SESSION || !r.always().isEmpty();
        return remembers ? List.of(PermissionReply.ONCE, PermissionReply.ALWAYS, PermissionReply.REJECT) : List.of(PermissionReply.ONCE, PermissionReply.REJECT);
    }

    /**
     * Whether typing goes to a line now: the reject option's message, "type your own answer", or the "always" option's
     * rules (edited before they are saved). A spend limit's "no" takes no message, so a digit there picks an option.
     */
    public boolean typing() { return !isEmpty() && (selected == optionCount() - 1 && !spendLimit() || editingRules()); }

    private boolean rejecting() { return !isEmpty() && selected == optionCount() - 1 && !spendLimit(); }

    /** A spend limit's ask: its "no" stops the turn at once, with nothing to tell the agent. */
    private boolean spendLimit() {
        return current().orElse(null) instanceof Ask.Permission p && BudgetAsks.is(p.request());
    }

    public void up() { if (!isEmpty()) selected = (selected - 1 + optionCount()) % optionCount(); }

    public void down() { if (!isEmpty()) selected = (selected + 1) % optionCount(); }

    public void type(String text) {
        if (!typing()) return;
        (editingRules() ? rules : typed).append(text);
    }

    public void backspace() {
        StringBuilder line = editingRules() ? rules : typed;
        if (!line.isEmpty()) line.setLength(line.length() - 1);
    }

    /** A digit selects that option; only a confirm answers. @return whether there is such an option */
    public boolean select(int number) {
        if (isEmpty() || number < 1 || number > optionCount()) return false;
        selected = number - 1;
        return true;
    }

    /** Selects option {@code number} and confirms it, unless it takes a line to type (tests and scripted use). */
    public Optional<Answer> pick(int number) {
        if (!select(number) || rejecting()) return Optional.empty();
        return confirm();
    }

    /** Whether a multiple-choice question is asked now (space toggles its options). */
    public boolean multipleChoice() {
        return current().orElse(null) instanceof Ask.Questions q && q.request().questions().get(question).multiple();
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
                PermissionReply reply = replies(p.request()).get(selected);
                Optional<String> message = reply == PermissionReply.REJECT && !typed.toString().isBlank()
                        ? Optional.of(typed.toString().strip()) : Optional.empty();
                if (reply == PermissionReply.ALWAYS && rulesEditable()) {
                    List<String> edited = java.util.Arrays.stream(rules.toString().split(";")).map(String::strip).filter(r -> !r.isEmpty()).toList();
                    if (edited.isEmpty()) yield Optional.empty();
                    // only an edit is sent: the server keeps its own suggestions otherwise
                    if (!edited.equals(p.request().always())) yield Optional.of(new Answer.ToPermission(p.request(), PermissionReplyRequest.always(edited)));
                }
                yield Optional.of(new Answer.ToPermission(p.request(), new PermissionReplyRequest(reply, message)));
            }
            case Ask.Questions q -> {
                Question current = q.request().questions().get(question);
                List<String> chosen = new ArrayList<>();
                if (rejecting()) {
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

    /** The ask with as many diff lines as {@link #DIFF_LINES}; see {@link #render(Theme, int, int)}. */
    public List<AttributedString> render(Theme theme, int width) {
        return render(theme, width, Integer.MAX_VALUE);
    }

    /**
     * Who asks, after the header, when it is not the attached session: the child by its title (the task's description
     * and agent), so two children's asks are told apart. The title is the model's words: the screen shows its controls
     * as visible marks ({@code VisibleControls}, DESIGN §24), never raw.
     */
    private static String asker(boolean fromSubagent, Optional<AskingChild> child) {
        if (!fromSubagent) return "";
        return child.map(c -> "  — child " + c.title() + " asks").orElse("  (from a subagent)");
    }

    /**
     * The ask in at most {@code maxRows} rows where it can: the header, what is asked about and the options always
     * show; an edit's diff gets the rows left (at least {@link #MIN_DIFF_LINES}) and scrolls with PgUp/PgDn, its
     * position and the keys shown below it, so every line of it can be read before answering.
     */
    public List<AttributedString> render(Theme theme, int width, int maxRows) {
        if (isEmpty()) return List.of();
        if (shownAt < 0) shownAt = clock.getAsLong();
        List<AttributedString> head = new ArrayList<>();
        var tail = new ArrayList<AttributedString>();
        AttributedString bar = theme.paint(Role.WARNING, "│ ");
        head.add(AttributedString.EMPTY);
        List<AttributedString> diff = List.of();
        switch (current().get()) {
            case Ask.Permission p -> {
                PermissionRequest r = p.request();
                head.add(Wrap.truncate(new AttributedStringBuilder().styled(theme.style(Role.WARNING), "╭ Permission: ")
                        .styled(theme.style(Role.STRONG), r.permission()).styled(theme.style(Role.MUTED), asker(p.fromSubagent(), r.child()))
                        .toAttributedString(), width));
                head.addAll(Wrap.lines(new AttributedString(r.title()), width, bar, bar));
                for (String pattern : r.patterns()) {
                    if (r.title().contains(pattern)) continue;
                    head.add(Wrap.truncate(AttributedString.join(AttributedString.EMPTY, bar, theme.paint(Role.MUTED, pattern)), width));
                }
                if (r.display().orElse(null) instanceof ToolDisplay.FileChange change && !change.diff().isBlank()) {
                    diff = new DiffView(theme).render(change.diff(), width - 2);
                }
                if (BudgetAsks.is(r)) {
                    // a spend limit (decision 119): once raises it, always lifts it for the session, no stops the turn
                    option(tail, theme, width, bar, 0, "Yes, " + r.metadata().getOrDefault(BudgetAsks.RAISE, "once"));
                    option(tail, theme, width, bar, 1, "Yes, lift this limit for the session");
                    option(tail, theme, width, bar, 2, "No, stop here");
                } else {
                    List<PermissionReply> replies = replies(r);
                    for (int i = 0; i < replies.size(); i++) {
                        option(tail, theme, width, bar, i, switch (replies.get(i)) {
                            case ONCE -> "Yes, once";
                            case ALWAYS -> alwaysLabel(r);
                            case REJECT -> "No" + (rejecting() ? ", and tell the agent: " + typed + "▏" : " (type a message for the agent)");
                        });
                    }
                }
            }
            case Ask.Questions q -> {
                Question current = q.request().questions().get(question);
                String counter = q.request().questions().size() > 1 ? " (" + (question + 1) + "/" + q.request().questions().size() + ")" : "";
                head.add(Wrap.truncate(new AttributedStringBuilder().styled(theme.style(Role.WARNING), "╭ Question" + counter)
                        .styled(theme.style(Role.MUTED), asker(q.fromSubagent(), q.request().child())).toAttributedString(), width));
                head.addAll(Wrap.lines(theme.paint(Role.STRONG, current.question()), width, bar, bar));
                for (int i = 0; i < current.options().size(); i++) {
                    String mark = current.multiple() ? (toggled.contains(i) ? "[x] " : "[ ] ") : "";
                    option(tail, theme, width, bar, i, mark + current.options().get(i));
                }
                option(tail, theme, width, bar, current.options().size(), rejecting() ? "Answer: " + typed + "▏" : "Type your own answer");
            }
        }
        tail.add(Wrap.truncate(theme.paint(Role.MUTED, "╰ " + keysLine()), width));
        int spare = maxRows == Integer.MAX_VALUE ? Integer.MAX_VALUE : maxRows - tail.size() - (diff.isEmpty() ? 0 : MIN_DIFF_LINES);
        if (head.size() > spare && spare >= 3) {
            // a title taller than the screen (a long heredoc): its first lines stay under the header, the rest is counted
            int cut = head.size() - (spare - 1);
            head = new ArrayList<>(head.subList(0, spare - 1));
            head.add(Wrap.truncate(AttributedString.join(AttributedString.EMPTY, bar, theme.paint(Role.MUTED, "… " + cut + " more lines")), width));
        }
        var out = new ArrayList<AttributedString>(head);
        if (!diff.isEmpty()) {
            long room = (long) maxRows - head.size() - tail.size();
            // with no height given, the usual DIFF_LINES; with one, every row left over
            long cap = maxRows == Integer.MAX_VALUE ? DIFF_LINES : Integer.MAX_VALUE;
            int rows = (int) Math.max(MIN_DIFF_LINES, Math.min(cap, room));
            out.addAll(window(diff, rows, theme, width, bar));
        }
        out.addAll(tail);
        return out;
    }

    /** How to answer, or why a key just did not: while the ask is arming no key answers, and the line says so. */
    private String keysLine() {
        String more = open.size() > 1 ? " · " + (open.size() - 1) + " more waiting" : "";
        if (!notice.isEmpty()) return notice + more;
        if (!armed()) return "read the ask: keys answer it in a moment" + more;
        if (inputHasText && !typing()) return "↑↓ to choose · enter queues your message · empty the input to answer" + more;
        return "↑↓ or number to choose · enter to confirm · esc to " + (current().get() instanceof Ask.Permission ? "reject" : "dismiss") + more;
    }

    /**
     * {@code rows} rows of the diff from {@link #diffTop}: all of it when it fits, else a window of it and a line saying
     * which lines show and how to scroll.
     */
    private List<AttributedString> window(List<AttributedString> diff, int rows, Theme theme, int width, AttributedString bar) {
        var out = new ArrayList<AttributedString>();
        if (diff.size() <= rows) {
            diffTop = 0;
            diffPage = diff.size();
            for (AttributedString line : diff) out.add(AttributedString.join(AttributedString.EMPTY, bar, line));
            return out;
        }
        int shown = Math.max(1, rows - 1);
        diffPage = shown;
        diffTop = Math.max(0, Math.min(diffTop, diff.size() - shown));
        for (AttributedString line : diff.subList(diffTop, diffTop + shown)) out.add(AttributedString.join(AttributedString.EMPTY, bar, line));
        String where = "lines " + (diffTop + 1) + "–" + (diffTop + shown) + " of " + diff.size() + " · "
                + (diffTop == 0 ? "pgdn for more" : diffTop + shown >= diff.size() ? "pgup to go back" : "pgup/pgdn to scroll");
        out.add(Wrap.truncate(AttributedString.join(AttributedString.EMPTY, bar, theme.paint(Role.MUTED, "… " + where)), width));
        return out;
    }

    /** "Yes, always" with what it would remember and how far it reaches; the rules are editable when selected. */
    private String alwaysLabel(PermissionRequest r) {
        if (r.alwaysScope() == ApprovalScope.SESSION) return "Yes, allow all edits in this session";
        if (r.always().isEmpty()) return "Yes, always";
        if (editingRules()) return "Yes, always allow (this project): " + rules + "▏";
        return "Yes, always allow " + String.join(RULE_SEPARATOR, r.always()) + " (this project)";
    }

    private void option(List<AttributedString> out, Theme theme, int width, AttributedString bar, int index, String label) {
        boolean sel = index == selected;
        var line = new AttributedStringBuilder().append(bar)
                .styled(theme.style(sel ? Role.ACCENT : Role.MUTED), (sel ? "› " : "  ") + (index + 1) + ". ")
                .styled(sel ? theme.style(Role.STRONG) : theme.style(Role.TEXT), label);
        out.add(Wrap.truncate(line.toAttributedString(), width));
    }
}
