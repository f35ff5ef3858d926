package dev.lathe.tools.builtin;

import dev.lathe.tools.BackgroundCommands;
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
 * The {@link BackgroundCommands} adapter: processes started with {@code bash background: true}, keyed by session. They
 * outlive the call and the turn (that is the point: dev servers, watchers), never the server that made this: it calls
 * {@link #killAll} when it shuts down, and the JVM shutdown hook {@link #killedAtExit} adds catches an exit that skips it.
 */
public final class BackgroundProcesses implements BackgroundCommands {
    /** A new, empty set of background processes, killed when this JVM exits (the one a server makes when it starts). */
    public static BackgroundProcesses killedAtExit() {
        var processes = new BackgroundProcesses();
        try {
            Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(processes::killAll));
        } catch (IllegalStateException shuttingDown) {
            // made while the JVM shuts down: nothing runs yet to be killed, and failing here would stop what started it
        }
        return processes;
    }

    /** One background command. {@code readUpTo} is where the last {@code bash_output} stopped. */
    static final class Job implements BackgroundCommands.Command {
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

        Job(String id, String sessionId, String command, ProcessGroups.Started started) {
            this.id = id;
            this.sessionId = sessionId;
            this.command = command;
            this.process = started.process();
            this.watchdog = started.watchdog();
            this.reader = Thread.ofVirtual().start(() -> pump(process.getInputStream(), output));
        }

        @Override public String id() { return id; }

        @Override public String command() { return command; }

        @Override public long pid() { return process.pid(); }

        @Override public boolean alive() { return process.isAlive(); }

        @Override public void kill() { BackgroundProcesses.kill(this); }

        @Override
        public Output readNew() {
            OutputLog.Slice slice = readSlice();
            return new Output(slice.text(), slice.skipped());
        }

        @Override
        public String status() {
            if (process.isAlive()) return "running";
            return killed || watchdog.tripped() ? "killed" : "exited";
        }

        @Override
        public OptionalInt exitCode() { return process.isAlive() ? OptionalInt.empty() : OptionalInt.of(process.exitValue()); }

        /** Output since the last read; waits briefly for the reader to drain after the process ended. */
        synchronized OutputLog.Slice readSlice() {
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

    @Override
    public Command start(String sessionId, String command, Path dir, Set<String> secrets, ProcessLauncher launcher) throws IOException {
        ProcessGroups.Started started = ProcessGroups.start(command, dir, secrets, launcher);
        String id = "bg_" + counter.incrementAndGet();
        Job job = new Job(id, sessionId, command, started);
        jobs.put(id, job);
        return job;
    }

    @Override
    public Optional<Command> find(String sessionId, String id) {
        return Optional.ofNullable(jobs.get(id)).filter(j -> j.sessionId.equals(sessionId)).map(Command.class::cast);
    }

    @Override
    public List<Command> of(String sessionId) { return List.copyOf(jobsOf(sessionId)); }

    private List<Job> jobsOf(String sessionId) { return jobs.values().stream().filter(j -> j.sessionId.equals(sessionId)).toList(); }

    static void kill(Job job) {
        if (job.process.isAlive()) job.killed = true;
        ProcessGroups.signal(job.process);
        job.watchdog.close();
    }

    @Override
    public void killSession(String sessionId) {
        jobsOf(sessionId).forEach(j -> {
            kill(j);
            jobs.remove(j.id);
        });
    }

    @Override
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
