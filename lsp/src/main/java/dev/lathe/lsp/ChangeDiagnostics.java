package dev.lathe.lsp;

import dev.lathe.tools.Diagnostics;
import dev.lathe.tools.ToolContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Diagnostics after a call changed files (DESIGN §14, §18): each changed file is shown to its server (opened, or
 * changed with the next version), the diagnostics of that version are awaited until {@link LspSettings#wait} (server
 * start included; when it expires the result says they were not ready), then the errors (and warnings when asked) of
 * the changed files are reported, and the errors that appeared in other files the server has open because of the
 * change (a broken import elsewhere), for at most {@link #MAX_OTHER_FILES} of them. A file no server handles adds
 * nothing, at once. Nothing is thrown: a server that failed is said in the text.
 */
final class ChangeDiagnostics implements Diagnostics {
    static final int MAX_OTHER_FILES = 5;
    /** How long after the last publish other files' publishes (and tsserver's semantic pass) are still awaited. */
    static final long QUIET_MILLIS = 250;
    /**
     * How long a file that was clean is given to publish again, from a server that sends no versions and stays silent
     * while a file stays clean (typescript-language-server): silence until then means still clean.
     */
    static final long CLEAN_GRACE_MILLIS = 1500;
    /** How long a file the call did not change is waited for, when tsserver says its problems changed. */
    static final long OTHER_FILE_MILLIS = 2000;
    /** At most this long is spent on that settling, within the wait. */
    static final long MAX_SETTLE_MILLIS = 1000;

    private final ProjectLanguageServers servers;

    ChangeDiagnostics(ProjectLanguageServers servers) {
        this.servers = servers;
    }

    @Override
    public String report(List<String> changedFiles, ToolContext ctx) {
        Map<ServerRunner, List<Path>> byServer = new LinkedHashMap<>();
        for (String changed : changedFiles) {
            Path file = ctx.folders().project().resolve(changed).toAbsolutePath().normalize();
            servers.runnerFor(file).ifPresent(r -> byServer.computeIfAbsent(r, _ -> new ArrayList<>()).add(file));
        }
        if (byServer.isEmpty()) return "";
        long deadline = System.nanoTime() + servers.settings().diagnosticsWait().toNanos();
        List<String> parts = new ArrayList<>();
        // a cancelled turn ends the wait: what is known by then is said
        Thread caller = Thread.currentThread();
        AutoCloseable onCancel = ctx.call().cancellation().onCancel(caller::interrupt);
        try {
            for (var entry : byServer.entrySet()) parts.addAll(report(entry.getKey(), entry.getValue(), deadline));
        } catch (InterruptedException e) {
            if (!ctx.call().cancellation().isCancelled()) Thread.currentThread().interrupt();
        } finally {
            try {
                onCancel.close();
            } catch (Exception e) {
                // unregistering a callback does not fail
            }
            if (ctx.call().cancellation().isCancelled()) Thread.interrupted(); // our interrupt, not the caller's
        }
        return String.join("\n\n", parts);
    }

    /** What the lsp tool's diagnostics operation says of {@code file}: its errors and warnings, other files left out. */
    List<String> reportAll(ServerRunner runner, Path file, long deadline) throws InterruptedException {
        return report(runner, List.of(file), deadline, true, false);
    }

    private List<String> report(ServerRunner runner, List<Path> files, long deadline) throws InterruptedException {
        return report(runner, files, deadline, servers.settings().warnings(), true);
    }

    /** The blocks and notes for {@code files}, all served by {@code runner}; other files' new errors when {@code others}. */
    private List<String> report(ServerRunner runner, List<Path> files, long deadline, boolean warnings, boolean others)
            throws InterruptedException {
        String name = runner.spec().name();
        return switch (runner.connection(deadline)) {
            case ServerRunner.Ready.NotYet notYet -> files.stream().map(f -> notReady(f, name + " " + notYet.why(), others)).toList();
            case ServerRunner.Ready.Failed failed -> List.of("Diagnostics unavailable for " + String.join(", ", files.stream().map(servers::shown).toList())
                    + ": " + failed.reason());
            case ServerRunner.Ready.Connected connected -> fromServer(connected.connection(), name, files, deadline, warnings, others);
        };
    }

    /** Syncs {@code files} to the running server {@code c}, awaits their diagnostics, and says what there is to say. */
    private List<String> fromServer(ServerConnection c, String name, List<Path> files, long deadline, boolean warnings, boolean others)
            throws InterruptedException {
        PublishedDiagnostics published = servers.published();
        // other files: only errors count, and only new ones (a file broken before the change is not news)
        Map<Path, Set<String>> before = new LinkedHashMap<>();
        if (others) for (Path other : c.documents().keySet()) if (!files.contains(other)) before.put(other, lines(published.latest(other), false));
        List<String> out = new ArrayList<>();
        List<Path> ready = new ArrayList<>();
        boolean versionless = false;
        if (TsserverCheck.offered(c)) {
            // tsserver says how many problems each file has now: wait exactly for the publishes that bring them
            long sentAfter = published.mark();
            for (Path file : files) {
                Optional<ServerConnection.Document> doc = c.sync(file, published::mark);
                if (doc.isEmpty()) continue;
                // a file the server already has as it is now (the lsp tool asking about an unchanged file) gets no new
                // publish: its last one, after the text was sent, is the answer, at once (issue 42)
                boolean sentNow = doc.get().sentAfter() >= sentAfter;
                if (awaitTsserver(c, file, sentNow, sentNow ? sentAfter : doc.get().sentAfter(), deadline)) ready.add(file);
                else out.add(notReady(file, name + " published none yet", others));
            }
            if (!ready.isEmpty()) for (Path other : before.keySet()) awaitTsserver(c, other, false, sentAfter, deadline);
            files = List.of();
        }
        for (Path file : files) {
            Optional<PublishedDiagnostics.Published> previous = published.latest(file);
            Optional<ServerConnection.Document> doc = c.sync(file, published::mark);
            if (doc.isEmpty()) continue; // deleted, or not text: nothing to say
            boolean wasClean = previous.isPresent() && previous.get().version().isEmpty() && previous.get().diagnostics().isEmpty();
            if (wasClean && !published.awaitOrSilence(file, doc.get().sentAfter(),
                    Math.min(deadline, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLEAN_GRACE_MILLIS)))) {
                versionless = true;
                ready.add(file);
                continue;
            }
            var p = published.await(file, doc.get().version(), doc.get().sentAfter(), deadline);
            if (p.isEmpty()) {
                out.add(notReady(file, name + " published none yet", others));
                continue;
            }
            versionless |= p.get().version().isEmpty();
            ready.add(file);
        }
        if (!ready.isEmpty() && (versionless || !before.isEmpty())) {
            published.awaitQuiet(QUIET_MILLIS, Math.min(deadline, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(MAX_SETTLE_MILLIS)));
        }
        for (Path file : ready) {
            List<LspProblem> shown = problems(published.latest(file), warnings);
            if (!shown.isEmpty()) out.add(DiagnosticsReport.block(servers.shown(file), shown));
        }
        int reported = 0;
        for (var entry : before.entrySet()) {
            if (ready.isEmpty() || reported >= MAX_OTHER_FILES) break;
            List<LspProblem> now = problems(published.latest(entry.getKey()), false);
            boolean appeared = now.stream().anyMatch(p -> !entry.getValue().contains(p.format()));
            if (!appeared) continue;
            out.add(DiagnosticsReport.block(servers.shown(entry.getKey()), now));
            reported++;
        }
        return out;
    }

    /**
     * Waits until the latest publish of {@code file} holds as many problems (hints aside) as tsserver counts in it now.
     * A file that was and stays clean is not published again (typescript-language-server skips it): done at once. A
     * file the call did not change ({@code changed} false) whose count is unchanged is taken as it is (its own lines
     * did not move). Otherwise a publish after {@code sentAfter} with that count is awaited. False when it did not
     * come in time.
     */
    private boolean awaitTsserver(ServerConnection c, Path file, boolean changed, long sentAfter, long deadline) throws InterruptedException {
        PublishedDiagnostics published = servers.published();
        Optional<Integer> now = TsserverCheck.problems(c, file, deadline);
        if (now.isEmpty()) return published.await(file, Integer.MAX_VALUE, sentAfter, deadline).isPresent();
        int latest = published.latest(file).map(TsserverCheck::counted).orElse(-1);
        if (latest == now.get() && (now.get() == 0 || !changed)) return true;
        // the server's count and its publish may disagree (a diagnostic it filters): then the first publish after
        // the change is taken, after a bounded wait for the matching one — never the whole wait
        long limit = changed ? deadline : Math.min(deadline, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(OTHER_FILE_MILLIS));
        if (published.await(file, Integer.MAX_VALUE, sentAfter, limit).isEmpty()) return false;
        long matchBy = Math.min(limit, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(MAX_SETTLE_MILLIS));
        published.awaitMatching(file, sentAfter, p -> TsserverCheck.counted(p) == now.get(), matchBy);
        return true;
    }

    /** {@code afterEdit}: said in an edit's result, which the lsp tool's diagnostics operation can follow up; else said by that operation. */
    private String notReady(Path file, String why, boolean afterEdit) {
        return "Diagnostics for " + servers.shown(file) + " were not ready after " + seconds() + " (" + why + "); "
                + (afterEdit ? "the lsp tool's diagnostics operation asks again." : "ask again in a moment.");
    }

    private String seconds() {
        long millis = servers.settings().diagnosticsWait().toMillis();
        return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
    }

    private static List<LspProblem> problems(Optional<PublishedDiagnostics.Published> p, boolean warnings) {
        return p.map(x -> DiagnosticsReport.shown(Problems.of(x.diagnostics()), warnings)).orElse(List.of());
    }

    private static Set<String> lines(Optional<PublishedDiagnostics.Published> p, boolean warnings) {
        Set<String> lines = new HashSet<>();
        problems(p, warnings).forEach(x -> lines.add(x.format()));
        return lines;
    }
}
