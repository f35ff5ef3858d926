package dev.lathe.tools.builtin;

import dev.lathe.tools.BackgroundCommands;
import dev.lathe.tools.BackgroundCommands.State;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One background command: its process tree ({@link ProcessTree}), its output (kept in an {@link OutputLog}, read by the
 * model from where its last {@code bash_output} stopped and by a person from any position), its standard input (a pipe
 * kept open for a person attached to it), the lines its monitor caught, and how it ended. It runs until its whole tree
 * is gone, not only its first process: a command that backgrounds itself is still running.
 */
final class BackgroundJob implements BackgroundCommands.Command {
    /** How long a tree has to go after SIGTERM before SIGKILL. */
    static final long GRACE_MILLIS = 2000;

    private final String id;
    private final String sessionId;
    private final String command;
    private final long startedAt = System.currentTimeMillis();
    private final Process process;
    private final ProcessWatchdog watchdog;
    private final ProcessTree tree;
    private final OutputLog output = new OutputLog();
    private final Optional<LineMonitor> monitor;
    private final Optional<String> monitorText;
    private final Optional<Duration> asked;
    private final BackgroundCommands.Limits limits;
    private final OutputStream input;
    private final Thread reader;
    /** How it was ended by Lathe; empty while it runs and when it exited by itself. */
    private volatile Optional<State> endedAs = Optional.empty();
    /** Set once nothing of its tree is left. */
    private volatile boolean finished;
    private boolean told;
    private long readUpTo;
    /** Where the last {@link BackgroundCommands.Change.Printed} stopped; only the ticker's flush moves it. */
    long printedUpTo;
    /** Where the ticker is with it: running, being ended at its limit, or done (its end told). */
    final java.util.concurrent.atomic.AtomicReference<Phase> phase = new java.util.concurrent.atomic.AtomicReference<>(Phase.RUNNING);

    enum Phase { RUNNING, ENDING, DONE }

    BackgroundJob(String id, BackgroundCommands.Launch launch, ProcessGroups.Started started, ProcessTree tree, BackgroundCommands.Limits limits) {
        this.id = id;
        this.sessionId = launch.sessionId();
        this.command = launch.command();
        this.process = started.process();
        this.watchdog = started.watchdog();
        this.tree = tree;
        this.limits = limits;
        this.asked = launch.limit();
        this.monitorText = launch.monitor().map(java.util.regex.Pattern::pattern);
        this.monitor = launch.monitor().map(p -> new LineMonitor(p, limits.monitorLines(), limits.monitorBytes()));
        this.input = process.getOutputStream();
        this.reader = Thread.ofVirtual().name("lathe-bg-" + id).start(this::pump);
    }

    @Override public String id() { return id; }

    @Override public String sessionId() { return sessionId; }

    @Override public String command() { return command; }

    @Override public long pid() { return process.pid(); }

    @Override public long startedAt() { return startedAt; }

    @Override public Optional<String> monitor() { return monitorText; }

    @Override public boolean alive() { return state() == State.RUNNING; }

    @Override
    public State state() {
        Optional<State> ended = endedAs;
        if (ended.isPresent()) return ended.get();
        if (process.isAlive()) return State.RUNNING;
        if (watchdog.tripped()) return State.KILLED;
        if (finished) return State.EXITED;
        return checkFinished() ? State.EXITED : State.RUNNING;
    }

    @Override
    public OptionalInt exitCode() {
        return process.isAlive() ? OptionalInt.empty() : OptionalInt.of(process.exitValue());
    }

    /** The limit it runs under now: the model's, else the default for whether a client follows its session. */
    Duration limit(boolean followed) {
        Duration chosen = asked.orElse(followed ? limits.withClient() : limits.unattended());
        return chosen.compareTo(limits.most()) > 0 ? limits.most() : chosen;
    }

    BackgroundCommands.Limits limits() { return limits; }

    /** Whether it has been running at least {@code limit}. */
    boolean outlived(Duration limit) {
        return System.currentTimeMillis() - startedAt >= limit.toMillis();
    }

    /** Whether the whole tree is gone (looked up now); records it once it is. */
    boolean checkFinished() {
        if (finished) return true;
        if (process.isAlive() || tree.running()) return false;
        try {
            reader.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        monitor.ifPresent(LineMonitor::finish);
        finished = true;
        watchdog.close();
        return true;
    }

    boolean finished() { return finished; }

    /** Records the descendants it has now (see {@link ProcessTree#look}). */
    void look() { tree.look(); }

    /** What its monitor caught since the last delivery, taken; empty without a monitor or with nothing new. */
    Optional<String> monitored() { return monitor.flatMap(LineMonitor::take); }

    boolean watched() { return monitor.isPresent(); }

    @Override
    public void kill() { end(State.KILLED); }

    /** Ends the whole tree as {@code how}; the pids it ended. Nothing when it had ended already. */
    synchronized List<Long> end(State how) {
        if (endedAs.isPresent() || finished && !tree.running()) return List.of();
        endedAs = Optional.of(how);
        closeInput();
        List<Long> pids = tree.end(GRACE_MILLIS);
        finished = true;
        return pids;
    }

    private void closeInput() {
        try {
            input.close();
        } catch (IOException ignored) {
            // the process is gone already
        }
    }

    @Override
    public void write(byte[] bytes) throws IOException {
        if (!alive()) throw new IOException("process " + id + " has ended");
        synchronized (input) {
            input.write(bytes);
            input.flush();
        }
    }

    @Override
    public BackgroundCommands.Output readNew() {
        OutputLog.Slice slice = readSlice();
        return new BackgroundCommands.Output(slice.text(), slice.skipped());
    }

    @Override
    public BackgroundCommands.Chunk readFrom(long from) {
        OutputLog.Slice slice = output.since(Math.max(0, from));
        return new BackgroundCommands.Chunk(slice.text(), slice.skipped(), slice.end());
    }

    @Override
    public List<String> lastLines(int count) {
        List<String> lines = output.tail(8192).lines().toList();
        return lines.subList(Math.max(0, lines.size() - count), lines.size());
    }

    /** Bytes of output written so far. */
    long written() { return output.end(); }

    /** Output since the model's last read; waits briefly for the reader to drain after the process ended. */
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
            byte[] note = watchdog.note().getBytes(StandardCharsets.UTF_8);
            output.append(note, note.length);
        }
        OutputLog.Slice slice = output.since(readUpTo);
        readUpTo = slice.end();
        return slice;
    }

    private void pump() {
        byte[] buf = new byte[8192];
        try (InputStream in = process.getInputStream()) {
            int n;
            while ((n = in.read(buf)) > 0) {
                output.append(buf, n);
                if (monitor.isPresent()) monitor.get().accept(buf, n);
            }
        } catch (IOException ignored) {
            // the process was killed; what was read so far is kept
        }
    }
}
