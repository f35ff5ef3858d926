package dev.lathe.term;

import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.ToolDisplay;
import dev.lathe.protocol.session.ToolState;
import dev.lathe.protocol.wire.RecordWriter;
import java.util.Optional;

/**
 * What one run of a goal loop's check came to ({@code lathe run --until CMD}, DESIGN §18), read from the {@code bash}
 * part the server's answer to {@code POST /sessions/{id}/shell} holds: how it ended, its exit code and its output (the
 * tool's tail, without the closing {@code exit code: N} line, which {@link #exitCode} says).
 */
public record GoalCheck(String command, Ending ending, Optional<Integer> exitCode, String output) {
    /** How the check ended. */
    public enum Ending {
        /** It ran to its end: {@link #exitCode} says how. */
        EXITED,
        /** It ran past the bash tool's timeout and was killed. */
        TIMED_OUT,
        /** It did not run (the tool failed before or while starting it, or it was aborted): {@link #output} says why. */
        NOT_RUN
    }

    /** DESIGN §18: the turns a goal loop ({@code lathe run --until}, the TUI's {@code /goal}) takes at most unless told. */
    public static final int DEFAULT_MAX_TURNS = 10;

    /** How much of the check's output the {@code check} JSON line carries: its end, where a test run says what failed. */
    public static final int PROMPT_TAIL = 4_000;

    private static final String NO_COMMAND = "the server's answer holds no finished command";

    /** The check in {@code answer}, the server's answer to the check's shell request. */
    public static GoalCheck of(String command, MessageWithParts answer) {
        Optional<ToolState> state = answer.parts().stream().filter(Part.Tool.class::isInstance).map(p -> ((Part.Tool) p).state()).findFirst();
        if (state.isEmpty()) return new GoalCheck(command, Ending.NOT_RUN, Optional.empty(), NO_COMMAND);
        return switch (state.get()) {
            case ToolState.Completed c -> {
                Optional<ToolDisplay.CommandRun> run = c.display().filter(ToolDisplay.CommandRun.class::isInstance).map(ToolDisplay.CommandRun.class::cast);
                Optional<Integer> code = run.flatMap(ToolDisplay.CommandRun::exitCode).or(() -> exitCodeIn(c.metadata().get("exitCode")));
                Ending ending = run.filter(ToolDisplay.CommandRun::timedOut).isPresent() ? Ending.TIMED_OUT
                        : code.isPresent() ? Ending.EXITED : Ending.NOT_RUN;
                yield new GoalCheck(command, ending, ending == Ending.EXITED ? code : Optional.empty(), withoutExitLine(c.output()));
            }
            case ToolState.Failed f -> new GoalCheck(command, Ending.NOT_RUN, Optional.empty(), f.error());
            case ToolState.Pending _, ToolState.Running _ -> new GoalCheck(command, Ending.NOT_RUN, Optional.empty(), NO_COMMAND);
        };
    }

    /** The goal is reached: the check exited 0. */
    public boolean passed() {
        return ending == Ending.EXITED && exitCode.orElse(-1) == 0;
    }

    /** How it ended, in words: {@code exited 1}, {@code timed out}, {@code did not run}. */
    public String outcome() {
        return switch (ending) {
            case EXITED -> "exited " + exitCode.orElseThrow();
            case TIMED_OUT -> "timed out";
            case NOT_RUN -> "did not run";
        };
    }

    /** The line on stderr after the check, e.g. {@code lathe: check `npm test` exited 1 (turn 2 of 10)}. */
    public String line(int turn, int maxTurns) {
        return "lathe: check `" + command + "` " + outcome() + " (turn " + turn + " of " + maxTurns + ")";
    }

    /**
     * The next turn's prompt after the check failed on {@code turn}: the command, how it ended and what to do. Not its
     * output: the model has the whole check just above it in the transcript (the server records it as a command the user
     * ran, its output as that command's result), so the prompt sends none of it a second time (DESIGN §28, decision 495).
     */
    public String followUp(int turn, int maxTurns) {
        String how = switch (ending) {
            case EXITED -> "exited with code " + exitCode.orElseThrow();
            case TIMED_OUT -> "did not finish in time and was stopped";
            case NOT_RUN -> "could not run";
        };
        return "The goal check `" + command + "` " + how + " after turn " + turn + " of " + maxTurns + ", so the goal is not reached yet."
                + " Its output is the result of the command run just above. "
                + "Keep working until the check passes (exits with code 0); it runs again when this turn ends.";
    }

    /** The end of the output the {@code check} JSON line carries, at most {@value #PROMPT_TAIL} characters. */
    public String tail() {
        String text = output.strip();
        if (text.length() <= PROMPT_TAIL) return text;
        int from = text.length() - PROMPT_TAIL;
        // never half a surrogate pair
        if (Character.isLowSurrogate(text.charAt(from))) from++;
        return text.substring(from);
    }

    /**
     * The check's JSON line for {@code --format json}, after the turn's {@code result} line:
     * {@code {"type":"check","command","turn","maxTurns","ending":"exited|timed_out|not_run","exitCode"?,"passed","output"}},
     * {@code output} being the end of the check's output ({@link #tail}).
     */
    public String json(int turn, int maxTurns) {
        return RecordWriter.write(new JsonLine("check", command, turn, maxTurns, ending.name().toLowerCase(java.util.Locale.ROOT), exitCode, passed(), tail()));
    }

    private record JsonLine(String type, String command, int turn, int maxTurns, String ending, Optional<Integer> exitCode, boolean passed, String output) {}

    private static Optional<Integer> exitCodeIn(String text) {
        try {
            return text == null ? Optional.empty() : Optional.of(Integer.parseInt(text.strip()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The bash tool's output without its last line, {@code exit code: N}. */
    private static String withoutExitLine(String output) {
        String text = output.stripTrailing();
        int last = text.lastIndexOf('\n') + 1;
        return text.substring(last).matches("exit code: -?\\d+") ? text.substring(0, last).stripTrailing() : text;
    }
}
