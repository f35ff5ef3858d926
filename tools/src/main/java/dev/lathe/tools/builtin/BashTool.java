package dev.lathe.tools.builtin;

import dev.lathe.protocol.session.ToolDisplay;
import dev.lathe.tools.BackgroundCommands;
import dev.lathe.tools.Effect;
import dev.lathe.tools.PermissionCheck;
import dev.lathe.tools.PermissionSource;
import dev.lathe.tools.ProjectPaths;
import dev.lathe.tools.Tool;
import dev.lathe.tools.ToolContext;
import dev.lathe.tools.ToolFailure;
import dev.lathe.tools.ToolResult;
import dev.lathe.tools.Truncation;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * {@code bash}: runs a command with {@code bash -c} in its own process group (started through {@code setsid}, so the
 * group id is the child's pid), streams its output as progress, and kills the whole group on timeout, abort and
 * when the command ends. With {@code background} the command is handed to the session's {@link BackgroundCommands} instead.
 */
final class BashTool implements Tool<BashTool.Args> {
    /** {@code timeout} is text so that any value the model sends is taken, then made usable ({@link BashTimeout}). */
    record Args(String command, Optional<String> timeout, Optional<String> workdir, Optional<String> description,
            Optional<Boolean> background) {}

    private static final String DESCRIPTION = Builtins.description("bash");
    private static final String SCHEMA = """
            {"type":"object","properties":{\
            "command":{"type":"string"},\
            "timeout":{"type":"integer","description":"ms (default 120000, max 600000)","minimum":1},\
            "workdir":{"type":"string","description":"Default: the project folder"},\
            "description":{"type":"string","description":"What it does, in 5-10 words"},\
            "background":{"type":"boolean"}},\
            "required":["command"],"additionalProperties":false}""";

    @Override public String name() { return Builtins.RUN_COMMAND; }

    @Override public String description() { return DESCRIPTION; }

    @Override public String parametersSchema() { return SCHEMA; }

    @Override public Class<Args> argsType() { return Args.class; }

    @Override public Set<Effect> effects() { return Set.of(Effect.READS_FILES, Effect.MAY_CHANGE_ANY_FILE, Effect.RUNS_PROCESSES, Effect.REACHES_NETWORK); }

    @Override public PermissionSource permission() { return PermissionSource.checkedByTool(PermissionSource.Pattern.COMMAND, "command"); }

    @Override public Truncation.Keep truncation() { return Truncation.Keep.TAIL; }

    @Override
    public Optional<ToolDisplay> announce(Args args) { return Optional.of(ToolDisplay.CommandRun.running(args.command())); }

    @Override
    public ToolResult run(Args args, ToolContext ctx) {
        if (args.command().isBlank()) throw new ToolFailure("command must not be empty");
        Path dir = args.workdir().map(w -> ProjectPaths.resolve(ctx, w)).orElse(ctx.folders().project());
        if (!Files.isDirectory(dir)) throw new ToolFailure("workdir does not exist: " + dir);
        ProjectPaths.checkExternal(ctx, dir, true);
        String title = args.description().filter(d -> !d.isBlank()).orElse(args.command());
        ctx.guards().permissions().require(new PermissionCheck("bash", PermissionSource.Pattern.COMMAND, List.of(args.command().strip()), List.of(prefixRule(args.command())),
                title, Map.of("command", args.command(), "workdir", dir.toString())));
        if (args.background().orElse(false)) return background(args.command(), dir, title, ctx);
        return execute(args.command(), dir, BashTimeout.of(args.timeout()), title, ctx);
    }

    private static ToolResult execute(String command, Path dir, BashTimeout timeout, String title, ToolContext ctx) {
        int timeoutMs = timeout.millis();
        ProcessGroups.Started started;
        try {
            started = ProcessGroups.start(command, dir, ctx.guards().secrets(), ctx.guards().launcher());
        } catch (IOException e) {
            throw new ToolFailure("cannot start bash: " + e.getMessage(), e);
        }
        Process process = started.process();
        var output = new OutputLog();
        var watchdog = started.watchdog();
        Thread reader = Thread.ofVirtual().start(() -> pump(process.getInputStream(), output, title, ctx));
        boolean finished;
        boolean aborted = false;
        try (AutoCloseable _ = ctx.call().cancellation().onCancel(() -> ProcessGroups.signal(process))) {
            finished = process.waitFor(timeoutMs, TimeUnit.MILLISECONDS);
            aborted = ctx.call().cancellation().isCancelled();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            finished = false;
        } catch (Exception e) {
            finished = false;
        }
        // the group goes even when the leader exited normally: a child it left behind must not outlive the call
        // (and would hold the pipe open); the reader then drains what is left before the streams are closed
        ProcessGroups.signal(process);
        try {
            reader.join(TimeUnit.SECONDS.toMillis(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process.destroyForcibly();
        watchdog.close();
        if (aborted) throw new ToolFailure("Command aborted by the user.\n" + output.text());
        String text = output.text();
        var out = new StringBuilder(text);
        if (!text.isEmpty() && !text.endsWith("\n")) out.append('\n');
        if (!timeout.note().isEmpty()) out.append("(").append(timeout.note()).append(")\n");
        out.append(watchdog.note());
        if (!finished) {
            out.append("command timed out after ").append(timeoutMs).append(" ms and was killed\n");
            return new ToolResult(out.toString(), title, Map.of("exitCode", "timeout", "timedOut", "true"))
                    .withDisplay(new ToolDisplay.CommandRun(command, ToolDisplay.CommandRun.Ending.TIMED_OUT, Optional.empty()));
        }
        int exit = process.exitValue();
        out.append("exit code: ").append(exit);
        Map<String, String> meta = watchdog.tripped() ? Map.of("exitCode", Integer.toString(exit), "processLimit", Integer.toString(watchdog.limit()))
                : Map.of("exitCode", Integer.toString(exit));
        return new ToolResult(out.toString(), title, meta)
                .withDisplay(ToolDisplay.CommandRun.exited(command, exit));
    }

    private static ToolResult background(String command, Path dir, String title, ToolContext ctx) {
        BackgroundCommands.Command job;
        try {
            job = ctx.session().background().start(ctx.call().sessionId(), command, dir, ctx.guards().secrets(), ctx.guards().launcher());
        } catch (IOException e) {
            throw new ToolFailure("cannot start bash: " + e.getMessage(), e);
        }
        return new ToolResult("Started in the background with id " + job.id() + " (pid " + job.pid() + ").\n"
                + "Read its output with bash_output {\"id\": \"" + job.id() + "\"}; stop it with bash_kill.", title,
                Map.of("backgroundId", job.id(), "pid", Long.toString(job.pid())))
                .withDisplay(new ToolDisplay.CommandRun(command, ToolDisplay.CommandRun.Ending.BACKGROUND, Optional.empty()));
    }

    /** Live previews send the tail only: a client needs the latest lines, not megabytes every 100 ms. */
    static final int PREVIEW_BYTES = 32 * 1024;

    private static void pump(InputStream in, OutputLog output, String title, ToolContext ctx) {
        byte[] buf = new byte[8192];
        long lastProgress = 0;
        try (in) {
            int n;
            while ((n = in.read(buf)) > 0) {
                output.append(buf, n);
                long now = System.currentTimeMillis();
                if (now - lastProgress >= 100) {
                    ctx.call().progress().update(title, output.tail(PREVIEW_BYTES));
                    lastProgress = now;
                }
            }
        } catch (IOException ignored) {
            // the process was killed; what was read so far is kept
        }
    }

    /** The "always" rule offered for a command: its first word, or first two when the second is a subcommand. */
    static String prefixRule(String command) {
        String[] words = command.strip().split("\\s+");
        if (words.length >= 2 && !words[1].startsWith("-") && words[1].matches("[A-Za-z][\\w:-]*")) return words[0] + " " + words[1] + " *";
        return words[0] + " *";
    }
}
