package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.app.EventLog.Phase;
import dev.lathe.client.HttpLatheClient;
import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.CreateSessionRequest;
import dev.lathe.protocol.api.EventFilter;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.api.PermissionReplyRequest;
import dev.lathe.protocol.api.PromptRequest;
import dev.lathe.protocol.event.PermissionReply;
import dev.lathe.protocol.event.PermissionRequest;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.PromptNotRun;
import dev.lathe.protocol.session.PromptQueued;
import dev.lathe.protocol.session.SessionStatus;
import dev.lathe.protocol.session.UserMessage;
import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.TempWorkspace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 over and over (DESIGN §4 durability contract): a real {@code lathe serve} from the packaged jar runs several
 * sessions at once against one FakeLlm (streamed text and reasoning, read/write/edit, bash sleeping, bash waiting on a
 * permission ask nobody answers, queued prompts); at a random moment, or as soon as a chosen phase is reached, the
 * server gets SIGKILL, sometimes again while it restarts. After each restart {@link DurabilityCheck} compares what the
 * dead server announced with the SQLite file, checks that nothing is left open and the file is sound, and every
 * session then answers a new prompt.
 *
 * <p>{@code -Dlathe.crashLoop.iterations=N} (default 11, decision 419: each target phase first, then random moments, the graceful stop and new home at the tenth; bench/crash-loop runs a thousand), {@code -Dlathe.crashLoop.seed=S} replays a run's choices
 * (timing still varies), {@code -Dlathe.crashLoop.keepGoing=true} counts failures instead of stopping at the first
 * (the bench), {@code -Dlathe.crashLoop.mode=timed|phase|announcement|always} uses one way of choosing the moment
 * ({@code always}: right as an "always" permission answer is announced). The summary goes to stdout and {@code target/crash-loop/summary.txt}; a failing iteration's data folder
 * and server log are kept under {@code target/crash-loop/}.
 */
class CrashLoopIT {
    private static final int ROTATE_EVERY = 10;
    private static final List<String> PROTOCOLS = List.of("anthropic-messages", "openai-chat", "openai-responses");
    private static final List<Phase> TARGETS = List.of(Phase.STREAMING, Phase.TOOL_RUNNING, Phase.PERMISSION_WAIT);
    private static final int MAX_FAILURES = 10;

    @TempDir Path tmp;

    /** How the moment of the kill is chosen: after a random delay, once a session is in a phase, right as a completion is announced. */
    private enum KillMode { TIMED, PHASE, ANNOUNCEMENT }

    /** What the client does with a permission ask of one session. */
    private enum AskPolicy { LEAVE_WAITING, ALLOW_ONCE, ALLOW_ALWAYS, REJECT }

    /** A session of the loop and the folder it works in; a session may be reused by the next iterations. */
    private record LoopSession(SessionId id, Path workspace, int uses) {}

    private final Map<Phase, Integer> touched = new EnumMap<>(Phase.class);
    private final Map<Phase, Integer> primary = new EnumMap<>(Phase.class);
    private final Map<KillMode, Integer> modes = new EnumMap<>(KillMode.class);
    private final List<String> failures = new ArrayList<>();
    private final Map<SessionId, AskPolicy> policies = new ConcurrentHashMap<>();
    private final List<MessageId> accepted = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final List<Thread> clientThreads = new java.util.concurrent.CopyOnWriteArrayList<>();
    private int kills;
    private int starts;
    private long startupMillis;
    private int homes;
    private int workspaces;
    private Duration lastStartup = Duration.ofSeconds(1);
    private TempWorkspace template;

    private FakeLlm llm;
    private CrashScript script;
    private Lathe lathe;
    private ServeProcess serve;
    private HttpLatheClient client;
    private AutoCloseable subscription;
    private EventLog log;
    private List<String> jvmFlags;

    @Test
    void everyKillLeavesADatabaseThatKeepsWhatWasAnnounced() throws Exception {
        int iterations = Integer.getInteger("lathe.crashLoop.iterations", 11);
        long seed = Long.getLong("lathe.crashLoop.seed", new Random().nextLong());
        boolean keepGoing = Boolean.getBoolean("lathe.crashLoop.keepGoing");
        Path out = Path.of(System.getProperty("lathe.jar", "target/lathe.jar")).toAbsolutePath().getParent().resolve("crash-loop");
        Files.createDirectories(out);
        System.out.println("crash-loop: seed=" + seed + " iterations=" + iterations + " (replay: -Dlathe.crashLoop.seed=" + seed + ")");
        long began = System.nanoTime();
        List<LoopSession> previous = List.of();
        try (var fake = FakeLlm.start()) {
            llm = fake;
            script = new CrashScript();
            llm.respondWith(script);
            jvmFlags = new ArrayList<>(ServeFlags.base(out));
            jvmFlags.addAll(aotCache(out));
            newHome(new Random(seed));
            for (int i = 0; i < iterations && failures.size() < MAX_FAILURES; i++) {
                var random = new Random(seed ^ (i * 0x9E3779B97F4A7C15L));
                if (i > 0 && i % ROTATE_EVERY == 0) {
                    stopGracefully();
                    // sessions live in the data folder: a new folder starts with new ones
                    for (LoopSession s : previous) deleteTree(s.workspace());
                    previous = List.of();
                    newHome(random);
                }
                try {
                    previous = iteration(i, random, previous);
                } catch (Exception | AssertionError e) {
                    String failure = "iteration " + i + " (seed " + seed + "): " + e;
                    failures.add(failure);
                    System.out.println("crash-loop: FAILED " + failure);
                    keep(out, i, seed);
                    if (!keepGoing) break;
                    for (LoopSession s : previous) deleteTree(s.workspace());
                    previous = List.of();
                    if (serve != null && serve.isAlive()) serve.kill();
                    newHome(random);
                }
            }
            if (failures.isEmpty()) stopGracefully();
        } finally {
            if (serve != null && serve.isAlive()) serve.kill();
            closeClient();
            for (LoopSession s : previous) deleteTree(s.workspace());
            if (template != null) template.close();
            String summary = summary(seed, iterations, Duration.ofNanos(System.nanoTime() - began));
            System.out.println(summary);
            Files.writeString(out.resolve("summary.txt"), summary + "\n" + String.join("\n", failures) + "\n");
        }
        assertThat(failures).as("seed " + seed).isEmpty();
        if (iterations >= 10 && System.getProperty("lathe.crashLoop.mode", "").isEmpty()) {
            for (Phase p : TARGETS) assertThat(touched.getOrDefault(p, 0)).as("kills during " + p).isPositive();
        }
    }

    /** One round: sessions get work, the server is killed, restarted and checked; returns the sessions to reuse. */
    private List<LoopSession> iteration(int i, Random r, List<LoopSession> previous) throws Exception {
        long t0 = System.nanoTime();
        script.clear();
        llm.forgetRequests();
        policies.clear();
        accepted.clear();
        int m = r.nextInt(100);
        String only = System.getProperty("lathe.crashLoop.mode", "");
        KillMode mode = !only.isEmpty() ? (only.equals("always") ? KillMode.ANNOUNCEMENT : KillMode.valueOf(only.toUpperCase(java.util.Locale.ROOT)))
                : i < TARGETS.size() ? KillMode.PHASE : i == TARGETS.size() ? KillMode.ANNOUNCEMENT
                : m < 35 ? KillMode.TIMED : m < 75 ? KillMode.PHASE : KillMode.ANNOUNCEMENT;
        Optional<Phase> target = mode != KillMode.PHASE ? Optional.empty()
                : Optional.of(i < TARGETS.size() ? TARGETS.get(i) : TARGETS.get(r.nextInt(TARGETS.size())));
        modes.merge(mode, 1, Integer::sum);
        // an announcement kill sometimes waits for one kind: an "always" answer, which must be stored once announced
        boolean onAlways = mode == KillMode.ANNOUNCEMENT && (only.equals("always") || r.nextInt(3) == 0);
        int count = 2 + r.nextInt(3);
        List<LoopSession> sessions = new ArrayList<>();
        for (LoopSession s : previous) {
            if (sessions.size() < count && s.uses() < 3 && r.nextInt(10) < 3) sessions.add(new LoopSession(s.id(), s.workspace(), s.uses() + 1));
            else deleteTree(s.workspace());
        }
        while (sessions.size() < count) sessions.add(newSession());
        Set<SessionId> ids = new LinkedHashSet<>();
        for (LoopSession s : sessions) ids.add(s.id());

        for (int slot = 0; slot < sessions.size(); slot++) {
            SessionId id = sessions.get(slot).id();
            CrashScript.Kind kind = CrashScript.WORK.get(r.nextInt(CrashScript.WORK.size()));
            Duration sleep = Duration.ofMillis(300 + r.nextInt(1500));
            if (slot == 0 && target.isPresent()) {
                kind = switch (target.get()) {
                    case STREAMING -> CrashScript.Kind.STREAM;
                    case TOOL_RUNNING -> CrashScript.Kind.BASH_SLEEP;
                    default -> CrashScript.Kind.BASH_ASK;
                };
                sleep = Duration.ofMillis(1500 + r.nextInt(1000));
            }
            if (slot == 0 && onAlways) kind = CrashScript.Kind.BASH_ASK;
            int p = r.nextInt(100);
            policies.put(id, slot == 0 && target.equals(Optional.of(Phase.PERMISSION_WAIT)) ? AskPolicy.LEAVE_WAITING
                    : slot == 0 && onAlways ? AskPolicy.ALLOW_ALWAYS
                    : p < 50 ? AskPolicy.LEAVE_WAITING : p < 70 ? AskPolicy.ALLOW_ONCE : p < 85 ? AskPolicy.ALLOW_ALWAYS : AskPolicy.REJECT);
            accepted.add(client.prompt(id, PromptRequest.text(script.prompt("q" + i + "x" + slot + "y0", kind, r, sleep))).messageId());
            if (r.nextInt(4) == 0) {
                // a second prompt while the first runs: stored at once, answered at the next step boundary or turn
                String queued = script.prompt("q" + i + "x" + slot + "y1", CrashScript.WORK.get(r.nextInt(CrashScript.WORK.size())), r, sleep);
                long delay = r.nextInt(600);
                var c = client;
                clientThreads.add(Thread.ofVirtual().start(() -> quietly(() -> {
                    Thread.sleep(delay);
                    accepted.add(c.prompt(id, PromptRequest.text(queued)).messageId());
                })));
            }
        }

        long t1 = System.nanoTime();
        Set<Phase> phases = switch (mode) {
            case PHASE -> {
                long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                while (!log.phases(ids).contains(target.orElseThrow()) && System.nanoTime() < deadline) Thread.sleep(5);
                Thread.sleep(r.nextInt(150));
                Set<Phase> now = log.phases(ids);
                serve.kill();
                yield now;
            }
            case ANNOUNCEMENT -> {
                // the moment a completion reaches the client: whatever it announced must already be in the file
                var atKill = new java.util.concurrent.atomic.AtomicReference<Set<Phase>>();
                var dying = serve;
                java.util.function.Predicate<dev.lathe.protocol.event.Event> which = onAlways ? EventLog::announcesAlways : EventLog::announcesCompletion;
                log.onNth(which, onAlways ? 1 : 1 + r.nextInt(8), () -> {
                    atKill.set(log.phases(ids));
                    dying.killNow();
                });
                long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
                while (serve.isAlive() && System.nanoTime() < deadline) Thread.sleep(5);
                if (serve.isAlive()) {
                    atKill.set(log.phases(ids));
                    serve.kill();
                } else {
                    serve.awaitKilled();
                }
                yield atKill.get();
            }
            case TIMED -> {
                Thread.sleep(r.nextInt(1200));
                Set<Phase> now = log.phases(ids);
                serve.kill();
                yield now;
            }
        };
        count(phases);
        closeClient();
        List<dev.lathe.protocol.event.EventEnvelope> announced = log.events();

        long t2 = System.nanoTime();
        // "leave waiting" is about the ask the kill interrupts: a prompt queued before the kill runs at the next start
        // (decision 423) and may ask again; that ask is answered, or the session never becomes idle for the check
        policies.replaceAll((id, p) -> p == AskPolicy.LEAVE_WAITING ? AskPolicy.REJECT : p);
        if (r.nextInt(100) < 15) killDuringStartup(r);
        start();
        // a prompt queued behind the killed turn is answered at the start (decision 423): its turn ends before the check
        awaitIdle(ids, Duration.ofSeconds(60));
        long t3 = System.nanoTime();

        var check = new DurabilityCheck();
        check.database(announced, List.copyOf(accepted), lathe.database());
        check.api(client, ids);
        long t4 = System.nanoTime();
        if (check.problems().isEmpty()) ping(i, sessions, check);
        // event ids keep growing across a kill (decisions §8), so a client resuming with an old Last-Event-ID gets resync
        long before = announced.stream().mapToLong(e -> e.seq()).max().orElse(0);
        long after = log.events().stream().mapToLong(e -> e.seq()).filter(seq -> seq > 0).min().orElse(Long.MAX_VALUE);
        if (after <= before) check.problems().add("the restarted server's event ids start at " + after + ", not after the killed one's " + before);
        System.out.printf(java.util.Locale.ROOT, "crash-loop: #%d %d sessions, killed in %s after %d ms; setup %d ms, restart %d ms, check %d ms, ping %d ms%n",
                i, sessions.size(), phases, ms(t2 - t1), ms(t1 - t0), ms(t3 - t2), ms(t4 - t3), ms(System.nanoTime() - t4));
        if (!check.problems().isEmpty()) {
            throw new AssertionError(check.problems().size() + " problem(s) after a kill in " + phases + ":\n  " + String.join("\n  ", check.problems()));
        }
        return sessions;
    }

    /** Every session takes a new prompt and answers it, whatever the kill left in its history. */
    private void ping(int i, List<LoopSession> sessions, DurabilityCheck check) throws InterruptedException {
        Map<SessionId, MessageId> asked = new java.util.LinkedHashMap<>();
        Map<SessionId, String> nonces = new java.util.HashMap<>();
        for (int slot = 0; slot < sessions.size(); slot++) {
            SessionId id = sessions.get(slot).id();
            String nonce = "q" + i + "x" + slot + "p";
            nonces.put(id, nonce);
            asked.put(id, client.prompt(id, PromptRequest.text(script.prompt(nonce, CrashScript.Kind.PING, new Random(), Duration.ZERO))).messageId());
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        for (var e : asked.entrySet()) {
            Optional<MessageWithParts> answer = Optional.empty();
            while (answer.isEmpty() && System.nanoTime() < deadline) {
                answer = client.messages(e.getKey()).stream()
                        .filter(m -> m.info() instanceof AssistantMessage a && a.parentId().equals(e.getValue()) && a.completedAt().isPresent())
                        .findFirst();
                if (answer.isEmpty()) Thread.sleep(20);
            }
            if (answer.isEmpty()) {
                check.problems().add("session " + e.getKey() + " did not answer a new prompt after the restart");
                continue;
            }
            var a = (AssistantMessage) answer.get().info();
            String pong = CrashScript.pong(nonces.get(e.getKey()));
            if (a.error().isPresent() || !a.finish().equals(Optional.of("stop"))
                    || answer.get().parts().stream().noneMatch(p -> p instanceof Part.Text t && t.text().equals(pong))) {
                check.problems().add("session " + e.getKey() + " answered the new prompt with " + dev.lathe.protocol.wire.WireJson.write(answer.get()));
            }
        }
    }

    /** SIGKILL while the server opens the database, repairs it and starts listening, at a random point. */
    private void killDuringStartup(Random r) throws Exception {
        var starting = ServeProcess.start(lathe);
        // anywhere from the JVM's first instruction to just after it is listening
        Thread.sleep(r.nextInt((int) Math.max(300, lastStartup.toMillis() * 6 / 5)));
        if (!starting.isAlive()) throw new AssertionError("lathe serve exited on its own while starting");
        starting.kill();
        kills++;
        touched.merge(Phase.STARTUP, 1, Integer::sum);
        primary.merge(Phase.STARTUP, 1, Integer::sum);
    }

    private void count(Set<Phase> phases) {
        kills++;
        for (Phase p : phases) touched.merge(p, 1, Integer::sum);
        Phase first = phases.stream().min(Enum::compareTo).orElse(Phase.IDLE);
        primary.merge(first, 1, Integer::sum);
    }

    /** A session in a new project folder: a copy of one small git repository (cheaper than {@code git init} each time). */
    private LoopSession newSession() throws IOException {
        if (template == null) {
            template = TempWorkspace.create().write("notes.txt", "remember the milk\n").write("src/app.txt", "alpha\nbeta\ngamma\n").initGitRepo();
        }
        Path ws = Files.createDirectories(tmp.resolve("ws-" + workspaces++)).toRealPath();
        try (Stream<Path> files = Files.walk(template.path())) {
            for (Path f : files.toList()) {
                Path to = ws.resolve(template.path().relativize(f).toString());
                if (Files.isDirectory(f)) Files.createDirectories(to);
                else Files.copy(f, to, StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
        return new LoopSession(client.createSession(CreateSessionRequest.in(ws.toString())).id(), ws, 1);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(f);
        }
    }

    /** A fresh data folder (and wire protocol) with its first server, which is sometimes killed during its first start. */
    private void newHome(Random r) throws Exception {
        closeClient();
        // a long run would otherwise keep a data folder (database, snapshots) per ten iterations
        if (lathe != null && (serve == null || !serve.isAlive())) deleteTree(lathe.home());
        Path home = Files.createDirectories(tmp.resolve("home-" + homes));
        String protocol = PROTOCOLS.get(homes % PROTOCOLS.size());
        homes++;
        lathe = new Lathe(home, config(protocol)).withJvmFlags(jvmFlags);
        // the very first start creates the schema: a kill there must leave a file the next start can finish
        if (r.nextInt(100) < 30) killDuringStartup(r);
        start();
    }

    /**
     * The AOT cache for the loop's servers: one recorded from {@code lathe serve} for this jar if there is one (the
     * build records {@code lathe-serve.aot}), else the build's own (recorded from {@code lathe run}; none with
     * {@code -DskipAot}), else a new serve cache (about
     * 15 s, repaid after a dozen starts). {@code -Dlathe.crashLoop.aot=off} starts every server without a cache.
     */
    private List<String> aotCache(Path out) throws Exception {
        if (System.getProperty("lathe.crashLoop.aot", "on").equals("off")) return List.of();
        Path serveCache = out.resolve("serve.aot");
        Path buildServeCache = ServeFlags.jar().resolveSibling("lathe-serve.aot");
        if (!ServeFlags.isFresh(serveCache) && ServeFlags.isFresh(buildServeCache)) return ServeFlags.useCache(buildServeCache);
        Path buildCache = ServeFlags.jar().resolveSibling("lathe.aot");
        if (!ServeFlags.isFresh(serveCache) && ServeFlags.isFresh(buildCache)) return ServeFlags.useCache(buildCache);
        return ServeAotCache.at(serveCache, tmp.resolve("aot-training"), config(PROTOCOLS.getFirst()), jvmFlags, script)
                .map(ServeFlags::useCache).orElse(List.of());
    }

    private String config(String protocol) {
        String provider = Lathe.providerConfig(protocol, llm.baseUrl(), "sk-crash");
        return provider.substring(0, provider.length() - 1) + ", \"permission\": " + CrashScript.PERMISSION + "}";
    }

    /**
     * Waits until every session in {@code ids} is idle with no prompt still queued (the start resumes those a few moments
     * after it answers), or {@code limit} has passed (the check then names what is still busy).
     */
    private void awaitIdle(Set<SessionId> ids, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            if (ids.stream().allMatch(id -> client.status(id) instanceof SessionStatus.Idle && client.messages(id).stream().noneMatch(CrashLoopIT::waitsQueued))) {
                return;
            }
            Thread.sleep(50);
        }
    }

    private static boolean waitsQueued(MessageWithParts m) {
        return m.info() instanceof UserMessage && PromptQueued.marks(m.parts()) && !PromptNotRun.marks(m.parts());
    }

    private void start() throws Exception {
        serve = ServeProcess.start(lathe);
        var ready = serve.awaitReady(Duration.ofSeconds(60));
        starts++;
        startupMillis += ready.startup().toMillis();
        lastStartup = ready.startup();
        client = HttpLatheClient.connect(ready.endpoint(), Optional.empty());
        log = new EventLog(this::answer);
        subscription = client.subscribe(EventFilter.ALL, 0, log);
    }

    /** Answers an ask as the session's policy says, from another thread (never inside the event stream). */
    private void answer(PermissionRequest ask) {
        AskPolicy policy = policies.getOrDefault(ask.sessionId(), AskPolicy.LEAVE_WAITING);
        if (policy == AskPolicy.LEAVE_WAITING) return;
        var c = client;
        clientThreads.add(Thread.ofVirtual().start(() -> quietly(() -> {
            Thread.sleep(ask.createdAt() % 300);
            c.replyPermission(ask.id(), PermissionReplyRequest.of(switch (policy) {
                case ALLOW_ONCE -> PermissionReply.ONCE;
                case ALLOW_ALWAYS -> PermissionReply.ALWAYS;
                case LEAVE_WAITING, REJECT -> PermissionReply.REJECT;
            }));
        })));
    }

    private void closeClient() throws Exception {
        if (subscription != null) subscription.close();
        if (client != null) client.close();
        subscription = null;
        client = null;
        for (Thread t : clientThreads) t.join(Duration.ofSeconds(5));
        clientThreads.removeIf(t -> !t.isAlive());
    }

    /** SIGTERM between data folders: the server must stop cleanly, remove server.json and log no stack trace. */
    private void stopGracefully() throws Exception {
        closeClient();
        int exit = serve.stop(Duration.ofSeconds(20));
        assertThat(exit).as("exit status of lathe serve after SIGTERM").isIn(0, 143);
        assertThat(lathe.serverJson()).doesNotExist();
        String serveLog = Files.readString(lathe.home().resolve("serve.log"));
        assertThat(serveLog).as("serve.log of " + lathe.home()).doesNotContain("Exception");
    }

    /** Copies a failing iteration's database and server log where a developer finds them. */
    private void keep(Path out, int iteration, long seed) {
        try {
            Path target = Files.createDirectories(out.resolve("failure-" + seed + "-" + iteration));
            Path data = lathe.database().getParent();
            try (Stream<Path> files = Files.list(data)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) Files.copy(f, target.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
            Files.copy(lathe.home().resolve("serve.log"), target.resolve("serve.log"), StandardCopyOption.REPLACE_EXISTING);
            System.out.println("crash-loop: kept " + target);
        } catch (IOException e) {
            System.out.println("crash-loop: could not keep the failing data folder: " + e);
        }
    }

    private String summary(long seed, int iterations, Duration wall) {
        return String.format(java.util.Locale.ROOT,
                "crash-loop summary: seed=%d iterations=%d kills=%d modes=%s primary=%s touched=%s failures=%d wall=%.1fs serverStarts=%d meanStart=%dms jvm=%s",
                seed, iterations, kills, modes, primary, touched, failures.size(), wall.toMillis() / 1000.0, starts, starts == 0 ? 0 : startupMillis / starts,
                jvmFlags);
    }

    private static long ms(long nanos) { return nanos / 1_000_000; }

    @FunctionalInterface
    private interface Action {
        void run() throws Exception;
    }

    /** Client calls racing the kill fail with connection errors; that is expected and ignored. */
    private static void quietly(Action action) {
        try {
            action.run();
        } catch (Exception e) {
            // the server died under this call
        }
    }
}
