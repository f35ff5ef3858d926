package dev.lathe.run.console;

import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.CommandRequest;
import dev.lathe.protocol.api.CreateSessionRequest;
import dev.lathe.protocol.api.EventFilter;
import dev.lathe.protocol.api.LatheApi;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.api.PromptRequest;
import dev.lathe.protocol.api.RevertResult;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.event.EventEnvelope;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.SessionStatus;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The plain console client of {@code lathe} and {@code lathe attach} where the terminal UI is not (a pipe,
 * {@code TERM=dumb}): each line read is
 * a prompt (or a slash command, or the answer to the permission ask or question shown); the assistant's text streams
 * to standard output, one line per tool call and everything else to standard error.
 *
 * <p>Detaching never stops the session: end of input waits for the running turn to finish, {@code /exit} and a
 * killed client leave it running in the server. Ctrl-C aborts the running turn; a second Ctrl-C (or one while no
 * turn runs) exits. Everything happens on the calling thread, fed by one queue: lines from a reader thread, events
 * from the subscription, Ctrl-C from the signal handler — so output never interleaves mid-decision.
 */
public final class ConsoleClient {
    /** Where the lines come from: a terminal gets a {@code > } prompt while no turn runs, a pipe none. */
    public enum Reading { TERMINAL, PIPE }

    /** What the main loop reacts to. */
    sealed interface Input {
        record Line(String text) implements Input {}

        record End() implements Input {}

        record Interrupt() implements Input {}

        /** The session went idle: the turn is over. */
        record Idle() implements Input {}

        /** An ask arrived or was answered elsewhere. */
        record AsksChanged() implements Input {}

        /** A command the server refused. */
        record Failed(String message) implements Input {}
    }

    private final LatheApi api;
    private final String directory;
    private final String serverLabel;
    private final PrintStream out;
    private final PrintStream err;
    private final Reading reading;
    private final BlockingQueue<Input> inputs = new LinkedBlockingQueue<>();
    private final Set<SessionId> family = ConcurrentHashMap.newKeySet();
    private final ConsoleAsks asks;
    private final EventPrinter printer;
    private volatile Optional<Session> session = Optional.empty();
    private Optional<AutoCloseable> subscription = Optional.empty();
    private volatile boolean busy;
    private boolean abortSent;
    private boolean exitWhenIdle;

    public ConsoleClient(LatheApi api, String directory, String serverLabel, PrintStream out, PrintStream err, Reading reading) {
        this.api = api;
        this.directory = directory;
        this.serverLabel = serverLabel;
        this.out = out;
        this.err = err;
        this.reading = reading;
        this.printer = new EventPrinter(out, err);
        this.asks = new ConsoleAsks(api, err, printer);
    }

    /** The queue Ctrl-C and tests feed. */
    public void interrupt() { inputs.add(new Input.Interrupt()); }

    /**
     * Runs until the user detaches; returns the exit code.
     *
     * @param start the session to attach to; empty: the latest of the folder, else a new one at the first prompt
     */
    public int run(Optional<SessionId> start, BufferedReader in) throws InterruptedException {
        Thread.ofPlatform().daemon().name("lathe-console-input").start(() -> readLines(in));
        try {
            Optional<Session> existing = start.isPresent() ? Optional.of(api.session(start.get())) : latest();
            if (existing.isPresent()) {
                attach(existing.get());
            } else {
                err.println("lathe: new session in " + directory + " (" + serverLabel + "); " + HELP);
            }
            showPrompt();
            return loop();
        } finally {
            closeSubscription();
            out.flush();
            err.flush();
        }
    }

    static final String HELP = "type a message; /exit detaches (the session keeps running), Ctrl-C aborts a running turn";

    private int loop() throws InterruptedException {
        while (true) {
            Input input = inputs.poll(1, TimeUnit.SECONDS);
            if (input == null) {
                // a missed event must not leave "wait for the turn" hanging: ask the server now and then
                if (busy && session.isPresent() && api.status(session.get().id()) instanceof SessionStatus.Idle) input = new Input.Idle();
                else continue;
            }
            switch (input) {
                case Input.Line l -> {
                    if (!onLine(l.text())) return ExitCode.FINISHED;
                }
                case Input.End _ -> {
                    if (!asks.isEmpty()) {
                        err.println("lathe: end of input with a question open; detaching (another client can answer it)");
                        return ExitCode.FINISHED;
                    }
                    if (!busy) return ExitCode.FINISHED;
                    exitWhenIdle = true;
                }
                case Input.Interrupt _ -> {
                    if (!busy || abortSent || session.isEmpty()) {
                        printer.endLine();
                        return ExitCode.FINISHED;
                    }
                    abortSent = true;
                    printer.endLine();
                    err.println("lathe: aborting the turn (Ctrl-C again to exit)");
                    api.abort(session.get().id());
                }
                case Input.Idle _ -> {
                    if (!busy) continue;
                    busy = false;
                    abortSent = false;
                    printer.endLine();
                    if (exitWhenIdle) return ExitCode.FINISHED;
                    showPrompt();
                }
                case Input.AsksChanged _ -> {
                    asks.showNext();
                    // the input already ended (a pipe): nobody here can answer what just opened, so waiting would be forever
                    if (exitWhenIdle && !asks.isEmpty()) {
                        err.println("lathe: end of input with a question open; detaching (another client can answer it)");
                        return ExitCode.FINISHED;
                    }
                }
                case Input.Failed f -> {
                    busy = false;
                    printer.endLine();
                    err.println("lathe: " + f.message());
                    if (exitWhenIdle) return ExitCode.FINISHED;
                    showPrompt();
                }
            }
        }
    }

    /** @return false to exit */
    private boolean onLine(String line) {
        String text = line.strip();
        if (asks.hasShown()) {
            if (asks.answer(text)) {
                asks.showNext();
                return true;
            }
            // not an answer: a message for the agent, queued into the turn the ask belongs to
            try {
                prompt(line);
                asks.stillWaiting();
            } catch (LatheException e) {
                err.println("lathe: " + e.getMessage());
            }
            return true;
        }
        if (text.isEmpty()) {
            showPrompt();
            return true;
        }
        try {
            if (text.startsWith("/")) return command(text);
            prompt(line);
        } catch (LatheException e) {
            busy = false;
            err.println("lathe: " + e.getMessage());
            showPrompt();
        }
        return true;
    }

    /** {@code /permissions} lists the folder's remembered "always" answers; {@code /permissions revoke ID} forgets one. */
    private void permissions(String arguments) {
        String[] words = arguments.split("\\s+");
        try {
            if (words.length == 2 && words[0].equals("revoke")) {
                var gone = api.revokeApproval(directory, words[1]);
                err.println("lathe: revoked " + gone.id() + ": " + gone.permission() + " " + gone.pattern() + "; asked again from the next call");
                return;
            }
            var all = api.approvals(directory);
            if (all.isEmpty()) err.println("lathe: no remembered answers in " + directory);
            for (var a : all) {
                err.println(a.id() + "  " + a.permission() + "  " + a.pattern() + "  (" + a.scope().wire()
                        + a.sessionId().map(id -> " " + id.value()).orElse("") + ")");
            }
            if (!all.isEmpty()) err.println("lathe: /permissions revoke ID forgets one");
        } catch (LatheException e) {
            err.println("lathe: " + e.getMessage());
        }
    }

    private boolean command(String text) {
        String name = text.substring(1).split("\\s+", 2)[0];
        String arguments = text.contains(" ") ? text.substring(text.indexOf(' ') + 1).strip() : "";
        switch (name) {
            case "exit", "quit", "detach" -> {
                if (busy) err.println("lathe: detached; the turn goes on in the server (lathe attach picks it up again)");
                return false;
            }
            case "help" -> err.println("lathe: " + HELP + "; /new starts a new session; /undo and /redo revert the last turn's files; /permissions lists remembered answers");
            case "new" -> {
                closeSubscription();
                session = Optional.empty();
                busy = false;
                err.println("lathe: new session in " + directory);
            }
            case "permissions" -> permissions(arguments);
            case "undo", "redo" -> {
                if (session.isEmpty()) {
                    err.println("lathe: nothing to " + name + " yet");
                } else {
                    RevertResult r = name.equals("undo") ? api.undo(session.get().id()) : api.redo(session.get().id());
                    err.println("lathe: " + (name.equals("undo") ? "undid the last turn" : "redid the last undone turn")
                            + (r.files().isEmpty() ? "; no files changed" : "; restored " + String.join(", ", r.files())));
                }
            }
            default -> {
                // a message that starts with / and names no command of the project goes to the model as it is
                if (!isProjectCommand(name)) {
                    prompt(text);
                    return true;
                }
                Session s = ensureSession();
                busy = true;
                abortSent = false;
                // off the loop: a project command may ask permission for its shell commands, and this loop answers asks
                Thread.ofVirtual().name("lathe-console-command").start(() -> {
                    try {
                        if (api.command(s.id(), new CommandRequest(name, arguments)).messageId().isEmpty()) inputs.add(new Input.Idle());
                    } catch (RuntimeException e) {
                        inputs.add(new Input.Failed(e.getMessage() == null ? e.toString() : e.getMessage()));
                    }
                });
                return true;
            }
        }
        showPrompt();
        return true;
    }

    private void prompt(String text) {
        Session s = ensureSession();
        busy = true;  // before the request: its idle event may come before prompt() returns
        abortSent = false;
        api.prompt(s.id(), PromptRequest.text(text));
    }

    private boolean isProjectCommand(String name) {
        try {
            return api.commands(directory).stream().anyMatch(c -> c.name().equals(name));
        } catch (LatheException e) {
            return false;
        }
    }

    private Session ensureSession() {
        if (session.isEmpty()) {
            Session created = api.createSession(CreateSessionRequest.in(directory));
            subscribe(created);
        }
        return session.get();
    }

    /** Messages read on attaching: enough to hold a running turn's parts (which must not print twice) and the last answer. */
    private static final int ATTACH_PAGE = 40;

    private Optional<Session> latest() {
        return api.sessions(directory).stream()
                .filter(s -> s.parentId().isEmpty() && s.archivedAt().isEmpty())
                .max(java.util.Comparator.comparingLong(Session::updatedAt));
    }

    private void attach(Session s) {
        subscribe(s);
        // the newest messages only: a running turn's parts are among them, and a day-long session attaches at once
        var newest = api.messages(s.id(), ATTACH_PAGE, Optional.empty());
        var history = newest.messages();
        history.forEach(m -> m.parts().forEach(printer::know));
        err.println("lathe: attached to " + s.id().value() + (s.title().isBlank() ? "" : " \"" + s.title() + "\"") + " in " + s.directory()
                + " (" + serverLabel + ", " + (newest.more() ? "more than " : "") + history.size() + " messages); " + HELP);
        SessionStatus status = api.status(s.id());
        busy = !(status instanceof SessionStatus.Idle);
        if (busy) {
            err.println("lathe: the session is " + SessionStatus.typeOf(status) + "; following its turn");
        } else {
            lastAnswer(history).ifPresent(text -> {
                out.println(text);
                out.flush();
            });
        }
        asks.loadPending(directory, s.id(), family);
        inputs.add(new Input.AsksChanged());
    }

    private static Optional<String> lastAnswer(java.util.List<MessageWithParts> history) {
        if (history.isEmpty() || !(history.getLast().info() instanceof AssistantMessage)) return Optional.empty();
        var text = new StringBuilder();
        for (Part p : history.getLast().parts()) if (p instanceof Part.Text t && !t.synthetic()) text.append(t.text());
        return text.isEmpty() ? Optional.empty() : Optional.of(text.toString().strip());
    }

    private void subscribe(Session s) {
        closeSubscription();
        family.clear();
        family.add(s.id());
        session = Optional.of(s);
        // the whole folder: subagent sessions of this one ask permissions too
        subscription = Optional.of(api.subscribe(new EventFilter(Optional.of(s.directory()), Optional.empty()), 0, this::onEvent));
    }

    private void closeSubscription() {
        subscription.ifPresent(sub -> {
            try {
                sub.close();
            } catch (Exception e) {
                // already gone
            }
        });
        subscription = Optional.empty();
    }

    /** On the subscription's thread: print, and hand decisions to the main loop. */
    private void onEvent(EventEnvelope envelope) {
        Event event = envelope.event();
        if (event instanceof Event.SessionCreated c && c.session().parentId().filter(family::contains).isPresent()) family.add(c.session().id());
        Optional<SessionId> of = Event.sessionOf(event);
        if (event instanceof Event.Resync) {
            session.ifPresent(s -> asks.loadPending(directory, s.id(), family));
            inputs.add(new Input.AsksChanged());
            return;
        }
        if (of.isEmpty() || !family.contains(of.get())) return;
        boolean main = session.map(s -> s.id().equals(of.get())).orElse(false);
        if (main) printer.on(event);
        switch (event) {
            case Event.SessionStatusChanged s when main -> {
                switch (s.status()) {
                    case SessionStatus.Idle _ -> inputs.add(new Input.Idle());
                    case SessionStatus.Retry r -> {
                        printer.endLine();
                        err.println("lathe: retrying (attempt " + r.attempt() + "): " + r.message());
                        busy = true;
                    }
                    case SessionStatus.Queued q -> {
                        printer.endLine();
                        err.println("lathe: queued (place " + q.position() + "): waiting for " + q.waitsFor());
                        busy = true;
                    }
                    case SessionStatus.Busy _, SessionStatus.Waiting _ -> busy = true;
                }
            }
            case Event.SessionErrored e when main -> {
                printer.endLine();
                err.println(e.error().kind().equals("permission_rejected") ? "lathe: rejected by you; the agent stopped"
                        : "lathe: " + e.error().kind() + ": " + e.error().message());
            }
            case Event.PermissionAsked a -> {
                asks.add(new ConsoleAsks.Ask.Permission(a.request(), !main));
                inputs.add(new Input.AsksChanged());
            }
            case Event.QuestionAsked q -> {
                asks.add(new ConsoleAsks.Ask.Questions(q.request(), !main));
                inputs.add(new Input.AsksChanged());
            }
            case Event.PermissionReplied r -> {
                if (asks.answeredElsewhere(r.permissionId().value())) inputs.add(new Input.AsksChanged());
            }
            case Event.QuestionReplied r -> {
                if (asks.answeredElsewhere(r.questionId().value())) inputs.add(new Input.AsksChanged());
            }
            default -> { }
        }
    }

    private void readLines(BufferedReader in) {
        try {
            String line;
            while ((line = in.readLine()) != null) inputs.add(new Input.Line(line));
        } catch (IOException e) {
            // standard input broke: same as its end
        }
        inputs.add(new Input.End());
    }

    private void showPrompt() {
        if (reading == Reading.PIPE || busy) return;
        err.print("> ");
        err.flush();
    }
}
