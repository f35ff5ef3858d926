package dev.lathe.app;

import dev.lathe.app.release.Installation;
import dev.lathe.app.release.ReleaseChannel;
import dev.lathe.app.release.ReleaseVersion;
import dev.lathe.app.release.UpdateCheck;
import dev.lathe.client.ServerDiscovery;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.Version;
import dev.lathe.protocol.api.LatheApi;
import dev.lathe.run.console.ConsoleClient;
import dev.lathe.run.console.OutputFormat;
import dev.lathe.run.console.ProcessConsole;
import dev.lathe.server.LatheServer;
import dev.lathe.tui.TerminalUi;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code lathe attach [URL] [--session ID] [--dir DIR]}: the console client on a server — the one at {@code URL},
 * or without it the local daemon (started when none runs). Without {@code --session}: the latest session of the
 * folder, else a new one at the first prompt.
 */
@Command(name = "attach", mixinStandardHelpOptions = true,
        description = "Follow and drive a session in the terminal UI (a plain console on a pipe or TERM=dumb).")
final class AttachCommand implements Callable<Integer> {
    @Parameters(arity = "0..1", paramLabel = "URL", description = "the server (default: the local daemon, started if needed)")
    Optional<URI> url = Optional.empty();

    @Option(names = "--session", paramLabel = "ID", description = "the session to attach to (default: the folder's latest, else a new one)")
    Optional<String> session = Optional.empty();

    @Option(names = "--dir", paramLabel = "DIR", description = "project folder (default: current folder; on a remote server, its path there)")
    Optional<Path> dir = Optional.empty();

    @Option(names = "--process", paramLabel = "ID", description = "a background command of the session (bg_N, /ps lists them): "
            + "follow its output and type into it")
    Optional<String> process = Optional.empty();

    @Override
    public Integer call() throws InterruptedException {
        String directory = url.isPresent() && dir.isPresent() ? dir.get().toString() : Folders.project(dir);
        if (url.isPresent() && !Path.of(directory).isAbsolute()) throw new UsageError("--dir must be an absolute path on the server: " + directory);
        if (url.isEmpty() && dir.isEmpty() && session.isPresent()) directory = folderOf(new SessionId(session.get()), directory);
        if (process.isPresent()) return process(directory);
        return console(url, session.map(SessionId::new), directory);
    }

    /** {@code --process ID}: the terminal onto one background command of the session (else the folder's latest). */
    private int process(String directory) throws InterruptedException {
        var connected = url.isPresent() ? Backends.remote(url.get(), directory) : Backends.startedDaemon(directory, TerminalOutput.errStream());
        try (var api = connected.api()) {
            SessionId id = session.map(SessionId::new).orElseGet(() -> api.sessions(directory).stream().findFirst()
                    .orElseThrow(() -> new UsageError("no session in " + directory + ": name one with --session")).id());
            var console = new ProcessConsole(api.processes(), id, process.get());
            return console.run(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)),
                    TerminalOutput.answer(OutputFormat.text), TerminalOutput.errStream());
        }
    }

    /**
     * The folder the UI follows for {@code lathe attach --session ID} run elsewhere: the session's own, whose events it
     * must see and whose asks it lists (a worktree's session resumed from the repository, as {@code lathe --worktree}'s
     * exit hint says to do). A folder that is gone (its worktree removed) is not one to open: the UI stays in {@code here}
     * and follows the session's own events (Ui#attach) while its next message makes the worktree again.
     */
    private static String folderOf(SessionId id, String here) {
        try (var api = Backends.startedDaemon(here, TerminalOutput.errStream()).api()) {
            var s = api.session(id);
            return java.nio.file.Files.isDirectory(Path.of(s.directory())) ? s.directory() : here;
        } catch (RuntimeException e) {
            // an unknown id or a server that cannot answer: the UI itself says so, in the folder it was started in
            return here;
        }
    }

    /**
     * The terminal UI — or on a pipe or {@code TERM=dumb}, the plain console client — on the server at {@code url}
     * (else the local daemon) in {@code directory}; shared with bare {@code lathe}.
     */
    static int console(Optional<URI> url, Optional<SessionId> session, String directory) throws InterruptedException {
        return console(url, session, directory, new TerminalUi.Start(session, TerminalUi.Attach.LATEST, Optional.empty(), Optional.empty(),
                Optional.empty()));
    }

    /** The terminal UI's once-a-day "new version" line (decision 450); never asked for by lathe run. */
    private static Optional<String> newVersionNotice(LatheApi api, String directory, Path state) {
        var check = new UpdateCheck(Installation.current(), ReleaseVersion.parse(Version.current()), UpdateCheck.stateFile(state), Backends.env());
        return check.notice(() -> api.config(directory).json(), ReleaseChannel.of(Backends.env()), java.time.Instant.now());
    }

    /** {@link #console} starting as {@code start} says (bare {@code lathe}'s model, agent, prompt and session). */
    static int console(Optional<URI> url, Optional<SessionId> session, String directory, TerminalUi.Start start) throws InterruptedException {
        boolean chosenAhead = start.model().isPresent() || start.agent().isPresent() || start.prompt().isPresent()
                || start.attach() == TerminalUi.Attach.NEW || start.attach() == TerminalUi.Attach.NEW_IN_WORKTREE;
        if (chosenAhead && !TerminalUi.supported(System.getenv())) {
            // the plain console takes its prompts from its input; a script wants lathe run (checked before a daemon starts)
            throw new UsageError("--model, --agent and a PROMPT need the terminal UI; without a terminal (a pipe, TERM=dumb) use"
                    + " lathe run [--model M] [--agent A] [--continue] PROMPT");
        }
        var connected = url.isPresent() ? Backends.remote(url.get(), directory) : Backends.startedDaemon(directory, TerminalOutput.errStream());
        // a damaged database the daemon moved aside at its start is said once, above the terminal UI (it stays in scrollback)
        if (url.isEmpty()) {
            var err = TerminalOutput.errStream();
            LatheServer.takeStorageNotices(Backends.env()).forEach(n -> err.println("lathe: warning: " + n));
        }
        OpenCodeNotice.print(TerminalOutput.errStream(), java.nio.file.Path.of(directory));
        try (var api = connected.api()) {
            if (TerminalUi.supported(System.getenv())) {
                try {
                    Path state = ServerDiscovery.defaultPath(Backends.env(), Backends.home()).getParent();
                    return TerminalUi.run(Backends.connection(connected), new TerminalUi.Options(directory, session, state.resolve("history.jsonl"),
                            System.getenv(), Backends.link(url, directory), start, () -> newVersionNotice(api, directory, state)));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException("cannot use the terminal: " + e.getMessage(), e);
                }
            }
            var console = System.console();
            // the line-by-line client on a terminal (TERM=dumb) shows controls as lathe run does; on a pipe the data stays exact
            var out = TerminalOutput.answer(OutputFormat.text);
            var client = new ConsoleClient(api, directory, connected.url().toString(), out, TerminalOutput.errStream(),
                    console != null && console.isTerminal() ? ConsoleClient.Reading.TERMINAL : ConsoleClient.Reading.PIPE);
            CtrlC.onInterrupt(client::interrupt);
            return client.run(session, new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)));
        }
    }
}
