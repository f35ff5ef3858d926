package dev.lathe.app;

import dev.lathe.protocol.api.LatheApi;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.session.Session;
import dev.lathe.run.console.ExitCode;
import dev.lathe.run.console.HeadlessRun;
import dev.lathe.run.console.OutputFormat;
import dev.lathe.run.console.ReviewReport;
import dev.lathe.run.console.RunOptions;
import dev.lathe.server.LatheServer;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code lathe review} (DESIGN §18 "Review"): runs the built-in {@code /review} command, as {@code lathe run "/review
 * ..."} would, in a new session of the read-only {@code review} agent (listed like any session), then prints the
 * report it made: text for people, or DESIGN §18's one JSON object. The turn's answer is not printed (the report is);
 * tool lines and the cost line go to stderr as for any run.
 */
@Command(name = "review", description = "Review changes without touching them: uncommitted ones (default), a branch against its base, or one commit.",
        mixinStandardHelpOptions = true)
final class ReviewCommand implements Callable<Integer> {
    /** The built-in agent of reviews: plan's read-only rules and the {@code report_findings} tool. */
    private static final String AGENT = "review";
    /** The built-in's name when a project's own {@code /review} took {@code review} ({@code BuiltinCommands.GIVING_WAY}). */
    private static final String DISPLACED = "lathe:review";

    static final class Scope {
        @Option(names = "--uncommitted", description = "review the uncommitted changes: staged, unstaged and untracked files (the default)")
        boolean uncommitted;

        @Option(names = "--base", paramLabel = "REF", description = "review the current branch against REF: the changes since their merge base")
        Optional<String> base = Optional.empty();

        @Option(names = "--commit", paramLabel = "SHA", description = "review the changes of one commit")
        Optional<String> commit = Optional.empty();
    }

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Scope scope = new Scope();

    @Option(names = "--focus", paramLabel = "TEXT", description = "what to look at most, e.g. \"error handling\"")
    Optional<String> focus = Optional.empty();

    @Option(names = "--format", paramLabel = "text|json", description = "text (default) or json: one object {findings, summary}")
    OutputFormat format = OutputFormat.text;

    @Option(names = "--dir", paramLabel = "DIR", description = "project folder (default: current folder)")
    Optional<Path> dir = Optional.empty();

    @Option(names = "--model", paramLabel = "PROVIDER/MODEL", description = "the model that reviews (default: the config's model)")
    Optional<String> model = Optional.empty();

    @Option(names = "--attach", paramLabel = "URL", description = "use this server instead of the daemon or an in-process one")
    Optional<URI> attach = Optional.empty();

    @Option(names = "--standalone", description = "run in this process, without the background server (the default when CI is set)")
    boolean standalone;

    @Override
    public Integer call() throws Exception {
        if (standalone && attach.isPresent()) {
            TerminalOutput.err().println("lathe: use either --standalone or --attach, not both");
            return ExitCode.USAGE;
        }
        Path directory = dir.orElse(Path.of("")).toAbsolutePath().normalize();
        if (!Files.isDirectory(directory)) {
            TerminalOutput.err().println("lathe: not a folder: " + directory);
            return ExitCode.USAGE;
        }
        Backends.RunBackend backend;
        try {
            backend = attach.isPresent() ? new Backends.RunBackend(Backends.remote(attach.get(), directory.toString()).api(), Backends.RunPlace.DAEMON)
                    : Backends.forRun(directory.toString(), standalone ? Backends.RunPlace.IN_PROCESS : Backends.RunPlace.DAEMON, TerminalOutput.errStream());
        } catch (LatheServer.StartupException e) {
            TerminalOutput.err().println("lathe: " + e.getMessage());
            return ExitCode.USAGE;
        }
        PrintStream err = TerminalOutput.errStream();
        // the answer streamed as the turn goes is not the output: the report printed after it is
        PrintStream discarded = new PrintStream(OutputStream.nullOutputStream());
        try (LatheApi api = backend.api()) {
            // a project's own /review (.claude/commands/review.md) keeps that name; the built-in is then lathe:review
            String command = api.commands(directory.toString()).stream().anyMatch(c -> c.name().equals(DISPLACED)) ? DISPLACED : "review";
            var options = new RunOptions(directory.toString(), "/" + command + " " + String.join(" ", arguments()), Optional.empty(), model,
                    Optional.of(AGENT), Optional.empty(), false, OutputFormat.text, false);
            var run = new HeadlessRun(api, options, discarded, err);
            RunSignals.install(run::interrupt);
            int code = run.run();
            Optional<Session> session = run.started();
            if (session.isEmpty()) return code;
            List<MessageWithParts> history = api.messages(session.get().id());
            if (code == ExitCode.USAGE && history.isEmpty()) {
                // refused before the model was asked (not a repository, an unknown ref): no empty review is left listed
                forget(api, session.get());
                return code;
            }
            Path root = repositoryRoot(Path.of(session.get().directory()));
            Optional<ReviewReport> report = ReviewReport.of(history, root);
            if (report.isEmpty()) {
                if (code != ExitCode.FINISHED) {
                    if (code == ExitCode.PERMISSION_REJECTED) {
                        err.println("lathe: the review stopped: the model tried something the review agent may not do (it changes nothing); no findings were"
                                + " reported");
                    }
                    return code;
                }
                // a model that answered in prose: its words are the summary, and no finding is made up from them
                err.println("lathe: warning: the model reported no structured findings; its answer is the summary");
                report = Optional.of(new ReviewReport(List.of(), ReviewReport.finalText(history).orElse("")));
            }
            print(report.get());
            return ExitCode.FINISHED;
        }
    }

    private void print(ReviewReport report) {
        if (format == OutputFormat.json) {
            TerminalOutput.out().println(TerminalOutput.json(report.json()));
        } else {
            // findings are the model's text (and the diff's): shown through the one sanitiser, controls as pictures
            TerminalOutput.out().println(report.text());
        }
        TerminalOutput.out().flush();
    }

    /** The words of {@code /review} for the options given: the scope first, {@code --focus TEXT} last (it takes the rest). */
    List<String> arguments() {
        List<String> words = new ArrayList<>();
        scope.base.ifPresent(b -> words.addAll(List.of("--base", b)));
        scope.commit.ifPresent(c -> words.addAll(List.of("--commit", c)));
        if (scope.uncommitted) words.add("--uncommitted");
        focus.filter(f -> !f.isBlank()).ifPresent(f -> words.addAll(List.of("--focus", f)));
        return words;
    }

    private static void forget(LatheApi api, Session session) {
        try {
            api.deleteSession(session.id());
        } catch (LatheException e) {
            // it stays listed, empty: nothing else depends on it
        }
    }

    /** The folder holding {@code .git} at or above {@code dir} (the findings' paths are relative to it), else {@code dir}. */
    static Path repositoryRoot(Path dir) {
        for (Path p = dir.toAbsolutePath().normalize(); p != null; p = p.getParent()) if (Files.exists(p.resolve(".git"))) return p;
        return dir;
    }
}
