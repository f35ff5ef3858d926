package dev.lathe.core.hooks;

import dev.lathe.core.trust.RunPin;
import dev.lathe.tools.ProcessLauncher;
import dev.lathe.tools.builtin.ChildEnvironment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs the status line's command (DESIGN §27) the way a hook's command runs ({@link HandlerRunner}: in the folder, with
 * the child environment that has no provider keys, the JSON on stdin, its pin checked now, in the session's sandbox, its whole process tree
 * ended at {@link #TIMEOUT} without waiting on pipes a left-behind child holds) and answers the first line it printed: empty when it printed nothing, failed or timed out,
 * the refusal when a file it runs changed since trust approved it.
 */
public final class StatusLineRun {
    /** Claude Code refreshes at most every 300 ms; a command that needs longer than this shows nothing. */
    public static final Duration TIMEOUT = Duration.ofSeconds(3);
    /** A status line is one row: more than this is cut. */
    static final int MAX_CHARS = 1000;

    private StatusLineRun() {}

    /**
     * The first line {@code command} prints (from {@code source}, checked against {@code pin} first), given {@code json}
     * on stdin. Its parts, not config's record: config names hooks, so hooks does not name config.
     */
    public static String firstLine(String command, String source, RunPin pin, Path folder, Map<String, String> processEnv, Set<String> secrets,
            String json, ProcessLauncher sandbox, CommandRules rules) {
        // HandlerRunner runs a hook; this is one with no event of its own (the event is not read to run it)
        var hook = new Hook(HookEvent.NOTIFICATION, HookMatcher.parse("*"), new HookHandler.Command(command, List.of(),
                HookHandler.Command.Form.SHELL, TIMEOUT), new HookSource(source, HookSource.Dialect.CLAUDE_CODE), pin);
        var runner = new HandlerRunner(folder, processEnv, ChildEnvironment.scrubbed(processEnv, secrets), secrets, null, sandbox, rules);
        return switch (runner.run(hook, json)) {
            case HandlerRunner.Raw.Finished f when f.code() == 0 -> first(f.stdout());
            case HandlerRunner.Raw.Failed f when f.message().startsWith("not run:") -> first(f.message());
            default -> "";
        };
    }

    private static String first(String text) {
        String first = text.lines().findFirst().orElse("");
        return first.length() > MAX_CHARS ? first.substring(0, MAX_CHARS) : first;
    }
}
