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
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.time.Duration;

/**
 * {@code bash}: runs a command with {@code bash -c} in its own process group (started through {@code setsid}, so the
 * group id is the child's pid), streams its output as progress, and kills the whole group on timeout, abort and
 * when the command ends. With {@code background} the command is handed to the session's {@link BackgroundCommands} instead.
 */
final class BashTool implements Tool<BashTool.Args> {
    /** {@code timeout} is text so that any value the model sends is taken, then made usable ({@link BashTimeout}). */
    record Args(String command, Optional<String> timeout, Optional<String> workdir, Optional<String> description,
            Optional<Boolean> background, Optional<String> monitor, Optional<Long> timeoutSeconds) {}

    private static final String DESCRIPTION = Builtins.description("bash");
    private static final String SCHEMA = """
            {"type":"object","properties":{\
            "command":{"type":"string"},\
            "timeout":{"type":"integer","description":"ms (default 120000, max 600000)","minimum":1},\
            "workdir":{"type":"string","description":"Default: the project folder"},\
            "description":{"type":"string","description":"What it does, in 5-10 words"},\
            "background":{"type":"boolean"},\
            "monitor":{"type":"string","description":"With background: a regular expression; each new output line that matches is sent to you as it comes"},\
            "timeoutSeconds":{"type":"integer","description":"With background: end it (and all it started) after this many seconds","minimum":1}},\
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
        if (args.background().orElse(false)) return background(args, dir, title, ctx);
        if (args.monitor().isPresent() || args.timeoutSeconds().isPresent())
            throw new ToolFailure("monitor and timeoutSeconds are for a background command: add \"background\": true (or use timeout, in ms)");
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

    private static ToolResult background(Args args, Path dir, String title, ToolContext ctx) {
        Optional<Pattern> monitor = monitor(args.monitor());
        Optional<Duration> limit = args.timeoutSeconds().map(s -> {
            if (s < 1) throw new ToolFailure("timeoutSeconds must be at least 1");
            return Duration.ofSeconds(s);
        });
        BackgroundCommands.Command job;
        try {
            job = ctx.session().background().start(new BackgroundCommands.Launch(ctx.call().sessionId(), args.command(), dir, ctx.guards().secrets(),
                    ctx.guards().launcher(), monitor, limit));
        } catch (IOException e) {
            throw new ToolFailure("cannot start bash: " + e.getMessage(), e);
        }
        String watched = monitor.isEmpty() ? "" : "New output lines matching the monitor pattern are sent to you as they come (a few at a time),"
                + " and you are told when it exits.\n";
        return new ToolResult("Started in the background with id " + job.id() + " (pid " + job.pid() + ").\n" + watched
                + "Read its output with bash_output {\"id\": \"" + job.id() + "\"}; stop it with bash_kill. It is ended, with all it started,"
                + " at its time limit" + limit.map(l -> " (" + l.toSeconds() + " s)").orElse("") + " and when the session ends.", title,
                Map.of("backgroundId", job.id(), "pid", Long.toString(job.pid())))
                .withDisplay(new ToolDisplay.CommandRun(args.command(), ToolDisplay.CommandRun.Ending.BACKGROUND, Optional.empty()));
    }

    /** The monitor pattern, checked: not empty, not longer than {@link LineMonitor#MAX_PATTERN}, valid. */
    static Optional<Pattern> monitor(Optional<String> given) {
        if (given.isEmpty()) return Optional.empty();
        String p = given.get();
        if (p.isEmpty()) throw new ToolFailure("monitor must not be empty");
        if (p.length() > LineMonitor.MAX_PATTERN) throw new ToolFailure("monitor is " + p.length() + " characters long; at most " + LineMonitor.MAX_PATTERN);
        try {
            return Optional.of(Pattern.compile(p));
        } catch (PatternSyntaxException | StackOverflowError e) {
            throw new ToolFailure("monitor is not a valid regular expression: " + (e instanceof PatternSyntaxException x ? x.getDescription() : "too deeply nested"));
        }
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
