package dev.lathe.tools.builtin;

import dev.lathe.tools.ProcessLauncher;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Commands started with {@code bash background: true}, server-wide and keyed by session: a process belongs to the
 * session that started it, and only that session's calls can read or kill it. They outlive the call and the turn
 * (that is the point: dev servers, watchers), never the server: {@link #killAll} runs when the server shuts down,
 * and a JVM shutdown hook catches an exit that skips it.
 */
public final class BackgroundProcesses {
    private static final BackgroundProcesses SHARED = new BackgroundProcesses();

    static {
        try {
            Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(SHARED::killAll));
        } catch (IllegalStateException shuttingDown) {
            // first used by the server's own shutdown (SIGTERM before any background command): nothing to kill, and
            // failing here would stop the server's close before it closes the database
        }
    }

    /** One background command. {@code readUpTo} is where the last {@code bash_output} stopped. */
    static final class Job {
        final String id;
        final String sessionId;
        final String command;
        final Process process;
        final OutputLog output = new OutputLog();
        final Thread reader;
        final ProcessWatchdog watchdog;
        volatile boolean killed;
        boolean told;
        long readUpTo;

        Job(String id, String sessionId, String command, Process process, int processLimit) {
            this.id = id;
            this.sessionId = sessionId;
            this.command = command;
            this.process = process;
            this.watchdog = ProcessWatchdog.watch(process, processLimit);
            this.reader = Thread.ofVirtual().start(() -> pump(process.getInputStream(), output));
        }

        /** {@code running}, {@code exited} or {@code killed}. */
        String status() {
            if (process.isAlive()) return "running";
            return killed || watchdog.tripped() ? "killed" : "exited";
        }

        OptionalInt exitCode() { return process.isAlive() ? OptionalInt.empty() : OptionalInt.of(process.exitValue()); }

        /** Output since the last read; waits briefly for the reader to drain after the process ended. */
        synchronized OutputLog.Slice readNew() {
            if (!process.isAlive()) {
                try {
                    reader.join(1000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (watchdog.tripped() && !process.isAlive() && !told) {
                told = true;
                byte[] note = watchdog.note().getBytes(java.nio.charset.StandardCharsets.UTF_8);
                output.append(note, note.length);
            }
            OutputLog.Slice slice = output.since(readUpTo);
            readUpTo = slice.end();
            return slice;
        }
    }

    private final Map<String, Job> jobs = new ConcurrentHashMap<>();
    private final AtomicLong counter = new AtomicLong();

    public static BackgroundProcesses shared() { return SHARED; }

    Job start(String sessionId, String command, Path dir, Set<String> secrets, ProcessLauncher launcher) throws IOException {
        Process process = ProcessGroups.start(command, dir, secrets, launcher);
        String id = "bg_" + counter.incrementAndGet();
        Job job = new Job(id, sessionId, command, process, launcher.processLimit());
        jobs.put(id, job);
        return job;
    }

    /** The job with this id if it belongs to {@code sessionId}. */
    Optional<Job> find(String sessionId, String id) {
        return Optional.ofNullable(jobs.get(id)).filter(j -> j.sessionId.equals(sessionId));
    }

    List<Job> of(String sessionId) { return jobs.values().stream().filter(j -> j.sessionId.equals(sessionId)).toList(); }

    static void kill(Job job) {
        if (job.process.isAlive()) job.killed = true;
        ProcessGroups.signal(job.process);
        job.watchdog.close();
    }

    /** Kills every background process of one session (when it is deleted). */
    public void killSession(String sessionId) {
        of(sessionId).forEach(j -> {
            kill(j);
            jobs.remove(j.id);
        });
    }

    /** Kills every background process; called when the server shuts down. */
    public void killAll() {
        jobs.values().forEach(BackgroundProcesses::kill);
        jobs.clear();
    }

    static void pump(InputStream in, OutputLog output) {
        byte[] buf = new byte[8192];
        try (in) {
            int n;
            while ((n = in.read(buf)) > 0) output.append(buf, n);
        } catch (IOException ignored) {
            // the process was killed; what was read so far is kept
        }
    }
}
