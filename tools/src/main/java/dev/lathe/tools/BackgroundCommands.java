package dev.lathe.tools;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The port of the commands a session runs in the background ({@code bash} with {@code background: true}, DESIGN §32):
 * they outlive the call and the turn (dev servers, watchers), never their session, their time limit or the server. A
 * command belongs to the session that started it, and only that session's calls and owner can read, type into or end
 * it. The composition root makes the one adapter ({@code tools.builtin.BackgroundProcesses}), gives it its
 * {@link Host} (limits, deliveries to the model, events) and hands it to the sessions (which put it on each call's
 * context and end a deleted or archived session's commands), and ends them all when it closes.
 */
public interface BackgroundCommands {
    /** Starts {@code launch}'s command for its session. */
    Command start(Launch launch) throws IOException;

    /** Starts {@code command} in {@code dir} for {@code sessionId}, unwatched, under the default limit. */
    default Command start(String sessionId, String command, Path dir, Set<String> secrets, ProcessLauncher launcher) throws IOException {
        return start(new Launch(sessionId, command, dir, secrets, launcher, Optional.empty(), Optional.empty()));
    }

    /** The command with this id if it belongs to {@code sessionId}. */
    Optional<Command> find(String sessionId, String id);

    /** The commands {@code sessionId} started, running or ended, oldest first. */
    List<Command> of(String sessionId);

    /** Ends every command of one session, each whole tree (when it is deleted or archived). */
    void killSession(String sessionId);

    /** Ends every command; when the server shuts down. */
    void killAll();

    /** Gives the adapter its host (the server's limits, inbox and events); once, before sessions start commands. */
    default void attach(Host host) {}

    /**
     * What to start: the command, where, for whom; {@code monitor} the lines whose arrival the model is told of;
     * {@code limit} how long it may run (the model's {@code timeoutSeconds}; else the {@link Limits} default).
     */
    record Launch(String sessionId, String command, Path dir, Set<String> secrets, ProcessLauncher launcher, Optional<Pattern> monitor,
            Optional<Duration> limit) {
        public Launch {
            secrets = Set.copyOf(secrets);
        }
    }

    /** What a background command is in, on the wire ({@code GET /sessions/{id}/processes}). */
    enum State {
        RUNNING("running"), EXITED("exited"), KILLED("killed"), TIMED_OUT("timeout");

        private final String word;

        State(String word) { this.word = word; }

        public String word() { return word; }
    }

    /** One background command. */
    interface Command {
        String id();

        /** The session it belongs to. */
        String sessionId();

        /** The command line as given. */
        String command();

        long pid();

        /** When it started, epoch millis. */
        long startedAt();

        boolean alive();

        State state();

        /** {@code running}, {@code exited}, {@code killed} or {@code timeout}: {@link #state}'s word. */
        default String status() { return state().word(); }

        OptionalInt exitCode();

        /** The regular expression its lines are watched with, as given. */
        Optional<String> monitor();

        /** The output since the model's last read (what {@code bash_output} returns), which that read consumes. */
        Output readNew();

        /** The output from byte {@code from} on, without consuming anything: what a person attached to it reads. */
        Chunk readFrom(long from);

        /** Its last {@code count} lines of output. */
        List<String> lastLines(int count);

        /** Writes {@code input} to its standard input (kept open as a pipe); fails once it ended or its input closed. */
        void write(byte[] input) throws IOException;

        /** Ends the command and every process it started. */
        void kill();
    }

    /** Output read once: {@code text}, and how many bytes were dropped before it (the buffer keeps the newest). */
    record Output(String text, long skipped) {}

    /** Output read from a position: {@code text}, bytes lost to the buffer's cap before it, and where to read next. */
    record Chunk(String text, long skipped, long next) {}

    /**
     * How long a background command may run and how much of its watched output one delivery carries (the user's
     * {@code processes} config): {@code withClient} while a client follows its session, {@code unattended} otherwise,
     * never more than {@code most} (which also bounds the model's {@code timeoutSeconds}).
     */
    record Limits(Duration withClient, Duration unattended, Duration most, int monitorLines, int monitorBytes) {
        public static final Limits DEFAULT = new Limits(Duration.ofMinutes(30), Duration.ofMinutes(10), Duration.ofHours(2), 40, 4096);

        public Limits {
            if (withClient.compareTo(most) > 0) withClient = most;
            if (unattended.compareTo(most) > 0) unattended = most;
            monitorLines = Math.max(1, monitorLines);
            monitorBytes = Math.max(256, monitorBytes);
        }
    }

    /** What a background command did that its session's clients are told of. */
    sealed interface Change {
        Command command();

        record Started(Command command) implements Change {}

        /** New output: {@code text}, its newest lines up to a few KiB (the rest is read from the process list). */
        record Printed(Command command, String text) implements Change {}

        record Exited(Command command) implements Change {}
    }

    /** The server side of the adapter: its limits, who watches, where the model's notes and the clients' events go. */
    interface Host {
        /** The limits of {@code sessionId}'s commands now (read at each start, so a config edit applies to the next command). */
        Limits limits(String sessionId);

        /** Whether a client follows {@code sessionId} now. */
        boolean followed(String sessionId);

        /** Tells the model of {@code sessionId} {@code text} about command {@code id}: delivered to the session's inbox. */
        void tell(String sessionId, String id, String text);

        /** Tells the session's clients. */
        void changed(Change change);

        /** Nobody to tell, default limits, nobody watching (tests, a search of the project). */
        Host NONE = new Host() {
            @Override public Limits limits(String sessionId) { return Limits.DEFAULT; }

            @Override public boolean followed(String sessionId) { return false; }

            @Override public void tell(String sessionId, String id, String text) {}

            @Override public void changed(Change change) {}
        };
    }

    /** Where no session runs commands in the background (a search of the project, a test that starts none). */
    BackgroundCommands NONE = new BackgroundCommands() {
        @Override
        public Command start(Launch launch) throws IOException {
            throw new IOException("background commands are not available here");
        }

        @Override public Optional<Command> find(String sessionId, String id) { return Optional.empty(); }

        @Override public List<Command> of(String sessionId) { return List.of(); }

        @Override public void killSession(String sessionId) {}

        @Override public void killAll() {}
    };
}
