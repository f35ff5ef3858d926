package dev.lathe.app;

import dev.lathe.protocol.api.LatheApi;
import dev.lathe.protocol.api.ProjectStats;
import dev.lathe.protocol.session.Usage;
import dev.lathe.protocol.wire.WireJson;
import dev.lathe.run.console.ExitCode;
import dev.lathe.run.console.OutputFormat;
import dev.lathe.server.LatheServer;
import dev.lathe.term.Money;
import dev.lathe.term.QuotaMeter;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code lathe stats [--dir DIR] [--format json]}: tokens, cost and cache hit ratio of a folder's sessions, in total
 * and per model (decisions §45). Asks the daemon when one runs, else reads the database in this process; never starts
 * a daemon. JSON is the {@code GET /stats} object.
 */
@Command(name = "stats", mixinStandardHelpOptions = true, description = "Tokens, cost and cache efficiency of a project folder's sessions.")
final class StatsCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--dir", paramLabel = "DIR", description = "project folder (default: current folder)")
    Optional<Path> dir = Optional.empty();

    @Option(names = "--format", paramLabel = "text|json", description = "text (default) or json: the GET /stats object")
    OutputFormat format = OutputFormat.text;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        String directory = Folders.project(dir);
        ProjectStats stats;
        try (LatheApi api = Backends.runningOrInProcess(directory)) {
            stats = api.stats(directory);
        } catch (LatheServer.StartupException e) {
            throw new UsageError(e.getMessage());
        }
        if (format == OutputFormat.json) {
            out.println(TerminalOutput.json(WireJson.write(stats)));
        } else if (stats.sessions() == 0) {
            spec.commandLine().getErr().println("lathe: no sessions in " + directory);
        } else {
            text(out, stats);
            autoApproval(out, stats);
        }
        out.flush();
        return ExitCode.FINISHED;
    }

    static void text(PrintWriter out, ProjectStats s) {
        Usage u = s.usage();
        out.println("Project   " + s.directory());
        out.println("Sessions  " + count(s.sessions()) + " · " + count(s.messages()) + " responses · " + count(s.requests()) + " requests");
        out.println("Tokens    input " + count(u.input()) + " · output " + count(u.output()) + " (reasoning " + count(u.reasoning()) + ")"
                + " · cache read " + count(u.cacheRead()) + " · cache write " + count(u.cacheWrite()));
        out.println("Cost      " + total(s));
        out.println("Cache     " + percent(s.cacheHitRatio()) + " of prompt tokens read from the provider's cache");
        if (!s.quota().isEmpty()) out.println("Quota     " + QuotaMeter.line(s.quota(), ZoneId.systemDefault()));
        s.cacheLifecycle().ifPresent(l -> out.println("Pause     " + l.summary() + " · cache.strategy " + l.strategy()));
        if (s.models().isEmpty()) return;
        out.println();
        String row = "%-40s %9s %12s %10s %12s %12s %7s %10s%n";
        out.printf(row, "MODEL", "RESPONSES", "INPUT", "OUTPUT", "CACHE READ", "CACHE WRITE", "HIT", "COST");
        for (ProjectStats.ModelStats m : s.models()) {
            Usage mu = m.usage();
            out.printf(row, m.model(), count(m.messages()), count(mu.input()), count(mu.output()), count(mu.cacheRead()), count(mu.cacheWrite()),
                    percent(m.cacheHitRatio()), m.notBilled() ? Money.NOT_BILLED : Money.cost(m.cost(), mu));
        }
    }

    /**
     * Auto-approval's classifier apart (DESIGN §31): its decisions, tokens and cost as the server summed them from the
     * folder's audit entries ({@code autoApproval} of {@code GET /stats}); already inside the totals above, so this line
     * says how much of them was the classifier's. Nothing when it decided nothing here.
     */
    private static void autoApproval(PrintWriter out, ProjectStats s) {
        s.autoApproval().ifPresent(a -> out.println("Auto      " + count(a.decisions()) + " classifier decisions · " + count(a.tokens()) + " tokens · "
                + Money.dollars(a.cost()) + " (auto-approval, included above)"));
    }

    /**
     * The folder's cost: tokens imported from another harness are no "$0.0000" and no "price unknown" (issue 71); beside
     * what Lathe billed they are named after it.
     */
    private static String total(ProjectStats s) {
        if (!s.partlyNotBilled()) return Money.cost(s.cost(), s.usage());
        boolean onlyImported = s.models().stream().allMatch(m -> m.notBilled() || m.usage().total() == 0);
        return onlyImported ? Money.NOT_BILLED : (s.cost() == 0 ? Money.PRICE_UNKNOWN : Money.dollars(s.cost())) + " + " + Money.NOT_BILLED;
    }

    private static String count(long n) { return String.format(Locale.ROOT, "%,d", n); }

    static String percent(double ratio) { return String.format(Locale.ROOT, "%.1f%%", ratio * 100); }
}
