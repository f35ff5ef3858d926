package dev.lathe.core.agent;

import dev.lathe.core.permission.Action;
import dev.lathe.core.permission.Rule;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * The agents every project has (DESIGN §11): {@code build}, the default; {@code plan}, which studies and plans but
 * changes no file; {@code explore}, a read-only searcher for the {@code task} tool; {@code general}, a subagent for
 * delegated work. Their prompts are the Markdown resources of system block A.
 */
public final class BuiltinAgents {
    public static final String DEFAULT = "build";

    /** Tools that only look: what read-only agents are given. */
    static final List<String> READ_ONLY_TOOLS = List.of("glob", "grep", "list", "read", "todo", "todoread", "webfetch");

    public static final List<Agent> ALL = List.of(
            new Agent(DEFAULT, "The default agent: reads, searches, edits files and runs commands in the project, as the permission rules allow",
                    Agent.Mode.PRIMARY, Optional.empty(), Optional.empty(), Optional.empty(), prompt("build.md"), List.of(), Optional.empty(), "builtin"),
            new Agent("plan", "Studies the code and plans changes without making them: no file edits, only read-only commands",
                    Agent.Mode.PRIMARY, Optional.empty(), Optional.empty(), Optional.empty(), prompt("plan.md"),
                    List.of(new Rule("edit", "*", Action.DENY), new Rule("write", "*", Action.DENY), new Rule("apply_patch", "*", Action.DENY)),
                    Optional.empty(), "builtin"),
            new Agent("explore", "Fast read-only search of the code base: finds files, definitions and usages and reports them with paths",
                    Agent.Mode.SUBAGENT, Optional.empty(), Optional.empty(), Optional.empty(), prompt("explore.md"), List.of(),
                    Optional.of(READ_ONLY_TOOLS), "builtin"),
            new Agent("general", "General-purpose subagent for a self-contained task: researches, edits and runs commands, then reports back",
                    Agent.Mode.SUBAGENT, Optional.empty(), Optional.empty(), Optional.empty(), prompt("general.md"), List.of(), Optional.empty(),
                    "builtin"));

    private BuiltinAgents() {}

    private static String prompt(String name) {
        String path = "/dev/lathe/core/session/" + name;
        try (InputStream in = BuiltinAgents.class.getResourceAsStream(path)) {
            if (in == null) throw new IllegalStateException("missing prompt resource " + path);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read prompt resource " + path, e);
        }
    }
}
