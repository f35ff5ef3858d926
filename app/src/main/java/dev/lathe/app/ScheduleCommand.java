package dev.lathe.app;

import dev.lathe.protocol.api.LatheApi;
import dev.lathe.protocol.api.ScheduleInfo;
import dev.lathe.protocol.api.ScheduleRequest;
import dev.lathe.protocol.wire.WireJson;
import dev.lathe.run.console.ExitCode;
import dev.lathe.run.console.OutputFormat;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code lathe schedule add --cron EXPR [--dir DIR | --repo URL] MESSAGE}, {@code list [--format json]},
 * {@code remove ID} (DESIGN §18 "Schedules"): cron schedules the user's server (the daemon, started when none runs, or
 * the team server of {@code --attach URL}) runs as sessions. A refusal (a bad cron field, an unknown zone, another
 * user's schedule) is the server's message, exit 2.
 */
@Command(name = "schedule", mixinStandardHelpOptions = true, description = "Cron schedules that run a prompt as a session: add, list, remove.",
        subcommands = {ScheduleCommand.Add.class, ScheduleCommand.ListSchedules.class, ScheduleCommand.Remove.class})
final class ScheduleCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCode.USAGE;
    }

    /** Runs {@code action} against the team server at {@code attach}, or the daemon (started when none runs). */
    static int with(Optional<URI> attach, String directory, Function<LatheApi, Integer> action) {
        var connected = attach.isPresent() ? Backends.remote(attach.get(), directory) : Backends.startedDaemon(directory, TerminalOutput.errStream());
        try (LatheApi api = connected.api()) {
            return action.apply(api);
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Add a schedule; prints its id.")
    static final class Add implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Option(names = "--cron", required = true, paramLabel = "EXPR",
                description = "five fields: minute hour day-of-month month day-of-week (e.g. '0 3 * * 1-5'), or @daily, @hourly, …")
        String cron;

        @Option(names = "--dir", paramLabel = "DIR", description = "the project folder its runs work in (default: current folder)")
        Optional<Path> dir = Optional.empty();

        @Option(names = "--repo", paramLabel = "GIT_URL", description = "instead of --dir: a repository a team server's node clones for each run")
        Optional<String> repo = Optional.empty();

        @Option(names = "--tz", paramLabel = "ZONE", description = "the time zone the cron fields are read in (default: this machine's, e.g. Europe/Paris)")
        Optional<String> zone = Optional.empty();

        @Option(names = "--attach", paramLabel = "URL", description = "the team server to keep it on (default: this machine's daemon)")
        Optional<URI> attach = Optional.empty();

        @Parameters(arity = "1..*", paramLabel = "MESSAGE")
        List<String> message;

        @Override
        public Integer call() {
            if (dir.isPresent() && repo.isPresent()) throw new UsageError("give --dir or --repo, not both");
            String directory = Folders.project(dir);
            var request = new ScheduleRequest(cron, Optional.of(zone.orElse(ZoneId.systemDefault().getId())),
                    repo.isPresent() ? Optional.empty() : Optional.of(directory), repo, String.join(" ", message));
            return with(attach, directory, api -> {
                ScheduleInfo made = api.addSchedule(request);
                PrintWriter out = spec.commandLine().getOut();
                out.println(made.id());
                out.flush();
                made.nextRunAt().ifPresent(next -> spec.commandLine().getErr().println("lathe: next run " + when(next, made.zone())));
                return ExitCode.FINISHED;
            });
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Your schedules, with their last and next run.")
    static final class ListSchedules implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Option(names = "--format", paramLabel = "text|json", description = "text (default) or json: one array of schedule objects")
        OutputFormat format = OutputFormat.text;

        @Option(names = "--attach", paramLabel = "URL", description = "the team server (default: this machine's daemon)")
        Optional<URI> attach = Optional.empty();

        @Override
        public Integer call() {
            return with(attach, Folders.project(Optional.empty()), api -> {
                PrintWriter out = spec.commandLine().getOut();
                List<ScheduleInfo> all = api.schedules();
                if (format == OutputFormat.json) {
                    out.println(TerminalOutput.json(WireJson.write(all)));
                } else if (all.isEmpty()) {
                    spec.commandLine().getErr().println("lathe: no schedules (lathe schedule add --cron EXPR MESSAGE adds one)");
                } else {
                    out.printf("%-30s %-16s %-20s %-30s %s%n", "ID", "CRON", "NEXT", "LAST SESSION", "WHERE: MESSAGE");
                    for (ScheduleInfo s : all) {
                        String message = s.message().strip().lines().findFirst().orElse("");
                        out.printf("%-30s %-16s %-20s %-30s %s: %s%n", s.id(), s.cron(), s.nextRunAt().map(n -> when(n, s.zone())).orElse("-"),
                                s.lastSessionId().orElse("-"), s.directory().or(s::repo).orElse(""), message.length() > 60 ? message.substring(0, 60) + "…" : message);
                    }
                }
                out.flush();
                return ExitCode.FINISHED;
            });
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove a schedule (a run it started goes on).")
    static final class Remove implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Option(names = "--attach", paramLabel = "URL", description = "the team server (default: this machine's daemon)")
        Optional<URI> attach = Optional.empty();

        @Parameters(paramLabel = "ID")
        String id;

        @Override
        public Integer call() {
            return with(attach, Folders.project(Optional.empty()), api -> {
                api.removeSchedule(id);
                spec.commandLine().getOut().println("removed schedule " + id);
                spec.commandLine().getOut().flush();
                return ExitCode.FINISHED;
            });
        }
    }

    /**
     * {@code at} in the schedule's zone, to the minute: {@code 2026-11-28 03:00 Europe/Paris}, the zone named unless it
     * is this machine's own (a time in another zone without its name reads as a local one).
     */
    static String when(long at, String zone, ZoneId here) {
        ZoneId of = ZoneId.of(zone);
        var local = Instant.ofEpochMilli(at).atZone(of);
        return String.format("%tF %tR", local, local) + (of.normalized().equals(here.normalized()) ? "" : " " + zone);
    }

    private static String when(long at, String zone) {
        return when(at, zone, ZoneId.systemDefault());
    }
}
