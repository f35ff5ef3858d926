package dev.lathe.core.schedule;

import dev.lathe.core.store.AccountStore;
import dev.lathe.core.store.ScheduleStore;
import dev.lathe.core.store.ScheduleStore.Stored;
import dev.lathe.protocol.ScheduleId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.ClientEnvironment;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.api.ScheduleInfo;
import dev.lathe.protocol.api.ScheduleRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

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
    /** The most schedules one owner keeps: every one is a session per due time, and the loop reads them all each tick. */
    public static final int MAX_PER_OWNER = 50;
    /** What of the owner's client environment a schedule keeps for its runs: the mode and config path, never a key. */
    static final List<String> KEPT_ENVIRONMENT = List.of("LATHE_NETWORK", "LATHE_CONFIG");

    /**
     * Starts one run of a schedule in two steps, so the session is its owner's before any turn of it runs: a new session
     * in its folder (or task of its repository), then its message sent to it.
     */
    public interface Starter {
        /** The run's session, made under the schedule's kept environment; not prompted yet. */
        SessionId create(Stored schedule, Instant due);

        /** Sends the schedule's message to the run's session. */
        void prompt(Stored schedule, SessionId session);
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
     * Adds a schedule of {@code owner} ({@code ""}: the one user of a server without accounts), keeping of the owner's
     * client environment ({@code environment}: what their {@code lathe} sent) {@code LATHE_NETWORK} and
     * {@code LATHE_CONFIG}, so the runs use the mode and configuration the owner's own sessions do. Keys and
     * {@code LATHE_CONFIG_CONTENT} are never stored: the runs use the server's.
     *
     * @throws LatheException.InvalidInput naming what is wrong: a cron field, the zone, the folder or the message
     * @throws LatheException.Conflict when the owner has {@link #MAX_PER_OWNER} schedules already
     */
    public ScheduleInfo add(ScheduleRequest request, String owner, Map<String, String> environment) {
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
        var kept = new TreeMap<String, String>();
        for (String name : KEPT_ENVIRONMENT) if (environment.containsKey(name)) kept.put(name, environment.get(name));
        var stored = new Stored(ScheduleId.next(), owner, cron.text(), zone.getId(), directory, request.repo(), request.message(), clock.millis(), kept);
        long owned = store.add(stored, MAX_PER_OWNER);
        if (owned >= MAX_PER_OWNER) {
            throw new LatheException.Conflict("you have " + owned + " schedules, the most one user may keep (" + MAX_PER_OWNER
                    + "): remove one first (lathe schedule list shows them)");
        }
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
            SessionId session = starter.create(s, due);
            store.started(s.id(), due.toEpochMilli(), session);
            // the owner first: the run's turn (its asks, its spend, its events) is theirs from its first step
            if (!s.owner().isEmpty()) owners.own(session, s.owner());
            starter.prompt(s, session);
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

    /**
     * The client environment a run of {@code s} uses: the server's own ({@code server}, its process environment) with the
     * {@code LATHE_NETWORK} and {@code LATHE_CONFIG} its owner had when adding it; the server's own when it kept none (a
     * schedule added through a team server, whose clients send no environment, or before V014).
     */
    public static ClientEnvironment runEnvironment(Stored s, Map<String, String> server) {
        if (s.environment().isEmpty()) return ClientEnvironment.NONE;
        var variables = new TreeMap<>(ClientEnvironment.of(server).variables());
        variables.putAll(s.environment());
        return new ClientEnvironment(variables);
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
