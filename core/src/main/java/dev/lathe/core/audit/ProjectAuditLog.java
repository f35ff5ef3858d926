package dev.lathe.core.audit;

import dev.lathe.core.hooks.HookRun;
import dev.lathe.core.hooks.HookRunRecorder;
import dev.lathe.core.permission.DecisionLog;
import dev.lathe.core.toolcall.AuditLog;
import dev.lathe.core.toolcall.AuditRecord;
import dev.lathe.core.toolcall.SecretMask;
import dev.lathe.protocol.api.ProjectStats;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The audit log of every project, one file each ({@link AuditFiles}): tool calls from the pipeline's seam, permission
 * decisions and answers from the gate's, the commands the sandbox refused, and every hook run (its event, handler,
 * source file, exit, duration and decision). A call's record names only its session,
 * so {@code directoryOf} finds the session's folder. What is logged: names, ids, verdicts, the permission key, its patterns (the command line for
 * bash, the path for file tools, the URL for fetch) and the deciding rule; never tool output, never file contents,
 * and a call's {@code detail} (an error or reason, which may quote output) only as its first line, cut to 200
 * characters. A write that fails is logged and dropped: the audit never fails a call.
 */
public final class ProjectAuditLog implements AuditLog, DecisionLog, HookRunRecorder.Audit, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ProjectAuditLog.class.getName());
    private static final int DETAIL_LIMIT = 200;
    private static final String CUT = "…";

    private final AuditFiles files;
    private final Function<String, Optional<String>> directoryOf;
    private final KnownSecrets secretsOf;

    /** The secrets the server knows in a folder ({@code Secrets}): what every entry of that folder is masked of. */
    @FunctionalInterface
    public interface KnownSecrets {
        Set<String> in(String directory);
    }
    private final Map<Path, AuditFile> open = new ConcurrentHashMap<>();

    /**
     * @param directoryOf a session id's folder, empty for an unknown session (its calls are then not logged)
     * @param secretsOf   the secrets the server knows in a folder ({@code Secrets}): masked in every entry before it is
     *                    chained, since a chained entry can never be changed afterwards
     */
    public ProjectAuditLog(AuditFiles files, Function<String, Optional<String>> directoryOf, KnownSecrets secretsOf) {
        this.files = files;
        this.directoryOf = directoryOf;
        this.secretsOf = secretsOf;
    }

    @Override
    public void record(AuditRecord r) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("tool", r.tool());
        fields.put("origin", r.origin().name().toLowerCase(java.util.Locale.ROOT));
        fields.put("verdict", r.verdict().name().toLowerCase(java.util.Locale.ROOT));
        fields.put("detail", shortDetail(r.detail()));
        fields.put("startedAt", r.startedAt());
        var dir = directoryOf.apply(r.sessionId());
        if (dir.isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, "audit: call {0} of unknown session {1} not logged", r.callId(), r.sessionId());
            return;
        }
        append(dir.get(), new AuditEntry(AuditEntry.Kind.CALL, r.endedAt(), r.sessionId(), r.callId(), fields));
    }

    @Override
    public void decided(Decided d) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("permission", d.permission());
        fields.put("patterns", d.patterns());
        fields.put("decision", d.decision().action().name().toLowerCase(java.util.Locale.ROOT));
        fields.put("rule", d.decision().rule());
        fields.put("layer", d.decision().origin().layer().wire());
        fields.put("source", d.decision().origin().source());
        fields.put("reason", d.decision().reason());
        append(d.directory(), new AuditEntry(AuditEntry.Kind.DECISION, System.currentTimeMillis(), d.session(), d.callId(), fields));
    }

    @Override
    public void answered(Answered a) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("permission", a.permission());
        fields.put("ask", a.askId());
        fields.put("reply", a.reply());
        fields.put("by", a.by());
        append(a.directory(), new AuditEntry(AuditEntry.Kind.ANSWER, System.currentTimeMillis(), a.session(), a.callId(), fields));
    }

    @Override
    public void auto(Auto a) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("permission", a.permission());
        fields.put("patterns", a.patterns());
        DecisionLog.Judgement j = a.judgement();
        fields.put("decision", j.decision());
        fields.put("reason", shortDetail(j.reason()));
        fields.put("model", j.model());
        fields.put("tokens", Long.toString(j.tokens()));
        fields.put("microDollars", Long.toString(j.microDollars()));
        fields.put("ms", Long.toString(j.ms()));
        append(a.directory(), new AuditEntry(AuditEntry.Kind.AUTO, System.currentTimeMillis(), a.session(), a.callId(), fields));
    }

    /**
     * The {@code auto} entries of {@code directory}'s log summed: read from the file at each call (the stats route is
     * rare beside the appends), so what another process of the same data folder wrote counts too.
     */
    @Override
    public ProjectStats.AutoApproval autoSpent(String directory) {
        long decisions = 0;
        long tokens = 0;
        long cost = 0;
        try {
            for (String line : new AuditReader(files, Path.of(directory)).json(Optional.empty())) {
                var entry = AuditChain.read(line);
                if (entry.isEmpty() || !entry.get().path("kind").asString("").equals("auto")) continue;
                decisions++;
                tokens += number(entry.get().path("tokens").asString("0"));
                cost += number(entry.get().path("microDollars").asString("0"));
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "lathe: the audit log of " + directory + " could not be read for the classifier's totals: " + e.getMessage());
        }
        return new ProjectStats.AutoApproval(decisions, tokens, cost);
    }

    private static long number(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    @Override
    public void refused(Refused r) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("by", "sandbox");
        fields.put("command", r.command());
        fields.put("reason", r.reason());
        append(r.directory(), new AuditEntry(AuditEntry.Kind.REFUSAL, System.currentTimeMillis(), r.session(), r.callId(), fields));
    }

    @Override
    public void hookRan(String sessionId, Optional<String> callId, HookRun run) {
        hookRan(sessionId, directoryOf.apply(sessionId), callId, run);
    }

    @Override
    public void hookRan(String sessionId, Path projectDir, Optional<String> callId, HookRun run) {
        // a session not stored yet (the WorktreeCreate hook of its new worktree) or none: the project the hook ran in
        hookRan(sessionId, directoryOf.apply(sessionId).or(() -> Optional.of(projectDir.toString())), callId, run);
    }

    private void hookRan(String sessionId, Optional<String> dir, Optional<String> callId, HookRun run) {
        if (dir.isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, "audit: a hook run of unknown session {0} not logged", sessionId);
            return;
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("event", run.hook().event().wire());
        fields.put("handler", run.hook().handler().shown());
        fields.put("source", run.hook().source().file());
        run.exitCode().ifPresent(code -> fields.put("exit", code));
        fields.put("durationMillis", run.durationMillis());
        fields.put("decision", HookRunRecorder.decision(run));
        fields.put("detail", shortDetail(HookRunRecorder.message(run)));
        append(dir.get(), new AuditEntry(AuditEntry.Kind.HOOK, System.currentTimeMillis(), sessionId, callId.orElse(""), fields));
    }

    /**
     * A client environment (config, keys, network mode) a request carried was ignored because a team account sent it,
     * not the node's own user (DESIGN §26): recorded in the folder the request named, else its session's folder, with the
     * account and the variable names, never their values.
     */
    public void ignoredEnvironment(IgnoredEnvironment e) {
        Optional<String> dir = e.directory().or(() -> e.session().flatMap(directoryOf));
        if (dir.isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, "audit: a client environment of {0} on {1} ignored; no folder to log it in", e.user(), e.route());
            return;
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("by", "user:" + e.user());
        fields.put("route", e.route());
        fields.put("names", List.copyOf(e.names()));
        append(dir.get(), new AuditEntry(AuditEntry.Kind.ENVIRONMENT, System.currentTimeMillis(), e.session().orElse(""), "", fields));
    }

    /** What {@link #ignoredEnvironment} records: who sent it, where it was meant for, and the names it carried. */
    public record IgnoredEnvironment(String user, String route, Optional<String> directory, Optional<String> session, List<String> names) {}

    private void append(String directory, AuditEntry entry) {
        Path file = files.of(Path.of(directory));
        try {
            open.computeIfAbsent(file, f -> new AuditFile(f, files.key())).append(masked(directory, entry));
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "audit log " + file + ": entry not written", e);
        }
    }

    /**
     * {@code entry} with the folder's secrets masked in every field (issue 79: a command line that carried a key, a
     * hook's message that quoted one, were chained whole). Masked here, before the entry is hashed into the chain, so
     * the chain verifies what is written.
     */
    private AuditEntry masked(String directory, AuditEntry entry) {
        SecretMask mask;
        try {
            mask = SecretMask.of(secretsOf.in(directory));
        } catch (RuntimeException unreadable) {
            // a folder whose config cannot be read now: its entry is still written, masked of nothing more
            LOG.log(System.Logger.Level.DEBUG, "audit: the secrets of {0} are unknown: {1}", directory, unreadable.getMessage());
            return entry;
        }
        if (mask.isEmpty()) return entry;
        Map<String, Object> fields = new LinkedHashMap<>();
        entry.fields().forEach((name, value) -> fields.put(name, switch (value) {
            case String text -> masked(text, mask);
            case List<?> list -> list.stream().map(item -> item instanceof String text ? masked(text, mask) : item).toList();
            default -> value;
        }));
        return new AuditEntry(entry.kind(), entry.time(), entry.session(), entry.callId(), fields);
    }

    /** A detail cut at {@link #DETAIL_LIMIT} may end with the start of a secret: that start is masked too. */
    private static String masked(String text, SecretMask mask) {
        return text.endsWith(CUT) ? mask.cutAtEnd(text.substring(0, text.length() - CUT.length())) + CUT : mask.apply(text);
    }

    private static String shortDetail(String detail) {
        String first = detail.lines().findFirst().orElse("");
        return first.length() <= DETAIL_LIMIT ? first : first.substring(0, DETAIL_LIMIT) + CUT;
    }

    @Override
    public void close() {
        open.values().forEach(AuditFile::close);
    }
}
