package dev.lathe.core.session;

import dev.lathe.llm.Cancellation;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.ToolState;
import dev.lathe.tools.PermissionRejected;
import dev.lathe.tools.Permissions;
import dev.lathe.tools.Questions;
import dev.lathe.tools.Subagents;
import dev.lathe.tools.Skills;
import dev.lathe.tools.Todos;
import dev.lathe.tools.ToolContext;
import dev.lathe.tools.ToolExecutor;
import dev.lathe.tools.ToolFailure;
import dev.lathe.tools.ToolProgress;
import dev.lathe.tools.ToolResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * Runs the tool calls of one step, each on its own virtual thread as soon as its arguments are complete (calls that
 * write files one at a time). A
 * {@code ToolFailure} (including unknown tools and malformed arguments) becomes a failed part the model will see;
 * a rejected permission fails the call and marks the step so the turn stops; anything else also fails the call and
 * is reported as an internal error. A {@code read} result carries the instruction files of the folders above the file
 * that block B does not hold, the first time one is reached ({@link NestedInstructions}).
 */
final class ToolCallRunner implements AutoCloseable {
    private static final long PROGRESS_MILLIS = 250;

    /** How one call ended, as the turn loop needs to know it. */
    enum Outcome { DONE, REJECTED, CRASHED }

    private final Journal journal;
    private final String directory;
    private final Path projectDir;
    private final Path outputDir;
    private final ToolExecutor executor;
    private final Cancellation cancellation;
    private final Function<Part.Tool, Permissions> permissions;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final List<Future<Outcome>> running = new ArrayList<>();
    /** Files the edit tools of this step wrote, as they reported them (absolute). */
    private final Set<Path> written = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** A call that may have changed files other than the ones reported ({@link #written}) ran. */
    private volatile boolean changedUnknown;
    // calls that write files run one at a time, so two edits of one file never interleave read-modify-write
    private final java.util.concurrent.locks.ReentrantLock writes = new java.util.concurrent.locks.ReentrantLock();

    private final Set<String> secrets;
    private final Todos todos;
    private final Function<Part.Tool, Questions> questions;
    private final NestedInstructions nested;
    /** Names of the tools the step's request offered: the model may call no other (an agent's {@code tools} list). */
    private java.util.Optional<Set<String>> offered = java.util.Optional.empty();
    private Function<Part.Tool, Subagents> subagents = _ -> Subagents.UNAVAILABLE;
    private final Skills skills;

    ToolCallRunner(Journal journal, String directory, Path projectDir, Path outputDir, ToolExecutor executor,
            Cancellation cancellation, Function<Part.Tool, Permissions> permissions, Set<String> secrets, Todos todos,
            Function<Part.Tool, Questions> questions) {
        this(journal, directory, projectDir, outputDir, executor, cancellation, permissions, secrets, todos, questions, Skills.NONE);
    }

    ToolCallRunner(Journal journal, String directory, Path projectDir, Path outputDir, ToolExecutor executor,
            Cancellation cancellation, Function<Part.Tool, Permissions> permissions, Set<String> secrets, Todos todos,
            Function<Part.Tool, Questions> questions, Skills skills) {
        this.skills = skills;
        this.secrets = secrets;
        this.todos = todos;
        this.questions = questions;
        this.journal = journal;
        this.directory = directory;
        this.projectDir = projectDir;
        this.outputDir = outputDir;
        this.executor = executor;
        this.cancellation = cancellation;
        this.permissions = permissions;
        this.nested = new NestedInstructions(projectDir, journal::history);
    }

    /** Only the tools {@code specs} names may run; {@code task} calls reach subagents through {@code subagents}. */
    ToolCallRunner offering(List<dev.lathe.llm.ToolSpec> specs, Function<Part.Tool, Subagents> subagents) {
        this.offered = java.util.Optional.of(specs.stream().map(dev.lathe.llm.ToolSpec::name).collect(java.util.stream.Collectors.toUnmodifiableSet()));
        this.subagents = subagents;
        return this;
    }

    void start(Part.Tool call) {
        running.add(threads.submit(() -> run(call)));
    }

    /** Waits for every started call; returns the worst outcome. */
    Outcome awaitAll() {
        Outcome worst = Outcome.DONE;
        for (Future<Outcome> f : running) {
            try {
                Outcome o = f.get();
                if (o.ordinal() > worst.ordinal()) worst = o;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Outcome.CRASHED;
            } catch (ExecutionException e) {
                worst = Outcome.CRASHED;
            }
        }
        running.clear();
        return worst;
    }

    private Outcome run(Part.Tool call) {
        // bash, subagents, MCP tools: what they changed is not known (a failed edit tool is marked below)
        if (mayChangeFiles(call.tool()) && !writesFiles(call.tool())) changedUnknown = true;
        long started = System.currentTimeMillis();
        var input = call.input();
        Part.Tool runningPart = call.withState(new ToolState.Running(input, call.tool(), started, ""));
        // behind: the tool need not wait for this commit, nor the next request for its outcome's (Journal.history)
        journal.partBehind(directory, runningPart);
        var progress = new Progress(runningPart, started);
        var ctx = new ToolContext(projectDir, call.sessionId().value(), call.callId(), permissions.apply(call), cancellation,
                progress, outputDir, secrets, todos, questions.apply(call), subagents.apply(call), skills);
        try {
            if (cancellation.isCancelled()) throw new ToolFailure("Tool execution aborted");
            if (offered.isPresent() && !offered.get().contains(call.tool())) {
                // the same answer as for a tool that does not exist: the model learns what it may call
                throw new ToolFailure("Unknown tool '" + call.tool() + "'. Available tools: " + String.join(", ",
                        offered.get().stream().sorted().toList()) + ".");
            }
            ToolResult result = writesFiles(call.tool()) ? serialised(() -> executor.execute(call.tool(), input.json(), ctx))
                    : executor.execute(call.tool(), input.json(), ctx);
            result = nested.surface(call, result);
            progress.stop();
            // behind, as every state of the call: the next request goes out without waiting for a commit (Journal.history)
            journal.partBehind(directory, call.withState(new ToolState.Completed(input, result.output(), result.title(), result.metadata(),
                    started, System.currentTimeMillis(), result.attachments())));
            if (writesFiles(call.tool())) {
                // edit and write name one "path"; apply_patch lists its "files", one per line
                String paths = result.metadata().getOrDefault("path", result.metadata().getOrDefault("files", ""));
                if (paths.isBlank()) changedUnknown = true;
                for (String path : paths.split("\n")) {
                    if (path.isBlank()) continue;
                    written.add(projectDir.resolve(path));
                    journal.publish(directory, new Event.FileEdited(call.sessionId(), path));
                }
            }
            return Outcome.DONE;
        } catch (ToolFailure e) {
            progress.stop();
            if (writesFiles(call.tool())) changedUnknown = true;
            fail(call, input, e.getMessage(), started);
            return Outcome.DONE;
        } catch (PermissionRejected e) {
            progress.stop();
            if (writesFiles(call.tool())) changedUnknown = true;
            fail(call, input, e.getMessage(), started);
            return Outcome.REJECTED;
        } catch (RuntimeException e) {
            progress.stop();
            if (writesFiles(call.tool())) changedUnknown = true;
            fail(call, input, "Internal error in tool " + call.tool() + ": " + e, started);
            return Outcome.CRASHED;
        }
    }

    /**
     * The files this step's calls changed, when every call that may change files was an edit tool that finished and
     * said which (its snapshot can then add just those); empty when any other kind ran or one failed midway.
     */
    Optional<Set<Path>> changedFiles() {
        return changedUnknown ? Optional.empty() : Optional.of(Set.copyOf(written));
    }

    /** Built-in tools that never change the project's files: a step that called only these needs no snapshot after it. */
    private static final Set<String> LOOK_ONLY = Set.of("read", "glob", "grep", "list", "webfetch", "todo", "todoread",
            "question", "skill", "bash_output");

    /**
     * Whether a call of {@code tool} may change files: anything not known to only look (bash, subagents, MCP tools and
     * the edit tools) may.
     */
    static boolean mayChangeFiles(String tool) { return !LOOK_ONLY.contains(tool); }

    private static boolean writesFiles(String tool) {
        return tool.equals("edit") || tool.equals("write") || tool.equals("apply_patch");
    }

    private ToolResult serialised(java.util.function.Supplier<ToolResult> work) {
        writes.lock();
        try {
            return work.get();
        } finally {
            writes.unlock();
        }
    }

    private void fail(Part.Tool call, dev.lathe.protocol.RawJson input, String message, long started) {
        journal.partBehind(directory, call.withState(new ToolState.Failed(input, message, started, System.currentTimeMillis())));
    }

    /** Publishes live output at most every 250 ms. */
    private final class Progress implements ToolProgress {
        private final Part.Tool part;
        private final long started;
        private long lastAt;
        private boolean stopped;

        Progress(Part.Tool part, long started) {
            this.part = part;
            this.started = started;
        }

        @Override
        public synchronized void update(String title, String outputSoFar) {
            long now = System.currentTimeMillis();
            if (stopped || now - lastAt < PROGRESS_MILLIS) return;
            lastAt = now;
            journal.part(directory, part.withState(new ToolState.Running(part.input(), title, started, outputSoFar)));
        }

        /** No update may overwrite the final state written after this. */
        synchronized void stop() { stopped = true; }
    }

    @Override
    public void close() {
        threads.shutdownNow();
    }
}
