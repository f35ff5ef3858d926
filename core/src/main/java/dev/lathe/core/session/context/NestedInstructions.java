package dev.lathe.core.session.context;

import dev.lathe.core.context.ContextView;

import dev.lathe.core.permission.PromptFiles;
import dev.lathe.core.project.Instructions;
import dev.lathe.core.project.MemoryFiles;
import dev.lathe.core.project.ProjectRoot;
import dev.lathe.core.toolcall.PostCallHook;
import dev.lathe.core.toolcall.ToolCall;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.ToolDisplay;
import dev.lathe.protocol.session.ToolState;
import dev.lathe.tools.Tool;
import dev.lathe.tools.ToolResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Late memory (DESIGN §12, §27; decision 470): when a result says it read a file ({@link ToolDisplay.FileRead}, as
 * {@code read}'s do) or changed files ({@link ToolDisplay.FileChange}, as {@code edit}'s and {@code write}'s do), the
 * memory files of each folder between the file and block B's folders (the repository root down to the working folder:
 * {@code AGENTS.md}, {@code CLAUDE.md} with its imports, and the rest of {@link MemoryFiles}), and every Claude Code rule
 * whose {@code paths:} front matter matches the file, are appended to the result in a {@code <system-reminder>}, the
 * first time only. This is the one place late context joins: after a tool result, so the prompt's cached prefix (system
 * blocks, tools, earlier messages) stays byte-identical. "Already surfaced" is read from the stored history, the
 * {@value #METADATA_KEY} metadata of the completed tool parts the model is still sent (compaction may have summarised
 * or pruned one away, and then the file surfaces again), so it holds across server restarts; it is never kept in
 * memory beyond one step.
 *
 * <p>One instance per step ({@link dev.lathe.core.session.turn.ToolCallRunner}); the step's parallel calls share it, so two reads of one folder in
 * the same response surface its instructions once.
 */
public final class NestedInstructions implements PostCallHook {
    /** Tool-part metadata naming the instruction files a result surfaced, relative to the working folder, one a line. */
    public static final String METADATA_KEY = "instructions";

    private final Path workingDir;
    private final Path repoRoot;
    private final Path home;
    private final Function<SessionId, List<MessageWithParts>> history;
    private final PromptFiles guard;
    /** Surfaced by this step's calls, whose parts may not be stored yet. */
    private final Set<String> claimed = new HashSet<>();

    /** {@code guard}: the project's check every memory file passes; its user home is where {@code ~/.claude/rules} are. */
    public NestedInstructions(Path workingDir, Function<SessionId, List<MessageWithParts>> history, PromptFiles guard) {
        this.guard = guard;
        this.workingDir = workingDir;
        this.repoRoot = ProjectRoot.repoRoot(workingDir);
        this.history = history;
        this.home = guard.userHome();
    }

    /**
     * The memory files {@code result} of {@code call} is the first to reach, to append after it, when it says it read
     * or changed files; else nothing.
     */
    @Override
    public synchronized Added after(ToolCall call, Tool<?> tool, ToolResult result) {
        List<Path> touched = switch (result.display().orElse(null)) {
            case ToolDisplay.FileRead read -> List.of(workingDir.resolve(read.path()).normalize());
            case ToolDisplay.FileChange change -> change.files().stream().map(f -> workingDir.resolve(f).normalize()).toList();
            case ToolDisplay.CommandRun _, ToolDisplay.SubagentRun _, ToolDisplay.WebPage _ -> List.of();
            case null -> List.of();
        };
        if (touched.isEmpty()) return Added.NOTHING;
        var memory = new MemoryFiles(guard, workingDir, repoRoot, home);
        // the rules of block B's folders first, so their scoped ones are known before any subfolder's
        memory.userRules(Instructions.claudeHome(home));
        for (Path dir : ProjectRoot.upToRoot(workingDir, repoRoot).reversed()) memory.rulesOf(dir);
        List<MemoryFiles.Memory> found = new ArrayList<>();
        for (Path file : touched) {
            List<Path> dirs = new ArrayList<>();
            for (Path dir = file.getParent(); dir != null && dir.startsWith(repoRoot) && !Instructions.inSystemBlock(dir, workingDir, repoRoot);
                    dir = dir.getParent()) {
                if (MemoryFiles.hasAny(dir)) dirs.addFirst(dir);
            }
            for (Path dir : dirs) memory.folder(dir, name(dir) + "/");
            for (MemoryFiles.ScopedRule rule : memory.scoped()) {
                if (rule.matches(file)) found.add(new MemoryFiles.Memory(rule.file(), "a rule for " + rule.paths(), rule.text()));
            }
        }
        List<MemoryFiles.Memory> all = new ArrayList<>(memory.memories());
        all.addAll(found);
        if (all.isEmpty()) return Added.NOTHING;
        Set<String> surfaced = surfacedInContext(new SessionId(call.sessionId()));
        var text = new StringBuilder();
        List<String> names = new ArrayList<>();
        for (MemoryFiles.Memory m : all) {
            String name = name(m.file());
            if (surfaced.contains(name) || !claimed.add(name)) continue;
            names.add(name);
            // a read of the memory file itself already shows it
            if (touched.contains(m.file())) continue;
            if (!m.text().isEmpty()) text.append("\n\n<system-reminder>\nInstructions from ").append(name).append(":\n").append(m.text()).append("\n</system-reminder>");
        }
        if (names.isEmpty()) return Added.NOTHING;
        return new Added(text.toString(), Map.of(METADATA_KEY, String.join("\n", names)));
    }

    /**
     * Instruction files whose surfacing the model still sees: in a result that compaction has neither summarised away
     * nor pruned to a placeholder ({@link ContextView}, as the context builder sends it).
     */
    private Set<String> surfacedInContext(SessionId session) {
        ContextView view = ContextView.of(history.apply(session));
        Set<String> out = new HashSet<>();
        for (MessageWithParts m : view.messages()) {
            for (Part p : m.parts()) {
                if (p instanceof Part.Tool t && t.state() instanceof ToolState.Completed c && c.metadata().containsKey(METADATA_KEY)
                        && !view.pruned().contains(t.callId())) {
                    out.addAll(c.metadata().get(METADATA_KEY).lines().toList());
                }
            }
        }
        return out;
    }

    private String name(Path file) {
        return Instructions.name(file, workingDir, repoRoot, home);
    }
}
