package dev.lathe.app;

import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.ApiException;
import dev.lathe.protocol.api.CreateSessionRequest;
import dev.lathe.protocol.api.EventFilter;
import dev.lathe.protocol.api.LatheApi;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.api.PermissionReplyRequest;
import dev.lathe.protocol.api.PromptRequest;
import dev.lathe.protocol.api.QuestionReplyRequest;
import dev.lathe.protocol.event.QuestionRequest;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.event.EventEnvelope;
import dev.lathe.protocol.event.PermissionReply;
import dev.lathe.protocol.event.PermissionRequest;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.MessageError;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.SessionStatus;
import dev.lathe.protocol.wire.WireJson;
import java.io.PrintStream;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One headless prompt: pick or create the session, subscribe to its events, send the prompt, print as events arrive,
 * answer permission asks (allow once with {@code --allow-all}, otherwise reject and say so), decline questions (the
 * model is told nobody can answer and proceeds on its own judgement), and return the exit code
 * once the session is idle again. The session's subagents (child sessions the {@code task} tool starts) are part of
 * the run: their asks are answered the same way and {@code --format json} prints their events too (each names its
 * session); text output shows the session's own, and the run ends when the session itself is idle.
 */
final class HeadlessRun {
    private final LatheApi api;
    private final RunOptions options;
    private final PrintStream out;
    private final PrintStream err;
    private final EventPrinter printer;
    private final AtomicBoolean rejected = new AtomicBoolean();
    private final AtomicBoolean busySeen = new AtomicBoolean();
    private final CountDownLatch idle = new CountDownLatch(1);
    private volatile Optional<MessageError> sessionError = Optional.empty();
    /** The session and the subagent sessions below it. */
    private final java.util.Set<SessionId> family = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile Optional<SessionId> main = Optional.empty();

    HeadlessRun(LatheApi api, RunOptions options, PrintStream out, PrintStream err) {
        this.api = api;
        this.options = options;
        this.out = out;
        this.err = err;
        this.printer = new EventPrinter(out, err);
    }

    int run() throws InterruptedException {
        Session session;
        try {
            session = session();
        } catch (ApiException e) {
            err.println("lathe: " + e.getMessage());
            return ExitCode.USAGE;
        }
        SessionId id = session.id();
        String command = options.message().strip();
        if (command.equals("/undo") || command.equals("/redo")) return sessionCommand(id, command);
        if (command.equals("/compact")) return compact(id);
        main = Optional.of(id);
        family.add(id);
        try (AutoCloseable _ = api.subscribe(new EventFilter(Optional.of(session.directory()), Optional.empty()), 0, this::onEvent)) {
            api.children(id).forEach(c -> family.add(c.id()));
            try {
                api.prompt(id, new PromptRequest(List.of(new dev.lathe.protocol.api.InputPart.Text(options.message())), options.agent(), options.model()));
            } catch (ApiException e) {
                err.println("lathe: " + e.getMessage());
                return ExitCode.USAGE;
            }
            Thread hook = new Thread(() -> api.abort(id));
            Runtime.getRuntime().addShutdownHook(hook);
            // asks opened before our subscription was live would otherwise never be answered
            for (PermissionRequest r : api.permissions(session.directory())) if (family.contains(r.sessionId())) answer(r);
            for (QuestionRequest q : api.questions(session.directory())) if (family.contains(q.sessionId())) decline(q);
            while (!idle.await(200, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                if (!busySeen.get() && api.status(id) instanceof SessionStatus.Idle && finishedAfterPrompt(id)) break;
            }
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            err.println("lathe: " + e.getMessage());
            return ExitCode.MODEL_ERROR;
        }
        printer.endLine();
        out.flush();
        return exitCode(id);
    }

    /** A message that names a command runs it instead of going to the model (DESIGN §3). */
    private int sessionCommand(SessionId id, String command) {
        dev.lathe.protocol.api.RevertResult result;
        try {
            result = command.equals("/undo") ? api.undo(id) : api.redo(id);
        } catch (ApiException e) {
            err.println("lathe: " + e.getMessage());
            return ExitCode.USAGE;
        }
        String verb = command.equals("/undo") ? "Undid the last turn" : "Redid the last undone turn";
        out.println(verb + (result.files().isEmpty() ? "; no files changed." : "; restored " + String.join(", ", result.files()) + "."));
        out.flush();
        return ExitCode.FINISHED;
    }

    /** {@code /compact}: summarises the session now, with the summary's progress shown like a turn's. */
    private int compact(SessionId id) {
        try (AutoCloseable _ = api.subscribe(EventFilter.session(id), 0, this::onEvent)) {
            var result = api.compact(id);
            printer.endLine();
            out.println(result.messageId().isPresent() ? "Compacted the context: earlier turns summarised, the last ones kept."
                    : "Compacted the context: old tool outputs pruned.");
            out.flush();
            return ExitCode.FINISHED;
        } catch (ApiException e) {
            err.println("lathe: " + e.getMessage());
            return e.status() == 409 || e.status() == 400 ? ExitCode.USAGE : ExitCode.MODEL_ERROR;
        } catch (Exception e) {
            err.println("lathe: " + e.getMessage());
            return ExitCode.MODEL_ERROR;
        }
    }

    private Session session() {
        if (options.session().isPresent()) return api.session(new SessionId(options.session().get()));
        if (options.continueLatest()) {
            return api.sessions(options.directory()).stream().findFirst()
                    .orElseThrow(() -> ApiException.notFound("no earlier session in " + options.directory() + " to continue"));
        }
        return api.createSession(CreateSessionRequest.in(options.directory()).withModel(options.model()).withAgent(options.agent()));
    }

    private boolean finishedAfterPrompt(SessionId id) {
        List<MessageWithParts> history = api.messages(id);
        return !history.isEmpty() && history.getLast().info() instanceof AssistantMessage a && a.completedAt().isPresent();
    }

    private void onEvent(EventEnvelope envelope) {
        Event event = envelope.event();
        if (event instanceof Event.SessionCreated c && c.session().parentId().filter(family::contains).isPresent()) family.add(c.session().id());
        Optional<SessionId> of = Event.sessionOf(event);
        if (of.isPresent() && !family.contains(of.get())) return;
        if (options.format() == OutputFormat.json) {
            out.println(WireJson.writeEnvelope(envelope));
            out.flush();
        }
        // asks of subagents are answered like the session's own; everything else of theirs stays out of the text
        switch (event) {
            case Event.PermissionAsked a -> answer(a.request());
            case Event.QuestionAsked q -> decline(q.request());
            default -> { }
        }
        if (of.isPresent() && !of.equals(main)) return;
        if (options.format() == OutputFormat.text) printer.on(event);
        switch (event) {
            case Event.SessionStatusChanged s -> {
                if (s.status() instanceof SessionStatus.Busy) busySeen.set(true);
                if (s.status() instanceof SessionStatus.Idle && busySeen.get()) idle.countDown();
            }
            case Event.SessionErrored e -> sessionError = Optional.of(e.error());
            default -> { }
        }
    }

    private void answer(PermissionRequest request) {
        if (options.allowAll()) {
            reply(request, PermissionReply.ONCE);
            return;
        }
        rejected.set(true);
        printer.endLine();
        err.println("lathe: permission rejected: " + request.permission() + " " + String.join(" ", request.patterns())
                + " (lathe run answers asks with reject; pass --allow-all to allow, or add a rule to \"permission\" in lathe.json)");
        reply(request, PermissionReply.REJECT);
    }

    private void reply(PermissionRequest request, PermissionReply reply) {
        try {
            api.replyPermission(request.id(), PermissionReplyRequest.of(reply));
        } catch (ApiException e) {
            // another client answered first
        }
    }

    /** Nobody is there to answer: the model is told so and goes on (this is not a failure of the run). */
    private void decline(QuestionRequest request) {
        try {
            api.replyQuestion(request.id(), QuestionReplyRequest.rejected(QuestionReplyRequest.UNAVAILABLE));
        } catch (ApiException e) {
            // another client answered first
        }
    }

    private int exitCode(SessionId id) {
        List<MessageWithParts> history = api.messages(id);
        Optional<AssistantMessage> last = history.reversed().stream()
                .map(MessageWithParts::info).filter(AssistantMessage.class::isInstance).map(AssistantMessage.class::cast).findFirst();
        Optional<MessageError> error = last.flatMap(AssistantMessage::error).or(() -> sessionError);
        if (error.isEmpty()) return last.isPresent() ? ExitCode.FINISHED : ExitCode.MODEL_ERROR;
        if (error.get().kind().equals("permission_rejected") || rejected.get()) {
            return ExitCode.PERMISSION_REJECTED;
        }
        if (options.format() == OutputFormat.text) err.println("lathe: " + error.get().kind() + ": " + error.get().message());
        return ExitCode.MODEL_ERROR;
    }
}
