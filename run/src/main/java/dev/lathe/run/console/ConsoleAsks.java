package dev.lathe.run.console;

import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.LatheApi;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.api.PermissionReplyRequest;
import dev.lathe.protocol.api.QuestionReplyRequest;
import dev.lathe.protocol.event.AskingChild;
import dev.lathe.protocol.event.PermissionReply;
import dev.lathe.protocol.event.PermissionRequest;
import dev.lathe.protocol.event.Question;
import dev.lathe.protocol.event.QuestionRequest;
import dev.lathe.term.AskArming;
import dev.lathe.term.ChildAsker;
import dev.lathe.term.VisibleControls;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.regex.Pattern;

/**
 * The permission asks and questions of the console client: shown one at a time on standard error, answered by the
 * next line typed ({@code o}nce / {@code a}lways / {@code r}eject for a permission; an option number, several
 * numbers, or free text for a question). An ask another client answers first disappears with a note.
 *
 * <p>Threads: {@link #add} and {@link #answeredElsewhere} are called from the event thread; everything else from
 * the console's main loop.
 */
final class ConsoleAsks {
    /** One thing waiting for the user. */
    sealed interface Ask {
        String id();

        /** Asked by a subagent's session rather than the attached one. */
        boolean subagent();

        record Permission(PermissionRequest request, boolean subagent) implements Ask {
            @Override public String id() { return request.id().value(); }
        }

        record Questions(QuestionRequest request, boolean subagent) implements Ask {
            @Override public String id() { return request.id().value(); }
        }
    }

    static final String DISMISSED = "The user dismissed the question.";
    private static final Pattern NUMBERS = Pattern.compile("\\d+(\\s*,\\s*\\d+)*");

    private final LatheApi api;
    private final PrintStream err;
    private final EventPrinter printer;
    private final Deque<Ask> pending = new ConcurrentLinkedDeque<>();
    private Optional<Ask> shown = Optional.empty();
    private final List<List<String>> answers = new ArrayList<>();

    /** The clock (millis) the arming delay is measured with, and when the ask on screen was printed. */
    private final java.util.function.LongSupplier clock;
    private long shownAt;

    ConsoleAsks(LatheApi api, PrintStream err, EventPrinter printer) { this(api, err, printer, System::currentTimeMillis); }

    ConsoleAsks(LatheApi api, PrintStream err, EventPrinter printer, java.util.function.LongSupplier clock) {
        this.clock = clock;
        this.api = api;
        this.err = err;
        this.printer = printer;
    }

    synchronized void add(Ask ask) {
        if (pending.stream().noneMatch(a -> a.id().equals(ask.id()))) pending.add(ask);
    }

    /** @return true when it was waiting here (the main loop should look again) */
    boolean answeredElsewhere(String id) { return pending.removeIf(a -> a.id().equals(id)); }

    /** Asks opened before this client subscribed (or while its stream was lagging). */
    void loadPending(String directory, SessionId main, Set<SessionId> family) {
        try {
            for (PermissionRequest r : api.permissions(directory)) {
                if (family.contains(r.sessionId())) add(new Ask.Permission(r, !r.sessionId().equals(main)));
            }
            for (QuestionRequest q : api.questions(directory)) {
                if (family.contains(q.sessionId())) add(new Ask.Questions(q, !q.sessionId().equals(main)));
            }
        } catch (LatheException e) {
            // nothing to show
        }
    }

    boolean isEmpty() { return pending.isEmpty(); }

    /** An ask is on screen: the next line answers it. */
    boolean hasShown() { return shown.isPresent(); }

    /** Notes an ask answered elsewhere, then shows the next one, if any and none is on screen. */
    void showNext() {
        if (shown.isPresent() && !pending.contains(shown.get())) {
            err.println("lathe: (answered by another client)");
            shown = Optional.empty();
            answers.clear();
        }
        if (shown.isPresent() || pending.isEmpty()) return;
        shown = Optional.of(pending.peek());
        answers.clear();
        show();
    }

    /**
     * The model's text of a question, over as many lines as it has, each after the first indented, so none starts like
     * a line of Lathe's; its controls shown by the one sanitiser (DESIGN §24).
     */
    private static String indented(String text) {
        return String.join("\n    ", text.lines().map(VisibleControls::line).toList());
    }

    private void show() {
        shownAt = clock.getAsLong();
        printer.endLine();
        // a child names itself (its title, made safe for the terminal); an ask of a subagent not named says only that
        Optional<AskingChild> child = switch (shown.get()) {
            case Ask.Permission p -> p.request().child();
            case Ask.Questions q -> q.request().child();
        };
        String who = !shown.get().subagent() ? "" : child.map(c -> " from " + ChildAsker.named(c)).orElse(" (subagent)");
        switch (shown.get()) {
            case Ask.Permission p -> {
                PermissionRequest r = p.request();
                String what = r.title().isBlank() ? String.join(" ", r.patterns()) : r.title();
                // the model's command or path: one line, controls shown (a newline in it must not forge a "lathe:" line)
                err.println(VisibleControls.line("lathe: permission" + who + ": " + r.permission() + ": " + what));
                String always = switch (r.alwaysScope()) {
                    case SESSION -> " (all edits in this session)";
                    case PROJECT -> r.always().isEmpty() ? "" : " (allows " + String.join(", ", r.always()) + " in this project)";
                };
                err.print("  [o]nce  [a]lways" + always + "  [r]eject (r MESSAGE tells the agent what to do instead; the turn goes on) > ");
            }
            case Ask.Questions q -> {
                List<Question> questions = q.request().questions();
                Question current = questions.get(answers.size());
                err.println("lathe: question" + who + (questions.size() > 1 ? " " + (answers.size() + 1) + "/" + questions.size() : "") + ": "
                        + indented(current.question()));
                for (int i = 0; i < current.options().size(); i++) err.println("  " + (i + 1) + ". " + indented(current.options().get(i)));
                err.print("  " + (current.options().isEmpty() ? "" : current.multiple() ? "numbers (1,3) or " : "a number or ")
                        + "your answer; an empty line dismisses > ");
            }
        }
        err.flush();
    }

    /**
     * The line typed while an ask is on screen (issue 42: a line typed for the message being written must not answer
     * it). A line in the ask's first {@link AskArming#MILLIS} answers nothing: the ask is
     * shown again with a note. A line that is no answer to a permission (not o, a or r) is a message for the agent.
     *
     * @return false when the line is a message to queue for the agent rather than an answer
     */
    boolean answer(String text) {
        Ask ask = shown.orElseThrow();
        boolean armed = clock.getAsLong() - shownAt >= AskArming.MILLIS;
        switch (ask) {
            case Ask.Permission p -> {
                Optional<PermissionReplyRequest> reply = permissionReply(text);
                if (reply.isEmpty() && !text.isBlank()) return false;
                if (!armed) {
                    err.print("  (it just appeared: read it, then answer) o, a or r > ");
                    err.flush();
                    return true;
                }
                if (reply.isEmpty()) {
                    err.print("  o, a or r > ");
                    err.flush();
                    return true;
                }
                send(() -> api.replyPermission(p.request().id(), reply.get()));
                done(ask);
            }
            case Ask.Questions q -> {
                if (!armed) {
                    err.print("  (it just appeared: read it, then answer) > ");
                    err.flush();
                    return true;
                }
                if (text.isEmpty()) {
                    send(() -> api.replyQuestion(q.request().id(), QuestionReplyRequest.rejected(DISMISSED)));
                    done(ask);
                    return true;
                }
                Question current = q.request().questions().get(answers.size());
                Optional<List<String>> choice = choice(current, text);
                if (choice.isEmpty()) {
                    err.print("  numbers between 1 and " + current.options().size() + (current.multiple() ? "" : " (one)") + ", or words > ");
                    err.flush();
                    return true;
                }
                answers.add(choice.get());
                if (answers.size() < q.request().questions().size()) {
                    show();
                    return true;
                }
                List<List<String>> all = List.copyOf(answers);
                send(() -> api.replyQuestion(q.request().id(), QuestionReplyRequest.answered(all)));
                done(ask);
            }
        }
        return true;
    }

    /** After a message was queued while the ask waits: says so and asks again. */
    void stillWaiting() {
        err.print("lathe: queued for the agent; the ask still waits: " + (shown.orElse(null) instanceof Ask.Permission ? "o, a or r > " : "> "));
        err.flush();
    }

    static Optional<PermissionReplyRequest> permissionReply(String text) {
        String[] words = text.strip().split("\\s+", 2);
        String reason = words.length > 1 ? words[1].strip() : "";
        return switch (words[0].toLowerCase(Locale.ROOT)) {
            case "o", "once", "y", "yes" -> Optional.of(PermissionReplyRequest.of(PermissionReply.ONCE));
            case "a", "always" -> Optional.of(PermissionReplyRequest.of(PermissionReply.ALWAYS));
            case "r", "reject", "n", "no" -> Optional.of(new PermissionReplyRequest(PermissionReply.REJECT,
                    reason.isEmpty() ? Optional.empty() : Optional.of(reason)));
            default -> Optional.empty();
        };
    }

    /** Option numbers become the options' texts; anything else is the user's own answer. */
    static Optional<List<String>> choice(Question question, String text) {
        if (question.options().isEmpty() || !NUMBERS.matcher(text).matches()) return Optional.of(List.of(text));
        List<String> chosen = new ArrayList<>();
        for (String n : text.split("\\s*,\\s*")) {
            int i = Integer.parseInt(n) - 1;
            if (i < 0 || i >= question.options().size()) return Optional.empty();
            chosen.add(question.options().get(i));
        }
        if (chosen.size() > 1 && !question.multiple()) return Optional.empty();
        return Optional.of(List.copyOf(chosen));
    }

    private void done(Ask ask) {
        pending.remove(ask);
        shown = Optional.empty();
        answers.clear();
    }

    private void send(Runnable reply) {
        try {
            reply.run();
        } catch (LatheException e) {
            err.println("lathe: " + (e instanceof LatheException.NotFound ? "(already answered)" : e.getMessage()));
        }
    }
}
