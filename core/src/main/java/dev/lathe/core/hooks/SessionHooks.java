package dev.lathe.core.hooks;

import java.net.http.HttpClient;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Fires the events that are not a tool call's ({@code UserPromptSubmit}, {@code Stop}, {@code SessionStart},
 * {@code PreCompact}, {@code Notification}, ...) for the session code, which decides what an outcome does there. A
 * firing costs nothing when no hook of the project matches the event; when one does, the session's Claude Code
 * transcript is brought up to date first ({@code transcript_path}), the runs go to the {@link HookRunLog} and notices to
 * the server log. Never throws: a hook that fails or times out is reported and the session goes on as without it.
 */
public final class SessionHooks {
    private static final System.Logger LOG = System.getLogger(SessionHooks.class.getName());

    /**
     * Where an event happens: the session, its project's folder, hooks and MCP servers (for Claude Code's tool names),
     * the provider keys the commands must not see, the session's permission mode, and the bash rules its commands
     * run under ({@code Project.hookRules}).
     */
    public record Scope(String sessionId, Path projectDir, List<Hook> hooks, Set<String> mcpServers, Set<String> secrets, String permissionMode,
            CommandRules rules) {
        public Scope {
            hooks = List.copyOf(hooks);
            mcpServers = Set.copyOf(mcpServers);
            secrets = Set.copyOf(secrets);
        }
    }

    /** Brings a session's Claude Code transcript up to date and says where it is. */
    public interface Transcripts {
        Path sync(String sessionId);

        /** No transcript is written ({@code transcript_path} is left out). */
        Transcripts NONE = _ -> null;
    }

    private final Map<String, String> processEnv;
    private final HttpClient http;
    private final HookRunLog runLog;
    private final Transcripts transcripts;
    private final HookStops stops;
    /** The sessions that had their {@code SessionStart} since the server started. */
    private final Set<String> started = ConcurrentHashMap.newKeySet();

    public SessionHooks(Map<String, String> processEnv, HttpClient http, HookRunLog runLog, Transcripts transcripts, HookStops stops) {
        this.processEnv = Map.copyOf(processEnv);
        this.http = http;
        this.runLog = runLog;
        this.transcripts = transcripts;
        this.stops = stops;
    }

    /** Where tool events' {@code continue: false} wait for their turn. */
    public HookStops stops() { return stops; }

    /** True the first time it is asked for {@code sessionId} since the server started: that prompt starts (or resumes) it. */
    public boolean starting(String sessionId) { return started.add(sessionId); }

    /** Whether a hook of {@code scope} would run for {@code data} (so a caller can skip work only an outcome needs). */
    public boolean matches(Scope scope, HookInput.Data data) {
        HookInput probe = new HookInput(new HookInput.Common(scope.sessionId(), Optional.empty(), scope.projectDir(), scope.permissionMode()), data);
        var names = new ClaudeToolNames(scope.mcpServers());
        return scope.hooks().stream().anyMatch(h -> h.event() == data.event()
                && (!h.event().usesMatcher() || h.matcher().matches(probe.matcherSubject(h.source().dialect(), names))));
    }

    /** Runs the hooks {@code data} matches and returns what they decided; {@link HookOutcome#NONE} when none match or firing failed. */
    public HookOutcome fire(Scope scope, HookInput.Data data) {
        return fire(scope, data, Optional.empty());
    }

    /** As {@link #fire(Scope, HookInput.Data)}, for a tool call's event: the runs are recorded with {@code callId}. */
    public HookOutcome fire(Scope scope, HookInput.Data data, Optional<String> callId) {
        try {
            if (!matches(scope, data)) return HookOutcome.NONE;
            var engine = HookEngine.create(scope.hooks(), new ClaudeToolNames(scope.mcpServers()), scope.projectDir(), processEnv, scope.secrets(), http,
                    scope.rules());
            HookOutcome outcome = engine.fire(new HookInput(new HookInput.Common(scope.sessionId(), transcript(scope.sessionId()), scope.projectDir(),
                    scope.permissionMode()), data));
            report(scope.sessionId(), scope.projectDir(), callId, data.event(), outcome);
            return outcome;
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, data.event().wire() + " hooks failed; the session goes on without them", e);
            return HookOutcome.NONE;
        }
    }

    /** Fires {@code data} without waiting for its hooks (events that decide nothing, such as {@code Notification}). */
    public void fireAndForget(Scope scope, HookInput.Data data) {
        if (!matches(scope, data)) return;
        Thread.ofVirtual().name("lathe-hook-" + data.event().wire()).start(() -> fire(scope, data));
    }

    /** Session {@code sessionId}'s Claude Code transcript, brought up to date; empty when none is written. */
    public Optional<Path> transcriptOf(String sessionId) { return transcript(sessionId); }

    private Optional<Path> transcript(String sessionId) {
        try {
            return Optional.ofNullable(transcripts.sync(sessionId));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot write the transcript of " + sessionId + " for its hooks", e);
            return Optional.empty();
        }
    }

    /** Failing, slow and talking hooks are never silent: the runs go to the run log, notices to the server log. */
    private void report(String sessionId, Path projectDir, Optional<String> callId, HookEvent event, HookOutcome outcome) {
        for (String notice : outcome.notices()) LOG.log(System.Logger.Level.WARNING, notice);
        if (outcome.runs().isEmpty()) return;
        try {
            runLog.record(sessionId, projectDir, callId, outcome.runs());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot record the runs of " + event.wire() + " hooks of " + sessionId, e);
        }
    }
}
