package dev.lathe.core.schedule;

import dev.lathe.core.store.AccountStore;
import dev.lathe.core.store.ScheduleStore;
import dev.lathe.core.store.ScheduleStore.Stored;
import dev.lathe.protocol.ScheduleId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.api.ScheduleInfo;
import dev.lathe.protocol.api.ScheduleRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Cron schedules (DESIGN §18 "Schedules"): added, listed and removed for their owners, and run when due. Every node
 * looks at the schedules every {@link #TICK}; a schedule is due when one of its times passed since it was made and
 * since its last run. Only the latest such time is owed (a server that was down through several runs it once), and the
 * run of that time is claimed in the store ({@link ScheduleStore#claim}) before it starts: of all the nodes of a team
 * server, one runs it, and a restart never runs it again. A run is a new session of the owner with the schedule's
 * message as its prompt, so the user's spend limits, permissions and sandbox apply as to any session; a run that
 * cannot start is told to the user's notifications ({@link Failures}).
 */
public final class Schedules implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Schedules.class.getName());
    /** How often due schedules are looked for: a run starts within this of its time. */
    public static final Duration TICK = Duration.ofSeconds(10);
    /** How far back a server that was down looks for a missed time (the one run it owes is the latest anyway). */
    private static final Duration CATCH_UP = Duration.ofDays(366);
    /** The longest message a schedule keeps, in characters: a prompt, never a file. */
    static final int MAX_MESSAGE = 100_000;

    /** Starts one run of a schedule: a new session in its folder (or task of its repository) prompted with its message. */
    @FunctionalInterface
    public interface Starter {
        SessionId start(Stored schedule, Instant due);
    }

    /** Tells the user that a run could not start (the session's own failures are told as any session's). */
    @FunctionalInterface
    public interface Failures {
        void failed(Stored schedule, String reason);
    }

    private final ScheduleStore store;
    private final AccountStore owners;
    private final Clock clock;
    private final String node;
    private final Starter starter;
    private final Failures failures;
    private volatile Thread loop;

    /**
     * @param owners where a run's session is recorded as its schedule's owner's (a team server's accounts)
     * @param node this node's id, recorded with each run it claims
     */
    public Schedules(ScheduleStore store, AccountStore owners, Clock clock, String node, Starter starter, Failures failures) {
        this.store = store;
        this.owners = owners;
        this.clock = clock;
        this.node = node;
        this.starter = starter;
        this.failures = failures;
    }

    /**
     * Adds a schedule of {@code owner} ({@code ""}: the one user of a server without accounts).
     *
     * @throws LatheException.InvalidInput naming what is wrong: a cron field, the zone, the folder or the message
     */
    public ScheduleInfo add(ScheduleRequest request, String owner) {
        if (request == null) throw new LatheException.InvalidInput("a schedule needs a body: {cron, message, directory or repo}");
        CronExpression cron = CronExpression.parse(request.cron());
        ZoneId zone = zone(request.zone());
        if (request.message() == null || request.message().isBlank()) throw new LatheException.InvalidInput("a schedule needs a message to send");
        if (request.message().length() > MAX_MESSAGE) {
            throw new LatheException.InvalidInput("the message has " + request.message().length() + " characters; a schedule's is at most " + MAX_MESSAGE);
        }
        if (request.directory().isPresent() == request.repo().isPresent()) {
            throw new LatheException.InvalidInput("a schedule runs in a folder (directory) or a repository (repo): give one of them");
        }
        Optional<String> directory = request.directory().map(ScheduleFolder::real);
        var stored = new Stored(ScheduleId.next(), owner, cron.text(), zone.getId(), directory, request.repo(), request.message(), clock.millis());
        store.add(stored);
        return info(stored);
    }

    /** The schedules {@code owner} sees: empty: every schedule (an admin, or the one user of a server without accounts). */
    public List<ScheduleInfo> list(Optional<String> owner) {
        return store.list().stream().filter(s -> owner.isEmpty() || owner.get().equals(s.owner())).map(this::info).toList();
    }

    /** The owner of schedule {@code id}, when there is one. */
    public Optional<String> ownerOf(String id) {
        return parse(id).flatMap(store::find).map(Stored::owner);
    }

    /** @throws LatheException.NotFound when there is no such schedule */
    public void remove(String id) {
        if (parse(id).map(store::remove).orElse(false)) return;
        throw new LatheException.NotFound("no schedule " + Printable.cut(id) + " (lathe schedule list shows them)");
    }

    /**
     * Runs what is due now: for each schedule, its latest time since it was made and since its last run, when this node
     * wins the claim of that time. Returns the sessions started.
     */
    public List<SessionId> runDue() {
        Instant now = clock.instant();
        var started = new ArrayList<SessionId>();
        for (Stored s : store.list()) {
            Optional<Instant> due;
            try {
                due = owed(s, now);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "schedule " + s.id().value() + " cannot be read: " + e.getMessage());
                continue;
            }
            if (due.isEmpty() || !store.claim(s.id(), due.get().toEpochMilli(), node)) continue;
            run(s, due.get()).ifPresent(started::add);
        }
        return started;
    }

    private Optional<SessionId> run(Stored s, Instant due) {
        try {
            s.directory().ifPresent(ScheduleFolder::unchanged);
            SessionId session = starter.start(s, due);
            store.started(s.id(), due.toEpochMilli(), session);
            if (!s.owner().isEmpty()) owners.own(session, s.owner());
            LOG.log(System.Logger.Level.INFO, "schedule {0} ran as {1}", s.id().value(), session.value());
            return Optional.of(session);
        } catch (RuntimeException e) {
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            LOG.log(System.Logger.Level.WARNING, "schedule " + s.id().value() + " could not start: " + reason);
            failures.failed(s, reason);
            return Optional.empty();
        }
    }

    /** The one time {@code s} owes a run for at {@code now}, if any. */
    private Optional<Instant> owed(Stored s, Instant now) {
        long since = Math.max(s.createdAt(), store.lastRun(s.id()).map(ScheduleStore.Run::slotAt).orElse(Long.MIN_VALUE));
        since = Math.max(since, now.minus(CATCH_UP).toEpochMilli());
        return CronExpression.parse(s.cron()).latestDue(Instant.ofEpochMilli(since), now, ZoneId.of(s.zone()));
    }

    /** Looks for due schedules every {@link #TICK} on a thread of its own, until {@link #close}. */
    public void start() {
        loop = Thread.ofVirtual().name("lathe-schedules").start(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    try {
                        runDue();
                    } catch (RuntimeException e) {
                        LOG.log(System.Logger.Level.WARNING, "looking for due schedules: " + e.getMessage());
                    }
                    Thread.sleep(TICK);
                }
            } catch (InterruptedException e) {
                // closing
            }
        });
    }

    @Override
    public void close() {
        Thread running = loop;
        if (running != null) running.interrupt();
    }

    private ScheduleInfo info(Stored s) {
        var last = store.lastRun(s.id());
        Optional<Long> next = CronExpression.parse(s.cron()).next(clock.instant(), ZoneId.of(s.zone())).map(Instant::toEpochMilli);
        return new ScheduleInfo(s.id().value(), s.cron(), s.zone(), s.directory(), s.repo(), s.message(), s.owner(), s.createdAt(),
                last.map(ScheduleStore.Run::slotAt), last.flatMap(ScheduleStore.Run::session).map(SessionId::value), next);
    }

    private static ZoneId zone(Optional<String> zone) {
        if (zone.isEmpty()) return ZoneId.of("UTC");
        try {
            return ZoneId.of(zone.get());
        } catch (java.time.DateTimeException e) {
            throw new LatheException.InvalidInput("unknown time zone '" + Printable.cut(zone.get()) + "': expected an IANA name such as Europe/Paris or UTC");
        }
    }

    private static Optional<ScheduleId> parse(String id) {
        if (id == null || !id.startsWith(ScheduleId.PREFIX)) return Optional.empty();
        return Optional.of(new ScheduleId(id));
    }
}
