package dev.lathe.tools.builtin;

import dev.lathe.tools.Tool;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The built-in tool set and the loader of their descriptions. */
public final class Builtins {
    /**
     * The built-in that runs a command line, for callers that run one on the user's behalf (a custom command's
     * {@code !`cmd`}, the user's shell): they need a command run, not a tool chosen by what it is.
     */
    public static final String RUN_COMMAND = "bash";
    /** The built-in that reads a file, for a custom command's {@code @path}. */
    public static final String READ_FILE = "read";

    private Builtins() {}

    public static List<Tool<?>> all() {
        return List.of(new ReadTool(), new WriteTool(), new EditTool(), new ApplyPatchTool(), new BashTool(), new GrepTool(), new GlobTool(),
                new ListTool(), new BashOutputTool(), new BashKillTool(), new TodoTool(), new TodoReadTool(), new QuestionTool(), new WebFetchTool(), new BudgetTool(),
                new TaskTool(), new TaskStatusTool(), new TaskCancelTool(), new SkillTool(), new ReportFindingsTool(),
                new TeamCreateTool(), new SendMessageTool(), new TeamTasksTool());
    }

    static String description(String name) {
        try (InputStream in = Builtins.class.getResourceAsStream(name + ".md")) {
            if (in == null) throw new IllegalStateException("missing tool description " + name + ".md");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
