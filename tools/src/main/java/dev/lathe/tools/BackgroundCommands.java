package dev.lathe.tools;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The port of the commands a session runs in the background ({@code bash} with {@code background: true}): they outlive
 * the call and the turn (dev servers, watchers), never the server. A command belongs to the session that started it,
 * and only that session's calls can read or kill it. The composition root makes the one adapter
 * ({@code tools.builtin.BackgroundProcesses}) and hands it to the sessions (which put it on each call's context and kill
 * a deleted session's commands) and kills them all when it closes.
 */
public interface BackgroundCommands {
    /** Starts {@code command} in {@code dir} for {@code sessionId}, through {@code launcher}, without {@code secrets} in its environment. */
    Command start(String sessionId, String command, Path dir, Set<String> secrets, ProcessLauncher launcher) throws IOException;

    /** The command with this id if it belongs to {@code sessionId}. */
    Optional<Command> find(String sessionId, String id);

    /** The commands {@code sessionId} started and has not seen removed. */
    List<Command> of(String sessionId);

    /** Kills every command of one session (when it is deleted). */
    void killSession(String sessionId);

    /** Kills every command; when the server shuts down. */
    void killAll();

    /** One background command. */
    interface Command {
        String id();

        /** The command line as given. */
        String command();

        long pid();

        boolean alive();

        /** {@code running}, {@code exited} or {@code killed}. */
        String status();

        OptionalInt exitCode();

        /** The output since the last read. */
        Output readNew();

        /** Kills the command and every process it started. */
        void kill();
    }

    /** Output read once: {@code text}, and how many bytes were dropped before it (the buffer keeps the newest). */
    record Output(String text, long skipped) {}

    /** Where no session runs commands in the background (a search of the project, a test that starts none). */
    BackgroundCommands NONE = new BackgroundCommands() {
        @Override
        public Command start(String sessionId, String command, Path dir, Set<String> secrets, ProcessLauncher launcher) throws IOException {
            throw new IOException("background commands are not available here");
        }

        @Override public Optional<Command> find(String sessionId, String id) { return Optional.empty(); }

        @Override public List<Command> of(String sessionId) { return List.of(); }

        @Override public void killSession(String sessionId) {}

        @Override public void killAll() {}
    };
}
