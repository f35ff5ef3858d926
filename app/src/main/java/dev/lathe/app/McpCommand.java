package dev.lathe.app;

import dev.lathe.client.HttpLatheClient;
import dev.lathe.client.LatheClientException;
import dev.lathe.client.ServerDiscovery;
import dev.lathe.client.ServerEndpoint;
import dev.lathe.protocol.api.ClientEnvironment;
import dev.lathe.protocol.api.LatheApi;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.api.McpServerInfo;
import dev.lathe.run.console.ExitCode;
import dev.lathe.server.local.LocalCommands;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code lathe mcp list|add|remove|auth} (DESIGN §18): the MCP servers of a folder's configuration, and entries written
 * into the project's {@code .lathe/lathe.json} or the global {@code lathe.json} as {@code claude mcp add} does.
 * {@code add} and {@code remove} work on the files, without a server; a running server picks the change up with the
 * configuration. {@code list} shows each server's state: the running daemon's ({@code GET /mcp}) when one runs, which
 * it never starts, else {@code not running}. After {@code auth} a running
 * daemon restarts the server ({@code POST /mcp/NAME/restart}), so one waiting for the sign-in connects at once.
 */
@Command(name = "mcp", mixinStandardHelpOptions = true, description = "MCP servers: list, add, remove, auth.",
        subcommands = {McpCommand.ListServers.class, McpCommand.Add.class, McpCommand.Remove.class, McpCommand.Auth.class})
final class McpCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    private final Map<String, String> env;
    private final Daemon daemon;

    McpCommand() {
        this(System.getenv());
    }

    /** With the folders {@code env} names (tests: fresh ones), and the daemon {@code env}'s {@code server.json} describes. */
    McpCommand(Map<String, String> env) {
        this(env, Daemon.of(env));
    }

    /** With {@code daemon} as the running server (tests: a core in the test's process). */
    McpCommand(Map<String, String> env, Daemon daemon) {
        this.env = env;
        this.daemon = daemon;
    }

    /** The running server's client for a folder; empty when none runs. Never starts one. */
    @FunctionalInterface
    interface Daemon {
        Optional<LatheApi> running(String directory);

        /** The server this user's {@code env} (HOME, XDG folders) finds running, as a client with that environment. */
        static Daemon of(Map<String, String> env) {
            return directory -> {
                String home = env.get("HOME");
                Path serverJson = ServerDiscovery.defaultPath(env, Path.of(home != null && !home.isBlank() ? home : System.getProperty("user.home")));
                return ServerDiscovery.find(serverJson)
                        .map(d -> HttpLatheClient.connect(d, Optional.of(directory)).withEnvironment(ClientEnvironment.of(env)));
            };
        }

        /**
         * {@code question} put to the server running for {@code dir}; empty when none runs or it does not answer, then a
         * note on {@code err} saying what was not answered ({@code what}) and what is shown instead ({@code instead}).
         */
        default <T> Optional<T> ask(Path dir, java.util.function.Function<LatheApi, T> question, String what, String instead, PrintWriter err) {
            String directory = dir.toAbsolutePath().normalize().toString();
            Optional<LatheApi> api;
            try {
                api = running(directory);
            } catch (RuntimeException e) {
                err.println("lathe: the running server cannot be reached (" + message(e) + "); " + instead);
                return Optional.empty();
            }
            if (api.isEmpty()) return Optional.empty();
            try (LatheApi server = api.get()) {
                return Optional.ofNullable(question.apply(server));
            } catch (RuntimeException e) {
                err.println("lathe: the running server did not " + what + " (" + message(e) + "); " + instead);
                return Optional.empty();
            }
        }

        private static String message(RuntimeException e) {
            return e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
        }
    }


    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCode.USAGE;
    }

    private LocalCommands.McpServers servers() {
        return LocalCommands.of(env).mcp();
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = {"The folder's MCP servers, one per line:",
            "NAME<TAB>TYPE<TAB>STATE<TAB>TARGET<TAB>LAST ERROR.",
            "STATE: the running server's (starting, connected, failed, needs_auth, disabled), else not running; untrusted "
                    + "(run lathe trust) for a server the untrusted folder defines."})
    static final class ListServers implements Callable<Integer> {
        @Spec CommandSpec spec;
        @ParentCommand McpCommand parent;

        @Option(names = "--dir", paramLabel = "DIR", description = "the folder (default: current folder)")
        Path dir = Path.of("");

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            try {
                var rows = parent.servers().list(dir);
                var untrusted = parent.servers().untrusted(dir);
                Optional<List<McpServerInfo>> live = rows.isEmpty() ? Optional.empty() : parent.live(dir, err);
                List<String> lines = McpListing.lines(rows, untrusted, live);
                if (!lines.isEmpty()) ColumnHeads.print(out, "NAME", "TYPE", "STATE", "TARGET", "LAST ERROR");
                for (String line : lines) out.println(line);
            } catch (LocalCommands.Failure e) {
                err.println("lathe: " + e.getMessage());
                err.flush();
                return ExitCode.USAGE;
            }
            out.flush();
            err.flush();
            return ExitCode.FINISHED;
        }
    }

    /**
     * The running server's statuses of the folder's servers; empty when none runs or it does not answer (then a note on
     * {@code err}, and the list says {@code not running}).
     */
    Optional<List<McpServerInfo>> live(Path dir, PrintWriter err) {
        return daemon.ask(dir, server -> server.mcp(dir.toAbsolutePath().normalize().toString()), "say how its MCP servers are",
                "showing the configuration", err);
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Add a server: lathe mcp add NAME -- COMMAND [ARGS...], or lathe mcp add NAME --url URL.")
    static final class Add implements Callable<Integer> {
        @Spec CommandSpec spec;
        @ParentCommand McpCommand parent;

        @Parameters(index = "0", paramLabel = "NAME", description = "the server's name (prefixes its tools: NAME_TOOL)")
        String name;

        @Parameters(index = "1..*", paramLabel = "COMMAND", description = "a local server's command and arguments (after --)")
        List<String> command = new ArrayList<>();

        @Option(names = "--url", paramLabel = "URL", description = "a remote server's URL (Streamable HTTP or SSE)")
        String url;

        @Option(names = {"-e", "--env"}, paramLabel = "KEY=VALUE", description = "an environment variable of a local server")
        Map<String, String> env = new LinkedHashMap<>();

        @Option(names = {"-H", "--header"}, paramLabel = "NAME: VALUE", description = "a header sent to a remote server")
        List<String> headers = new ArrayList<>();

        @Option(names = {"-s", "--scope"}, paramLabel = "SCOPE", description = "project (.lathe/lathe.json, the default) or global")
        String scope = "project";

        @Option(names = "--dir", paramLabel = "DIR", description = "the folder (default: current folder)")
        Path dir = Path.of("");

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            if ((url == null) == command.isEmpty()) {
                err.println("lathe: give either a command (after --) or --url");
                err.flush();
                return ExitCode.USAGE;
            }
            var entry = new StringBuilder("{");
            if (url != null) {
                entry.append("\"type\": \"remote\", \"url\": ").append(json(url)).append(", \"headers\": {");
                for (int i = 0; i < headers.size(); i++) {
                    String h = headers.get(i);
                    int colon = h.indexOf(':');
                    if (colon <= 0) {
                        err.println("lathe: --header " + h + ": expected NAME: VALUE");
                        err.flush();
                        return ExitCode.USAGE;
                    }
                    entry.append(i == 0 ? "" : ", ").append(json(h.substring(0, colon).strip())).append(": ")
                            .append(json(h.substring(colon + 1).strip()));
                }
                entry.append("}");
            } else {
                entry.append("\"type\": \"local\", \"command\": [");
                for (int i = 0; i < command.size(); i++) entry.append(i == 0 ? "" : ", ").append(json(command.get(i)));
                entry.append("], \"env\": {");
                int i = 0;
                for (var e : env.entrySet()) entry.append(i++ == 0 ? "" : ", ").append(json(e.getKey())).append(": ").append(json(e.getValue()));
                entry.append("}");
            }
            entry.append("}");
            try {
                Path file = parent.servers().add(dir, scope(scope), name, entry.toString());
                err.println("lathe: added MCP server " + name + " to " + file);
                if (scope(scope) == LocalCommands.McpScope.PROJECT && !parent.servers().withheld(dir).isEmpty()) {
                    err.println("lathe: this folder is not trusted: its MCP servers run after lathe trust");
                }
            } catch (LocalCommands.Failure e) {
                err.println("lathe: " + e.getMessage());
                err.flush();
                return ExitCode.USAGE;
            }
            err.flush();
            return ExitCode.FINISHED;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove a server's entry.")
    static final class Remove implements Callable<Integer> {
        @Spec CommandSpec spec;
        @ParentCommand McpCommand parent;

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Option(names = {"-s", "--scope"}, paramLabel = "SCOPE", description = "project (the default) or global")
        String scope = "project";

        @Option(names = "--dir", paramLabel = "DIR", description = "the folder (default: current folder)")
        Path dir = Path.of("");

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            try {
                boolean removed = parent.servers().remove(dir, scope(scope), name);
                err.println(removed ? "lathe: removed MCP server " + name
                        : "lathe: no MCP server " + name + " in the " + scope + " configuration");
                err.flush();
                return removed ? ExitCode.FINISHED : ExitCode.USAGE;
            } catch (LocalCommands.Failure e) {
                err.println("lathe: " + e.getMessage());
                err.flush();
                return ExitCode.USAGE;
            }
        }
    }

    @Command(name = "auth", mixinStandardHelpOptions = true,
            description = "Sign in to a remote server (OAuth, in the browser), or out of it with --logout.")
    static final class Auth implements Callable<Integer> {
        @Spec CommandSpec spec;
        @ParentCommand McpCommand parent;

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Option(names = "--logout", description = "revoke and forget the server's tokens")
        boolean logout;

        @Option(names = "--dir", paramLabel = "DIR", description = "the folder (default: current folder)")
        Path dir = Path.of("");

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            try {
                if (logout) {
                    parent.servers().signOut(dir, name);
                    out.println("signed out of " + name);
                } else {
                    // the URL to open goes to stderr, as prompts do; stdout says only the outcome
                    parent.servers().signIn(dir, name, TerminalOutput.errStream());
                    out.println("signed in to " + name);
                    restartInDaemon(parent.env, dir, name).ifPresent(err::println);
                }
                out.flush();
                return ExitCode.FINISHED;
            } catch (LocalCommands.Failure e) {
                err.println("lathe: " + e.getMessage());
                err.flush();
                return ExitCode.USAGE;
            }
        }
    }

    /**
     * After a sign-in: a running daemon restarts server {@code name} of the folder, so one waiting in {@code needs_auth}
     * connects with the new tokens now (without a daemon there is nothing to do: the next one reads them). Answers a
     * note for stderr when the daemon could not; the sign-in itself succeeded either way.
     */
    static Optional<String> restartInDaemon(Map<String, String> env, Path dir, String name) {
        String home = env.get("HOME");
        Path serverJson = ServerDiscovery.defaultPath(env, Path.of(home != null && !home.isBlank() ? home : System.getProperty("user.home")));
        Optional<ServerEndpoint> daemon = ServerDiscovery.find(serverJson);
        if (daemon.isEmpty()) return Optional.empty();
        String folder = dir.toAbsolutePath().normalize().toString();
        try (HttpLatheClient client = HttpLatheClient.connect(daemon.get(), Optional.of(folder))) {
            client.withEnvironment(ClientEnvironment.of(env)).restartMcp(folder, name);
            return Optional.empty();
        } catch (LatheException | LatheClientException e) {
            return Optional.of("lathe: note: the running server did not restart " + name + " (" + e.getMessage()
                    + "); `lathe stop` and start again to use the sign-in there");
        }
    }

    /** {@code project} or {@code global}, any case. */
    private static LocalCommands.McpScope scope(String value) {
        return switch (value.toLowerCase(java.util.Locale.ROOT)) {
            case "project", "local" -> LocalCommands.McpScope.PROJECT;
            case "global", "user" -> LocalCommands.McpScope.GLOBAL;
            default -> throw new LocalCommands.Failure("--scope " + value + ": expected project or global");
        };
    }

    private static String json(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
                    else b.append(c);
                }
            }
        }
        return b.append('"').toString();
    }
}
