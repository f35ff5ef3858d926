package dev.lathe.core.session;

import dev.lathe.core.context.ContextView;

import dev.lathe.core.permission.PromptFiles;
import dev.lathe.core.project.Instructions;
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
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Instruction files below the ones in system block B, surfaced by reading a file (DESIGN §12): when a result says
 * it read a file ({@link ToolDisplay.FileRead}, as {@code read}'s do), the {@code AGENTS.md} (else {@code CLAUDE.md}) of each folder between the file and block B's folders (the
 * repository root down to the working folder) is appended to the result in a {@code <system-reminder>}, the first
 * time only. "Already surfaced" is read from the stored history, the {@value #METADATA_KEY} metadata of the completed
 * tool parts the model is still sent (compaction may have summarised or pruned one away, and then the file surfaces
 * again), so it holds across server restarts; it is never kept in memory beyond one step.
 *
 * <p>One instance per step ({@link ToolCallRunner}); the step's parallel calls share it, so two reads of one folder in
 * the same response surface its instructions once.
 */
final class NestedInstructions implements PostCallHook {
    /** Tool-part metadata naming the instruction files a result surfaced, relative to the working folder, one a line. */
    static final String METADATA_KEY = "instructions";

    private final Path workingDir;
    private final Path repoRoot;
    private final Function<SessionId, List<MessageWithParts>> history;
    private final PromptFiles guard;
    /** Surfaced by this step's calls, whose parts may not be stored yet. */
    private final Set<String> claimed = new HashSet<>();

    NestedInstructions(Path workingDir, Function<SessionId, List<MessageWithParts>> history, PromptFiles guard) {
        this.guard = guard;
        this.workingDir = workingDir;
        this.repoRoot = ProjectRoot.repoRoot(workingDir);
        this.history = history;
    }

    /**
     * The instruction files {@code result} of {@code call} is the first to reach, to append after it, when it says it
     * read a file ({@link ToolDisplay.FileRead}); else nothing.
     */
    @Override
    public synchronized Added after(ToolCall call, Tool<?> tool, ToolResult result) {
        if (!(result.display().orElse(null) instanceof ToolDisplay.FileRead read)) return Added.NOTHING;
        Path file = workingDir.resolve(read.path()).normalize();
        List<Path> found = new ArrayList<>();
        for (Path dir = file.getParent(); dir != null && dir.startsWith(repoRoot) && !Instructions.inSystemBlock(dir, workingDir, repoRoot);
                dir = dir.getParent()) {
            Instructions.fileIn(dir).ifPresent(found::addFirst);
        }
        if (found.isEmpty()) return Added.NOTHING;
        Set<String> surfaced = surfacedInContext(new SessionId(call.sessionId()));
        var text = new StringBuilder();
        List<String> names = new ArrayList<>();
        for (Path f : found) {
            String name = name(f);
            if (surfaced.contains(name) || !claimed.add(name)) continue;
            names.add(name);
            // a read of the instruction file itself already shows it
            if (f.equals(file)) continue;
            try {
                // a link out of the project or a file a read rule holds back is left out, as in block B (issue 40)
                String body = guard.read(f).orElse("").strip();
                if (!body.isEmpty()) text.append("\n\n<system-reminder>\nInstructions from ").append(name).append(":\n").append(body).append("\n</system-reminder>");
            } catch (IOException e) {
                // unreadable: nothing to show, and it counts as surfaced so the next read does not try again
            }
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
        return workingDir.relativize(file).toString().replace('\\', '/');
    }
}
