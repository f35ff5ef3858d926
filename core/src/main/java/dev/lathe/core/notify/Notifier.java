package dev.lathe.core.notify;

import dev.lathe.core.config.Config;
import dev.lathe.core.config.NotifyConfig;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.event.PermissionRequest;
import dev.lathe.protocol.event.QuestionRequest;
import dev.lathe.protocol.session.MessageError;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.SessionStatus;
import dev.lathe.protocol.session.ToolRejection;
import dev.lathe.protocol.session.ToolState;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Tells the user (their {@code notify} webhook and command, DESIGN §18 "Notifications") that a session asks
 * ({@code ask}: a permission ask or a question, or an ask nobody could answer was denied, DESIGN §26), finished its turn ({@code done}: back to idle after running here,
 * neither failed nor stopped by the user) or failed ({@code failed}: the turn ended with an error other than the user's
 * stop). A subagent's session tells of its asks only: its end is its parent's business. {@link #appended} only looks at
 * the event, on the thread that published it. Without {@code includeText} nothing the user or the model wrote goes
 * out: the text is neutral and the title (made from the first prompt) is the folder's name. The rest runs on a virtual thread of its own, at most
 * {@link #MAX_IN_FLIGHT} at once (more are dropped with a log line), each target bounded by the timeout: a slow, dead or
 * failing target never delays a turn and never breaks anything.
 */
public final class Notifier {
    private static final System.Logger LOG = System.getLogger(Notifier.class.getName());
    /** How many notices may be on their way at once: a burst of asks beyond it is dropped, not queued without bound. */
    static final int MAX_IN_FLIGHT = 16;
    /** The longest a webhook or a command may take. */
    public static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final Supplier<Config> userConfig;
    private final Function<SessionId, Optional<Session>> sessions;
    private final WebhookPost webhook;
    private final NoticeCommand command;
    /** Sessions whose turn this node runs (seen busy, waiting or retrying here), until they are idle again. */
    private final Set<SessionId> running = ConcurrentHashMap.newKeySet();
    /** Sessions whose running turn ended with an error here: their idle is no {@code done}. */
    private final Set<SessionId> ended = ConcurrentHashMap.newKeySet();
    private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
    /** Whether a client follows a session now ({@code notify.when}: away); none until the bus is made. */
    private volatile Watchers watchers = Watchers.NONE;

    /** Whether a client follows a session of a folder now: the user watches it. */
    public interface Watchers {
        Watchers NONE = (session, directory) -> false;

        boolean followed(SessionId session, Optional<String> directory);
    }

    /**
     * @param userConfig the user's own layers, read at each notice (an edit applies to the next one)
     * @param sessions a session by id, for its title, folder and parent
     */
    public Notifier(Supplier<Config> userConfig, Function<SessionId, Optional<Session>> sessions, WebhookPost webhook, NoticeCommand command) {
        this.userConfig = userConfig;
        this.sessions = sessions;
        this.webhook = webhook;
        this.command = command;
    }

    /** Asks {@code watchers} who follows a session, from now on (the bus, made after this). */
    public void watchedThrough(Watchers watchers) {
        this.watchers = watchers;
    }

    /** An event this node appended: noted, and a notice started when it is one. Never blocks, never throws. */
    void appended(Optional<String> directory, Event event) {
        switch (event) {
            case Event.PermissionAsked a -> send("ask", a.request().sessionId(), directory, "permission asked: " + a.request().permission(), asked(a.request()));
            case Event.QuestionAsked q -> send("ask", q.request().sessionId(), directory, "question asked", asked(q.request()));
            // an ask nobody could answer, denied as it was raised (DESIGN §26): told as an ask the user did not get to answer
            case Event.PartUpdated p when unattendedDenial(p.part()) -> {
                var tool = (Part.Tool) p.part();
                send("ask", tool.sessionId(), directory, "permission denied, nobody could answer: " + tool.tool(),
                        "permission denied, nobody could answer: " + tool.tool() + " " + ((ToolState.Failed) tool.state()).error());
            }
            case Event.SessionErrored e -> {
                // an error of the turn running here makes its idle no `done`; one before any turn ran is told all the same
                if (running.contains(e.sessionId())) ended.add(e.sessionId());
                if (!e.error().kind().equals(MessageError.aborted().kind())) {
                    send("failed", e.sessionId(), directory, "turn failed: " + e.error().kind(), e.error().kind() + ": " + e.error().message());
                }
            }
            case Event.SessionStatusChanged s -> {
                switch (s.status()) {
                    case SessionStatus.Idle _ -> {
                        boolean ran = running.remove(s.sessionId());
                        boolean failed = ended.remove(s.sessionId());
                        if (ran && !failed) send("done", s.sessionId(), directory, "turn finished", "turn finished");
                    }
                    // a team server's queue: no turn runs here yet
                    case SessionStatus.Queued _ -> { }
                    case SessionStatus.Busy _, SessionStatus.Waiting _, SessionStatus.Retry _ -> {
                        if (running.add(s.sessionId())) ended.remove(s.sessionId());
                    }
                }
            }
            default -> { }
        }
    }

    /** A tool call that failed because its ask was denied for want of anyone to answer it. */
    private static boolean unattendedDenial(Part part) {
        return part instanceof Part.Tool tool && tool.state() instanceof ToolState.Failed f
                && f.rejection().filter(r -> r.by() == ToolRejection.By.UNATTENDED).isPresent();
    }

    /**
     * A schedule's run could not start (DESIGN §18 "Schedules"): told as {@code failed}, with no session id, its text naming
     * the schedule and the reason (never the schedule's message).
     */
    public void scheduleFailed(String scheduleId, String directory, String reason) {
        if (!inFlight.tryAcquire()) return;
        try {
            Thread.ofVirtual().name("lathe-notify").start(() -> {
                try {
                    Config config = userConfig.get();
                    NotifyConfig notify = config.notifications();
                    if (!notify.wants("failed")) return;
                    var notice = new Notice("failed", "", folderName(directory), directory, "schedule " + scheduleId + " could not start: " + reason);
                    notify.webhook().ifPresent(url -> webhook.post(url, notice, config));
                    if (!notify.command().isEmpty()) command.run(notify.command(), notice, config);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "notify: cannot tell of schedule " + scheduleId + ": " + e.getMessage());
                } finally {
                    inFlight.release();
                }
            });
        } catch (RuntimeException e) {
            inFlight.release();
        }
    }

    private static String folderName(String directory) {
        if (directory.isEmpty()) return "";
        var name = java.nio.file.Path.of(directory).getFileName();
        return name == null ? directory : name.toString();
    }

    private static String asked(PermissionRequest request) {
        return request.title().isBlank() ? request.permission() + " " + String.join(" ", request.patterns()) : request.title();
    }

    private static String asked(QuestionRequest request) {
        return request.questions().isEmpty() ? "question asked" : request.questions().getFirst().question();
    }

    /**
     * Starts telling of {@code event} of session {@code id} (of the folder {@code directory}): {@code neutral} is the text,
     * unless the user lets {@code own} (the session's words) out.
     */
    private void send(String event, SessionId id, Optional<String> directory, String neutral, String own) {
        // whether anyone follows the session is read now, on the publishing thread: a `lathe run` that ends with this turn
        // stops following it a moment after it has seen the event, before the notice would look
        boolean watched = watchers.followed(id, directory);
        if (!inFlight.tryAcquire()) {
            LOG.log(System.Logger.Level.WARNING, "notify: " + MAX_IN_FLIGHT + " notices already on their way; the " + event + " of " + id.value() + " is dropped");
            return;
        }
        try {
            Thread.ofVirtual().name("lathe-notify").start(() -> {
                try {
                    deliver(event, id, neutral, own, watched);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "notify: cannot tell of the " + event + " of " + id.value() + ": " + e.getMessage());
                } finally {
                    inFlight.release();
                }
            });
        } catch (RuntimeException e) {
            inFlight.release();
        }
    }

    private void deliver(String event, SessionId id, String neutral, String own, boolean watched) {
        Config config = userConfig.get();
        NotifyConfig notify = config.notifications();
        if (!notify.wants(event)) return;
        Optional<Session> session = sessions.apply(id);
        if (!event.equals("ask") && session.flatMap(Session::parentId).isPresent()) return;
        if (notify.when() == NotifyConfig.When.AWAY && watched) return;
        boolean words = notify.includeText() == NotifyConfig.IncludeText.YES;
        String directory = session.map(Session::directory).orElse("");
        // a title is made from the user's first prompt: without includeText the folder's name stands in for it
        String title = words ? session.map(Session::title).orElse("") : folderName(directory);
        var notice = new Notice(event, id.value(), title, directory, words ? own : neutral);
        // side by side: a dead webhook does not hold the command back, nor a slow command the webhook
        Optional<Thread> posting = notify.webhook().map(url -> Thread.ofVirtual().name("lathe-notify-webhook").start(() -> webhook.post(url, notice, config)));
        if (!notify.command().isEmpty()) command.run(notify.command(), notice, config);
        posting.ifPresent(Notifier::awaitQuietly);
    }

    private static void awaitQuietly(Thread thread) {
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
