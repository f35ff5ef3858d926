package dev.lathe.protocol.session;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What a client shows for a tool call, typed: a tool returns one of these beside its output, and a client renders a
 * call from it without knowing the tool's name (an MCP or plugin tool that returns a {@link FileChange} is shown as
 * an edit is). Wire form: an object whose {@code type} names the record ({@code file_change}, {@code command_run},
 * {@code subagent_run}, {@code file_read}, {@code web_page}). A reader that meets a type it does not know (an older
 * client of a newer server) reads it as no display, and the part or event around it reads as usual: the client shows
 * the call from its title and output, as it shows a call with no display.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type", defaultImpl = Void.class)
@JsonSubTypes({
        @JsonSubTypes.Type(value = ToolDisplay.FileChange.class, name = "file_change"),
        @JsonSubTypes.Type(value = ToolDisplay.CommandRun.class, name = "command_run"),
        @JsonSubTypes.Type(value = ToolDisplay.SubagentRun.class, name = "subagent_run"),
        @JsonSubTypes.Type(value = ToolDisplay.FileRead.class, name = "file_read"),
        @JsonSubTypes.Type(value = ToolDisplay.WebPage.class, name = "web_page")})
public sealed interface ToolDisplay {
    /**
     * Files a call changed (or, in a permission ask, would change), relative to the project with {@code /} (absolute
     * outside it), and their unified diff.
     */
    record FileChange(List<String> files, String diff) implements ToolDisplay {
        public FileChange {
            files = List.copyOf(files);
        }
    }

    /**
     * A command line a call ran. {@code exitCode} is absent while it runs, when it was started in the background and
     * when it timed out ({@link Ending}).
     */
    record CommandRun(String command, Ending ending, Optional<Integer> exitCode) implements ToolDisplay {
        /** How far the command got. Wire values {@code running | exited | timed_out | background}. */
        public enum Ending {
            RUNNING, EXITED, TIMED_OUT, BACKGROUND;

            @JsonValue public String wire() { return name().toLowerCase(Locale.ROOT); }

            @JsonCreator public static Ending fromWire(String value) {
                for (var e : values()) if (e.wire().equals(value)) return e;
                throw new IllegalArgumentException("ending must be running, exited, timed_out or background, not '" + value + "'");
            }
        }

        public static CommandRun running(String command) { return new CommandRun(command, Ending.RUNNING, Optional.empty()); }

        public static CommandRun exited(String command, int exitCode) { return new CommandRun(command, Ending.EXITED, Optional.of(exitCode)); }

        public boolean timedOut() { return ending == Ending.TIMED_OUT; }
    }

    /**
     * A subagent's run: which agent, the task's one-line description, whether it continues an earlier task, and what
     * it reported (empty while it runs).
     */
    record SubagentRun(String agent, String description, Continuation continuation, String report) implements ToolDisplay {
        /**
         * Whether the run started a new task or continued one (the model passed a {@code taskId}). Wire values
         * {@code new_task | continued}.
         */
        public enum Continuation {
            NEW_TASK, CONTINUED;

            @JsonValue public String wire() { return name().toLowerCase(Locale.ROOT); }

            @JsonCreator public static Continuation fromWire(String value) {
                for (var c : values()) if (c.wire().equals(value)) return c;
                throw new IllegalArgumentException("continuation must be new_task or continued, not '" + value + "'");
            }
        }
    }

    /** A file a call read, relative to the project with {@code /} (absolute outside it). */
    record FileRead(String path) implements ToolDisplay {}

    /** A web page a call fetched. */
    record WebPage(String url, String contentType) implements ToolDisplay {}
}
