package dev.lathe.bench;

import dev.lathe.client.HttpLatheClient;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.CreateSessionRequest;
import dev.lathe.protocol.api.EventFilter;
import dev.lathe.protocol.api.PromptRequest;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.event.EventEnvelope;
import dev.lathe.protocol.session.SessionStatus;
import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.RecordedRequest;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.TempWorkspace;
import dev.lathe.testkit.Turn;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Two server figures of DESIGN §16, measured on a real {@code lathe serve} process started as {@code bin/lathe serve}
 * starts it, its provider a {@link FakeLlm} on loopback hosted in this JVM:
 * <ol>
 *   <li>{@code server_idle_rss_mib} (and {@code server_hwm_mib}): the server's VmRSS (VmHWM) once idle and settled,
 *       with 0 sessions, then with {@code --sessions} sessions that each ran one prompt to the end;</li>
 *   <li>{@code stream_event_latency_ms}: {@code --streams} new sessions prompted at once, the fake streaming each
 *       answer as {@code --deltas} text deltas {@code --interval-ms} apart, each stamped with its send time; a client
 *       subscribed to {@code GET /events} takes receive time − send time of every {@code message.part.delta}. The
 *       figure is the round after {@code --warmups} unmeasured ones of the same shape.</li>
 * </ol>
 * Prints one JSON object per figure on stdout and notes on stderr; exit status 0, 1 when a turn failed or deltas were
 * lost, 2 on bad usage. Nothing but loopback is reached (the server's model catalog download is off).
 *
 * {@snippet lang=sh :
 * java -cp bench/target/benchmarks.jar dev.lathe.bench.ServerBench --sessions 100 --streams 50 --jar app/target/lathe.jar
 * }
 */
public final class ServerBench {
    static final String USAGE = """
            usage: ServerBench [--sessions N] [--streams N] [--deltas N] [--interval-ms N] [--warmups N] [--settle-ms N]
                               [--jar PATH | --own-classpath] [--jvm-flag FLAG]... [--diagnose] [--help]
              --sessions N      sessions loaded (one prompt each) for the second RSS figure (default 100)
              --streams N       sessions streaming at once for the latency figure (default 50)
              --deltas N        text deltas per streamed answer (default 100)
              --interval-ms N   pause between two streamed events (default 20)
              --warmups N       unmeasured rounds of the same streams before the measured one (default 1)
              --settle-ms N     idle time before each RSS reading (default 5000)
              --jar PATH        the lathe.jar to serve from (default app/target/lathe.jar)
              --own-classpath   serve from this JVM's class path instead of a jar (tests)
              --jvm-flag FLAG   one more JVM option for the server (repeatable), e.g. -Xmx64m
              --diagnose        after each RSS reading print the server's heap and (with --jvm-flag
                                -XX:NativeMemoryTracking=summary) native memory on stderr, then run a
                                full GC and print them again (later readings then see a collected heap)
            """;

    private static final String MODEL_KEY = "sk-bench-fake-key";

    /** Parsed command line. */
    record Options(int sessions, int streams, int deltas, Duration interval, int warmups, Duration settle, ServeProcess.Code code,
            List<String> jvmFlags, boolean diagnose) {

        static Options parse(List<String> args) {
            int sessions = 100, streams = 50, deltas = 100, warmups = 1;
            Duration interval = Duration.ofMillis(20), settle = Duration.ofSeconds(5);
            ServeProcess.Code code = new ServeProcess.Code.Jar(Path.of("app/target/lathe.jar"));
            List<String> flags = new ArrayList<>();
            boolean diagnose = false;
            for (int i = 0; i < args.size(); i++) {
                String a = args.get(i);
                switch (a) {
                    case "--sessions" -> sessions = count(args, ++i, a, 0);
                    case "--streams" -> streams = count(args, ++i, a, 0);
                    case "--deltas" -> deltas = count(args, ++i, a, 1);
                    case "--interval-ms" -> interval = Duration.ofMillis(count(args, ++i, a, 0));
                    case "--warmups" -> warmups = count(args, ++i, a, 0);
                    case "--settle-ms" -> settle = Duration.ofMillis(count(args, ++i, a, 0));
                    case "--jar" -> code = new ServeProcess.Code.Jar(Path.of(value(args, ++i, a)));
                    case "--own-classpath" -> code = new ServeProcess.Code.ClassPath(System.getProperty("java.class.path"));
                    case "--jvm-flag" -> flags.add(value(args, ++i, a));
                    case "--diagnose" -> diagnose = true;
                    default -> throw new IllegalArgumentException("unknown option " + a);
                }
            }
            if (code instanceof ServeProcess.Code.Jar(Path jar) && !Files.isRegularFile(jar)) {
                throw new IllegalArgumentException(jar.toAbsolutePath() + " does not exist: build it (./mvnw -B -o -q -pl bench -am package "
                        + "-DskipTests) or pass --jar");
            }
            return new Options(sessions, streams, deltas, interval, warmups, settle, code, List.copyOf(flags), diagnose);
        }

        private static String value(List<String> args, int i, String option) {
            if (i >= args.size()) throw new IllegalArgumentException(option + " needs a value");
            return args.get(i);
        }

        private static int count(List<String> args, int i, String option, int min) {
            try {
                int n = Integer.parseInt(value(args, i, option));
                if (n < min) throw new IllegalArgumentException(option + " must be at least " + min);
                return n;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + " takes a whole number");
            }
        }
    }

    private final Options options;
    private final PrintStream out;
    private final PrintStream err;
    private final Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    /** One latch per prompted session, counted down when the session is idle again. */
    private final Map<SessionId, CountDownLatch> turns = new ConcurrentHashMap<>();
    private final List<String> failures = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger resyncs = new AtomicInteger();
    private volatile StreamRound round = new StreamRound();

    private ServerBench(Options options, PrintStream out, PrintStream err) {
        this.options = options;
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) throws Exception {
        System.exit(run(List.of(args), System.out, System.err));
    }

    /** Runs the measurements; returns the exit status. */
    static int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
        if (args.contains("--help") || args.contains("-h")) {
            out.print(USAGE);
            return 0;
        }
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("ServerBench: " + e.getMessage());
            err.print(USAGE);
            return 2;
        }
        return new ServerBench(options, out, err).run();
    }

    private int run() throws Exception {
        // the server's XDG folders: a temp folder deleted at the end like the project's
        try (var homeFolder = TempWorkspace.create();
             var llm = FakeLlm.start();
             var ws = TempWorkspace.create().write("README.md", "# bench\n\nA project for the server benchmark.\n").initGitRepo()) {
            Path home = homeFolder.path();
            llm.respondWith(this::answer);
            String config = """
                    {"model": "fake/fake-model", "provider": {"fake": {"protocol": "openai-chat", "baseUrl": "%s", "apiKey": "%s",
                      "models": {"fake-model": {"context": 100000, "output": 4096}}}}}
                    """.formatted(llm.baseUrl(), MODEL_KEY);
            long began = System.nanoTime();
            try (var serve = ServeProcess.start(java, options.code(), options.jvmFlags(), home, config, Duration.ofSeconds(120))) {
                note("lathe serve pid %d ready in %d ms (%s)", serve.pid(), (System.nanoTime() - began) / 1_000_000, describe(options.code()));
                String dir = ws.path().toString();
                try (var client = HttpLatheClient.connect(serve.endpoint(), Optional.of(dir));
                     var _ = client.subscribe(EventFilter.ALL, 0, this::on)) {
                    measureIdle(serve, client, dir, 0);
                    if (options.sessions() > 0) {
                        load(client, dir);
                        measureIdle(serve, client, dir, options.sessions());
                    }
                    llm.forgetRequests();
                    for (int i = 0; i < options.warmups() && options.streams() > 0; i++) stream(serve, client, dir, Round.WARM_UP);
                    if (options.streams() > 0) stream(serve, client, dir, Round.MEASURED);
                }
            }
        }
        if (resyncs.get() > 0) failures.add("the event stream lagged: " + resyncs.get() + " resync event(s)");
        failures.forEach(f -> note("FAILED: %s", f));
        return failures.isEmpty() ? 0 : 1;
    }

    /** The fake model: a short answer for loading prompts, a paced stamped stream for streaming ones. */
    private Turn answer(RecordedRequest request) {
        if (!request.lastUserText().startsWith("stream")) {
            return Turn.of(Step.text("Okay. The README holds one heading and one sentence; nothing else is in the folder yet."));
        }
        List<String> deltas = Collections.nCopies(options.deltas(), Latencies.delta(FakeLlm.SEND_TIME));
        return Turn.of(Step.textDeltas(deltas)).delayBetweenEvents(options.interval());
    }

    private void on(EventEnvelope envelope) {
        long receivedAt = System.nanoTime();
        switch (envelope.event()) {
            case Event.PartDelta d -> round.on(d, receivedAt);
            case Event.SessionStatusChanged s when s.status() instanceof SessionStatus.Idle -> {
                var latch = turns.get(s.sessionId());
                if (latch != null) latch.countDown();
            }
            case Event.SessionErrored e -> failures.add("session " + e.sessionId().value() + " failed: " + e.error());
            case Event.Resync _ -> resyncs.incrementAndGet();
            default -> { }
        }
    }

    /** {@code --sessions} sessions, each created and run through one prompt, at most eight at a time. */
    private void load(HttpLatheClient client, String dir) throws InterruptedException {
        long began = System.nanoTime();
        var permits = new Semaphore(8);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < options.sessions(); i++) {
            int n = i;
            permits.acquire();
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    SessionId id = client.createSession(CreateSessionRequest.in(dir)).id();
                    var done = new CountDownLatch(1);
                    turns.put(id, done);
                    client.prompt(id, PromptRequest.text("load " + n + ": what is in this folder?"));
                    if (!done.await(60, TimeUnit.SECONDS)) failures.add("loading session " + id.value() + " did not finish within 60 s");
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (RuntimeException e) {
                    failures.add("loading session " + n + ": " + e);
                } finally {
                    permits.release();
                }
            }));
        }
        for (Thread t : threads) t.join();
        note("loaded %d sessions (one prompt each) in %d ms", options.sessions(), (System.nanoTime() - began) / 1_000_000);
    }

    /** Waits until no session is busy, lets the server settle, then reads its memory and prints the figures. */
    private void measureIdle(ServeProcess serve, HttpLatheClient client, String dir, int sessions) throws InterruptedException {
        // with no session the project folder is left untouched until the reading: asking would load its instance
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (sessions > 0 && !client.statuses(dir).isEmpty()) {
            if (System.nanoTime() > deadline) throw new IllegalStateException("sessions still busy after 60 s: " + client.statuses(dir));
            Thread.sleep(50);
        }
        Thread.sleep(options.settle());
        ServeProcess.Memory m = serve.memory();
        int listed = client.sessions(dir).size();
        if (listed != sessions) failures.add("the server lists " + listed + " sessions, expected " + sessions);
        out.println(json("server_idle_rss_mib", sessions, m.rssKib(), ", \"target\": " + (sessions == 0 ? 100 : 150)
                + ", \"rss_anon_mib\": " + mib(m.rssAnonKib()) + ", \"rss_file_mib\": " + mib(m.rssFileKib()) + ", \"threads\": " + m.threads()));
        out.println(json("server_hwm_mib", sessions, m.hwmKib(), ""));
        out.flush();
        note("idle with %d sessions: VmRSS %s MiB (anon %s, file %s), VmHWM %s MiB, %d threads", sessions, mib(m.rssKib()),
                mib(m.rssAnonKib()), mib(m.rssFileKib()), mib(m.hwmKib()), m.threads());
        if (options.diagnose()) {
            err.println(serve.jcmd(java, "GC.heap_info"));
            err.println(serve.jcmd(java, "VM.native_memory", "summary"));
            // the live set: a full GC here changes what later readings see, which is why only --diagnose does it
            serve.jcmd(java, "GC.run");
            ServeProcess.Memory after = serve.memory();
            note("after a full GC: VmRSS %s MiB (anon %s)", mib(after.rssKib()), mib(after.rssAnonKib()));
            err.println(serve.jcmd(java, "GC.heap_info"));
        }
    }

    private static String json(String figure, int sessions, long kib, String more) {
        return "{\"figure\": \"" + figure + "\", \"sessions\": " + sessions + ", \"value\": " + mib(kib) + more + "}";
    }

    private static String mib(long kib) { return String.format(Locale.ROOT, "%.1f", ServeProcess.Memory.mib(kib)); }

    private enum Round { WARM_UP, MEASURED }

    /**
     * {@code streams} new sessions, prompted all at once; each answer is {@code deltas} stamped deltas. Only the
     * measured round prints its figure; a warm-up round (the server's JIT meeting the streaming path) only a note.
     */
    private void stream(ServeProcess serve, HttpLatheClient client, String dir, Round kind) throws InterruptedException {
        var current = new StreamRound();
        List<SessionId> ids = new ArrayList<>();
        for (int i = 0; i < options.streams(); i++) {
            SessionId id = client.createSession(CreateSessionRequest.in(dir)).id();
            ids.add(id);
            turns.put(id, new CountDownLatch(1));
            current.add(id);
        }
        round = current;
        var go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            SessionId id = ids.get(i);
            int n = i;
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    go.await();
                    client.prompt(id, PromptRequest.text("stream " + n + ": tell me a long story"));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (RuntimeException e) {
                    failures.add("prompting streaming session " + n + ": " + e);
                    turns.get(id).countDown();
                }
            }));
        }
        Cpu.OfProcess serverCpu = serve.cpu();
        Duration ownCpu = ownCpu(), busy = Cpu.machineBusy();
        long began = System.nanoTime();
        go.countDown();
        for (Thread t : threads) t.join();
        long wait = options.interval().multipliedBy(options.deltas() + 10).plusSeconds(60).toMillis();
        for (SessionId id : ids) {
            if (!turns.get(id).await(Math.max(1, wait - (System.nanoTime() - began) / 1_000_000), TimeUnit.MILLISECONDS)) {
                failures.add("streaming session " + id.value() + " did not finish");
            }
        }
        long tookMs = (System.nanoTime() - began) / 1_000_000;
        Cpu.OfProcess server = serve.cpu().minus(serverCpu);
        long serverMs = server.total().toMillis(), ownMs = ownCpu().minus(ownCpu).toMillis();
        long othersMs = Math.max(0, Cpu.machineBusy().minus(busy).toMillis() - serverMs - ownMs);
        // the last delta's event may follow the idle status on another path: give stragglers a moment
        long expected = (long) options.streams() * options.deltas();
        long until = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while (current.all.count() < expected && System.nanoTime() < until) Thread.sleep(10);
        Latencies.Summary s = current.all.summary();
        if (s.count() != expected) failures.add("received " + s.count() + " stamped deltas, expected " + expected);
        if (kind == Round.MEASURED) {
            out.println(String.format(Locale.ROOT, "{\"figure\": \"stream_event_latency_ms\", \"streams\": %d, \"deltas\": %d, "
                            + "\"interval_ms\": %d, \"warmups\": %d, \"count\": %d, \"p50\": %.2f, \"p99\": %.2f, \"max\": %.2f, "
                            + "\"target_p99\": 50, \"wall_ms\": %d, \"server_cpu_ms\": %d, \"bench_cpu_ms\": %d, \"others_cpu_ms\": %d}",
                    options.streams(), options.deltas(), options.interval().toMillis(), options.warmups(), s.count(), s.p50Ms(), s.p99Ms(),
                    s.maxMs(), tookMs, serverMs, ownMs, othersMs));
            out.flush();
        }
        String name = kind == Round.MEASURED ? "measured round" : "warm-up round";
        note("%s: %d sessions streamed %d deltas each, %d ms apart, in %d ms: p50 %.2f ms, p99 %.2f ms, max %.2f ms over %d deltas",
                name, options.streams(), options.deltas(), options.interval().toMillis(), tookMs, s.p50Ms(), s.p99Ms(), s.maxMs(), s.count());
        note("%s: CPU used in those %d ms (× %d cores): the server %d ms and its git processes %d ms, this JVM (fake model and "
                + "client) %d ms, other processes %d ms", name, tookMs, Runtime.getRuntime().availableProcessors(), server.self().toMillis(),
                server.children().toMillis(), ownMs, othersMs);
        Latencies.Summary e = current.early.summary(), t = current.steady.summary();
        note("%s: each stream's first %d deltas p50 %.2f ms, p99 %.2f ms, max %.2f ms; the rest p50 %.2f ms, p99 %.2f ms, max %.2f ms",
                name, StreamRound.EARLY, e.p50Ms(), e.p99Ms(), e.maxMs(), t.p50Ms(), t.p99Ms(), t.maxMs());
    }

    private static Duration ownCpu() { return ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO); }

    private static String describe(ServeProcess.Code code) {
        return switch (code) {
            case ServeProcess.Code.Jar(Path jar) -> jar.toString();
            case ServeProcess.Code.ClassPath _ -> "this JVM's class path";
        };
    }

    private void note(String format, Object... args) {
        err.println("ServerBench: " + String.format(Locale.ROOT, format, args));
        err.flush();
    }

}
