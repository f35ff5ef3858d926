package dev.lathe.protocol.api;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A background command of a session as {@code GET /sessions/{id}/processes} lists it (DESIGN §18 "Processes and
 * diffs"): its {@code id} ({@code bg_N}, what {@code bash_output}, {@code bash_kill} and {@code lathe attach --process}
 * take), the {@code command} line, the {@code pid} of its first process, when it started ({@code startedAt}, epoch
 * millis), its {@code state} ({@code running} while any process of its tree runs, {@code exited}, {@code killed} or
 * {@code timeout}), the first process's {@code exitCode} once it ended, the {@code monitor} pattern the model watches it
 * with, and its {@code lastLines} of output (at most {@link #LAST_LINES}).
 */
public record ProcessInfo(String id, String command, long pid, long startedAt, String state, Optional<Integer> exitCode, Optional<String> monitor,
        List<String> lastLines) {
    /** How many lines of output a listing carries per process. */
    public static final int LAST_LINES = 10;

    public ProcessInfo {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(exitCode, "exitCode");
        Objects.requireNonNull(monitor, "monitor");
        lastLines = List.copyOf(lastLines);
    }
}
