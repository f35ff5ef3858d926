package dev.lathe.core.notify;

import dev.lathe.core.config.Config;
import dev.lathe.tools.builtin.ChildEnvironment;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Runs the user's {@code notify.command} (a program and its arguments, no shell) with a {@link Notice}'s JSON on stdin,
 * in the environment child processes get (provider keys removed, by name and by value: {@link ChildEnvironment}); its
 * output is discarded, and it is killed (with what it started) when it outlives the timeout.
 */
public final class NoticeCommand {
    private static final System.Logger LOG = System.getLogger(NoticeCommand.class.getName());

    private final Map<String, String> env;
    private final Duration timeout;

    /** @param env the server's environment, scrubbed here before a command sees it */
    public NoticeCommand(Map<String, String> env, Duration timeout) {
        this.env = Map.copyOf(env);
        this.timeout = timeout;
    }

    /** Runs {@code command} with {@code notice}; {@code config} names the provider keys to keep from it. Never throws. */
    void run(List<String> command, Notice notice, Config config) {
        Set<String> keys = config.providers().values().stream().map(Config.ProviderConfig::apiKey).flatMap(Optional::stream).collect(Collectors.toSet());
        var builder = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().clear();
        builder.environment().putAll(ChildEnvironment.scrubbed(env, keys));
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "notify: cannot start the command " + command.getFirst() + ": " + e.getMessage());
            return;
        }
        try (OutputStream stdin = process.getOutputStream()) {
            stdin.write(notice.json().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // a command that does not read its stdin is told nothing more: not a failure
        }
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                LOG.log(System.Logger.Level.WARNING, "notify: the command " + command.getFirst() + " ran longer than " + timeout.toSeconds() + " s; stopped");
            } else if (process.exitValue() != 0) {
                LOG.log(System.Logger.Level.WARNING, "notify: the command " + command.getFirst() + " exited with " + process.exitValue());
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
