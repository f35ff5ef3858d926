package dev.lathe.lsp;

import java.util.Objects;
import java.util.Optional;

/**
 * What Lathe knows about one language server of a project at an instant: {@code name}, {@code state} (one of the
 * constants below, the wire spelling of {@code GET /lsp} and {@code lathe doctor}), {@code command} (the resolved
 * command line, or the configured one when it was not found), {@code lastError} (kept across a restart, so a status
 * can say why a server went down).
 */
public record LspServerStatus(String name, String state, String command, Optional<String> lastError) {
    /** Found, not started yet: it starts on the first file of its language. */
    public static final String IDLE = "idle";
    public static final String STARTING = "starting";
    public static final String RUNNING = "running";
    /** It failed to start or died; it is restarted with backoff (lastError says why). */
    public static final String FAILED = "failed";
    public static final String DISABLED = "disabled";
    /** Its executable is neither on PATH nor in the project's {@code node_modules/.bin}. */
    public static final String NOT_FOUND = "not_found";
    /** Found only in the project's own {@code node_modules/.bin} of a folder not trusted yet ({@code lathe trust}). */
    public static final String WITHHELD = "withheld";

    public LspServerStatus {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(lastError, "lastError");
    }
}
