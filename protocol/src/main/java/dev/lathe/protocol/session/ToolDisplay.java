package dev.lathe.protocol.session;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;
import java.util.Optional;

/**
 * What a client shows for a tool call, typed: a tool returns one of these beside its output, and a client renders a
 * call from it without knowing the tool's name (an MCP or plugin tool that returns a {@link FileChange} is shown as
 * an edit is). Wire form: an object whose {@code type} names the record ({@code file_change}, {@code command_run},
 * {@code subagent_run}, {@code file_read}, {@code web_page}). A reader that meets a type it does not know fails to
 * read the part, so new records are added with a new reader in every client first.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
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
        /** How far the command got. */
        public enum Ending { RUNNING, EXITED, TIMED_OUT, BACKGROUND }

        public static CommandRun running(String command) { return new CommandRun(command, Ending.RUNNING, Optional.empty()); }

        public static CommandRun exited(String command, int exitCode) { return new CommandRun(command, Ending.EXITED, Optional.of(exitCode)); }

        public boolean timedOut() { return ending == Ending.TIMED_OUT; }
    }

    /**
     * A subagent's run: which agent, the task's one-line description, whether it continues an earlier task, and what
     * it reported (empty while it runs).
     */
    record SubagentRun(String agent, String description, Continuation continuation, String report) implements ToolDisplay {
        /** Whether the run started a new task or continued one (the model passed a {@code taskId}). */
        public enum Continuation { NEW_TASK, CONTINUED }
    }

    /** A file a call read, relative to the project with {@code /} (absolute outside it). */
    record FileRead(String path) implements ToolDisplay {}

    /** A web page a call fetched. */
    record WebPage(String url, String contentType) implements ToolDisplay {}
}
