package dev.lathe.core.hooks;

import dev.lathe.tools.ProcessLauncher;
import dev.lathe.tools.builtin.ChildEnvironment;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Fires events at one project's hooks: finds the hooks whose event and matcher fit (each handler once, however many
 * files define it), runs them in parallel on virtual threads, reads each one's exit code and output as Claude Code's
 * contract says, and combines them into a {@link HookOutcome}. Blocks the calling thread until every handler ended or
 * timed out; never throws for a handler's failure (it is in the outcome's runs and notices).
 */
public final class HookEngine {
    /** Claude Code caps what a hook adds to the context; longer text would crowd the model's window. */
    static final int MAX_CONTEXT = 10_000;

    private final List<Hook> hooks;
    private final ClaudeToolNames names;
    private final HandlerRunner runner;
    private final Path projectDir;

    /**
     * @param processEnv the server's environment ({@code allowedEnvVars} of HTTP hooks read it)
     * @param childEnv what commands get: the environment with provider keys already removed
     * @param secrets provider key values, never sent
     * @param rules the bash rules of the session the hooks fire for: a command they deny does not start
     */
    public HookEngine(List<Hook> hooks, ClaudeToolNames names, Path projectDir, Map<String, String> processEnv, Map<String, String> childEnv,
            Set<String> secrets, HttpClient http, CommandRules rules) {
        this.hooks = List.copyOf(hooks);
        this.names = names;
        this.projectDir = projectDir;
        // outside the OS sandbox, as Claude Code runs hooks: they are code the user or a trusted folder configured, pinned,
        // and often write outside the project (a log, a notification); their whole tree still ends at the limit (decision 556)
        this.runner = new HandlerRunner(projectDir, processEnv, childEnv, secrets, http, ProcessLauncher.DIRECT, rules);
    }

    /**
     * An engine whose commands get {@code processEnv} without provider keys (by name, and {@code secrets} by value):
     * the bash tool's child environment.
     */
    public static HookEngine create(List<Hook> hooks, ClaudeToolNames names, Path projectDir, Map<String, String> processEnv, Set<String> secrets,
            HttpClient http, CommandRules rules) {
        return new HookEngine(hooks, names, projectDir, processEnv, ChildEnvironment.scrubbed(processEnv, secrets), secrets,
                http, rules);
    }

    public List<Hook> hooks() { return hooks; }

    /** Whether any hook listens to {@code event} (so a caller can skip building its input). */
    public boolean listens(HookEvent event) {
        return hooks.stream().anyMatch(h -> h.event() == event);
    }

    /** Runs the hooks {@code input} matches and combines what they decided; {@link HookOutcome#NONE} when none match. */
    public HookOutcome fire(HookInput input) {
        Map<String, Hook> matched = new LinkedHashMap<>();
        for (Hook h : hooks) {
            if (h.event() != input.event()) continue;
            if (h.event().usesMatcher() && !h.matcher().matches(input.matcherSubject(h.source().dialect(), names))) continue;
            // an identical handler defined in several files runs once (Claude Code's rule); its dialect is part of it
            matched.putIfAbsent(h.source().dialect() + "\u0000" + h.handler(), h);
        }
        if (matched.isEmpty()) return HookOutcome.NONE;
        List<Read> reads = new ArrayList<>();
        var threads = Executors.newVirtualThreadPerTaskExecutor();
        try {
            List<Future<Read>> running = new ArrayList<>();
            for (Hook h : matched.values()) running.add(threads.submit(() -> runOne(h, input)));
            for (Future<Read> f : running) reads.add(f.get());
        } catch (InterruptedException e) {
            // the turn was aborted: the running handlers are interrupted, which kills their processes, instead of
            // being waited for up to their timeouts (closing the executor alone would wait)
            threads.shutdownNow();
            Thread.currentThread().interrupt();
            return HookOutcome.NONE;
        } catch (ExecutionException e) {
            throw new IllegalStateException("a hook's run failed unexpectedly", e.getCause());
        } finally {
            threads.close();
        }
        return combine(reads);
    }

    /** One handler's run and what it asked for. */
    private record Read(HookRun run, Optional<String> context, Optional<String> notice, Optional<String> permission,
            Optional<String> updatedInput, Optional<String> updatedToolOutput, HookOutcome.Retry retry) {}

    private Read runOne(Hook hook, HookInput input) {
        long started = System.nanoTime();
        HandlerRunner.Raw raw = runner.run(hook, HookJson.input(input, hook.source().dialect(), names));
        long millis = HandlerRunner.elapsedSince(started).toMillis();
        if (hook.onFailure() == Hook.OnFailure.BLOCK) {
            Optional<String> failure = failure(hook, raw);
            if (failure.isPresent()) return failedClosed(hook, millis, raw, failure.get());
        }
        return switch (raw) {
            case HandlerRunner.Raw.TimedOut _ -> failed(hook, millis, Optional.empty(), new HookRun.Result.TimedOut(hook.handler().timeout().toMillis()));
            case HandlerRunner.Raw.Failed f -> failed(hook, millis, Optional.empty(), new HookRun.Result.Failed(f.message()));
            case HandlerRunner.Raw.Finished f -> finished(hook, input, millis, f);
        };
    }

    /**
     * What {@code "onFailure": "block"} counts as a failure (DESIGN §26, Claude Code's contract): a handler that could
     * not start (or an HTTP hook's refused or non-2xx request), one that timed out, and an exit code other than 0 or 2.
     */
    private static Optional<String> failure(Hook hook, HandlerRunner.Raw raw) {
        return switch (raw) {
            case HandlerRunner.Raw.TimedOut _ -> Optional.of("it timed out after " + hook.handler().timeout().toSeconds() + " s");
            case HandlerRunner.Raw.Failed f -> Optional.of("it could not run: " + firstLine(f.message()));
            case HandlerRunner.Raw.Finished f -> f.code() == 0 || f.code() == 2 ? Optional.empty()
                    : Optional.of("it exited with code " + f.code() + (f.stderr().isBlank() ? "" : ": " + firstLine(f.stderr().strip())));
        };
    }

    /** The failed handler's run as a block of its event's action, the reason shown to the model and, as a notice, to the user. */
    private static Read failedClosed(Hook hook, long millis, HandlerRunner.Raw raw, String why) {
        Optional<Integer> exit = raw instanceof HandlerRunner.Raw.Finished f ? Optional.of(f.code()) : Optional.empty();
        String reason = "Blocked: the " + hook.event().wire() + " hook `" + firstLine(hook.handler().shown()) + "` (" + hook.source().file()
                + ") is set to block when it fails, and " + why + ".";
        HookRun blocked = new HookRun(hook, millis, exit, new HookRun.Result.Blocked(reason));
        return new Read(blocked, Optional.empty(), Optional.of(reason), Optional.empty(), Optional.empty(), Optional.empty(), HookOutcome.Retry.NO);
    }

    private Read failed(Hook hook, long millis, Optional<Integer> exit, HookRun.Result result) {
        HookRun run = new HookRun(hook, millis, exit, result);
        return new Read(run, Optional.empty(), Optional.of(run.describe()), Optional.empty(), Optional.empty(), Optional.empty(), HookOutcome.Retry.NO);
    }

    private Read finished(Hook hook, HookInput input, long millis, HandlerRunner.Raw.Finished f) {
        HookEvent event = input.event();
        Optional<Integer> exit = Optional.of(f.code());
        Optional<HookOutput> json = Optional.empty();
        Optional<String> badJson = Optional.empty();
        if (HookJson.looksLikeJson(f.stdout())) {
            try {
                json = Optional.of(HookJson.output(f.stdout(), event));
            } catch (IllegalArgumentException e) {
                badJson = Optional.of(e.getMessage());
            }
        }
        String stderr = f.stderr().strip();
        if (f.code() == 2) {
            Optional<String> jsonReason = json.flatMap(o -> o.permissionDecisionReason().or(o::reason)).filter(r -> !r.isBlank());
            String reason = jsonReason.orElse(stderr.isEmpty() ? "blocked by a hook (exit 2)" : stderr);
            return switch (event.exitTwo()) {
                case BLOCKS, TO_MODEL -> new Read(new HookRun(hook, millis, exit, new HookRun.Result.Blocked(reason)), Optional.empty(), Optional.empty(),
                        Optional.empty(), Optional.empty(), Optional.empty(), HookOutcome.Retry.NO);
                case TO_USER -> failed(hook, millis, exit, new HookRun.Result.Failed(reason));
                case IGNORED -> failed(hook, millis, exit, new HookRun.Result.Failed("exit 2 (" + event.wire() + " cannot be blocked): " + firstLine(stderr)));
            };
        }
        if (badJson.isPresent()) return failed(hook, millis, exit, new HookRun.Result.Failed(badJson.get()));
        if (json.isEmpty()) {
            if (f.code() != 0) return failed(hook, millis, exit, new HookRun.Result.Failed("exit " + f.code() + ": " + firstLine(stderr)));
            Optional<String> context = event.plainStdoutIsContext() && !f.stdout().isBlank() ? Optional.of(cap(f.stdout().strip())) : Optional.empty();
            return new Read(new HookRun(hook, millis, exit, new HookRun.Result.Succeeded(context.isPresent() ? "context" : "")), context,
                    Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), HookOutcome.Retry.NO);
        }
        // valid JSON decides on any exit code but 2, and no error is reported (Claude Code's contract)
        return fromJson(hook, input, millis, exit, json.get());
    }

    private Read fromJson(Hook hook, HookInput input, long millis, Optional<Integer> exit, HookOutput o) {
        HookEvent event = input.event();
        Optional<String> context = o.additionalContext().filter(c -> !c.isBlank()).map(HookEngine::cap);
        Optional<String> notice = o.systemMessage().filter(m -> !m.isBlank());
        Optional<String> updated = o.updatedInput().flatMap(u -> latheArgs(hook, input, u));
        HookRun.Result result;
        Optional<String> permission = Optional.empty();
        if (o.continuation() == HookOutput.Continuation.STOP) {
            result = new HookRun.Result.Stopped(o.stopReason().orElse(""));
        } else if (o.permissionDecision().filter("deny"::equals).isPresent()
                && (event == HookEvent.PRE_TOOL_USE || event == HookEvent.PERMISSION_REQUEST)) {
            result = new HookRun.Result.Blocked(o.permissionDecisionReason().or(o::reason).orElse("denied by a hook"));
        } else if (o.blocks()) {
            result = new HookRun.Result.Blocked(o.reason().orElse("blocked by a hook"));
        } else {
            permission = (event == HookEvent.PRE_TOOL_USE || event == HookEvent.PERMISSION_REQUEST) ? o.permissionDecision() : Optional.empty();
            result = new HookRun.Result.Succeeded(permission.orElse(context.isPresent() ? "context" : updated.isPresent() ? "updatedInput" : ""));
        }
        var retry = o.retry() == HookOutput.Retry.RETRY ? HookOutcome.Retry.RETRY : HookOutcome.Retry.NO;
        return new Read(new HookRun(hook, millis, exit, result, notice), context, notice, permission.map(p -> p + "\u0000"
                + o.permissionDecisionReason().orElse("")), updated, o.updatedToolOutput(), retry);
    }

    /** A hook's {@code updatedInput} as Lathe's arguments of the call (a Claude Code hook wrote Claude Code's names). */
    private Optional<String> latheArgs(Hook hook, HookInput input, String updated) {
        if (!(input.data() instanceof HookInput.ToolData t)) return Optional.empty();
        var update = HookJson.args(updated);
        return Optional.of(HookJson.write(switch (hook.source().dialect()) {
            case LATHE -> update;
            case CLAUDE_CODE -> names.latheInput(t.tool(), HookJson.args(t.argsJson()), update);
        }));
    }

    private static HookOutcome combine(List<Read> reads) {
        List<String> context = new ArrayList<>();
        List<String> notices = new ArrayList<>();
        List<String> blocks = new ArrayList<>();
        List<String> stops = new ArrayList<>();
        Optional<String> updatedInput = Optional.empty();
        Optional<String> updatedOutput = Optional.empty();
        HookOutcome.Retry retry = HookOutcome.Retry.NO;
        int rank = 0; // 0 none, 1 allow, 2 ask, 3 defer
        String permissionReason = "";
        for (Read r : reads) {
            r.context().ifPresent(context::add);
            r.notice().ifPresent(notices::add);
            if (r.updatedInput().isPresent()) updatedInput = r.updatedInput();
            if (r.updatedToolOutput().isPresent()) updatedOutput = r.updatedToolOutput();
            if (r.retry() == HookOutcome.Retry.RETRY) retry = HookOutcome.Retry.RETRY;
            switch (r.run().result()) {
                case HookRun.Result.Blocked b -> blocks.add(b.reason());
                case HookRun.Result.Stopped s -> stops.add(s.reason());
                case HookRun.Result.Succeeded _, HookRun.Result.Failed _, HookRun.Result.TimedOut _ -> { }
            }
            if (r.permission().isPresent()) {
                String[] p = r.permission().get().split("\u0000", 2);
                int k = switch (p[0]) {
                    case "allow" -> 1;
                    case "ask" -> 2;
                    case "defer" -> 3;
                    default -> 0;
                };
                if (k > rank) {
                    rank = k;
                    permissionReason = p[1];
                }
            }
        }
        HookOutcome.Verdict verdict;
        if (!stops.isEmpty()) verdict = new HookOutcome.Verdict.Stop(String.join("\n", stops.stream().filter(s -> !s.isBlank()).toList()));
        else if (!blocks.isEmpty()) verdict = new HookOutcome.Verdict.Block(String.join("\n", blocks));
        else verdict = switch (rank) {
            case 1 -> new HookOutcome.Verdict.Allow(permissionReason);
            case 2 -> new HookOutcome.Verdict.Ask(permissionReason);
            case 3 -> new HookOutcome.Verdict.Defer();
            default -> new HookOutcome.Verdict.None();
        };
        return new HookOutcome(verdict, context, notices, updatedInput, updatedOutput, retry, reads.stream().map(Read::run).toList());
    }

    private static String cap(String text) {
        return text.length() <= MAX_CONTEXT ? text : text.substring(0, MAX_CONTEXT) + "\n[hook output cut at " + MAX_CONTEXT + " characters]";
    }

    private static String firstLine(String text) {
        int nl = text.indexOf('\n');
        return nl < 0 ? text : text.substring(0, nl);
    }

    /** The project folder hooks run in. */
    public Path projectDir() { return projectDir; }
}
