package dev.lathe.app;

import dev.lathe.app.release.Installation;
import dev.lathe.protocol.RawJson;
import dev.lathe.protocol.Version;
import dev.lathe.run.console.ExitCode;
import dev.lathe.run.console.OutputFormat;
import dev.lathe.server.local.LocalCommands;
import dev.lathe.term.VisibleControls;
import dev.lathe.tui.UiConfigCheck;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code lathe doctor [--dir DIR] [--format text|json]} (DESIGN §3): says this copy's version and how it was installed
 * (a release archive by install.sh, npm, a checkout, a bare jar: decision 450), checks Java, git, ripgrep, bubblewrap, each
 * configuration file and the merged configuration, the sandbox's state for the folder, the default model, the
 * providers with a key, the running server (its version against this build's) and the database (a damaged one moved aside), one line each — {@code ok}, {@code warn} or {@code fail}, and a fix when not ok. No server is started and
 * nothing is sent over the network. Exit 0 when no check fails, 1 when one does. JSON: one object per check per line,
 * {@code {check, status, detail, fix?}}.
 */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = "Check Java, git, ripgrep, bubblewrap, the configuration files, the sandbox, the model, providers and the server.")
final class DoctorCommand implements Callable<Integer> {
    /** A failed check exits 1, like a failed {@code lathe audit --verify}. */
    private static final int FAILED = 1;

    @Spec CommandSpec spec;

    @Option(names = "--dir", description = "project folder whose configuration and sandbox to check (default: current folder)")
    Optional<Path> dir;

    @Option(names = "--format", defaultValue = "text", paramLabel = "text|json", description = "text or json (one object per check per line)")
    OutputFormat format;

    @Option(names = "--store", paramLabel = "URL", description = {"also check this team-server store:",
            "postgresql://USER:PASSWORD@HOST:PORT/DATABASE", "(default: LATHE_STORE, the config's \"store\")"})
    Optional<String> store = Optional.empty();

    private final Map<String, String> env;
    private final Installation installation;

    DoctorCommand() {
        this(System.getenv(), Installation.current());
    }

    /** With the configuration and folders {@code env} names (a test's own XDG folders). */
    DoctorCommand(Map<String, String> env) {
        this(env, Installation.current());
    }

    /** With {@code env}'s folders, as if this copy were {@code installation} (a test's release install). */
    DoctorCommand(Map<String, String> env, Installation installation) {
        this.env = Map.copyOf(env);
        this.installation = installation;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        var checks = new java.util.ArrayList<LocalCommands.Check>();
        // first: which copy is answering, and how it was installed (how lathe upgrade will update it)
        checks.add(new LocalCommands.Check("lathe", LocalCommands.CheckStatus.OK, Version.current() + ", " + installation.describe(), Optional.empty()));
        LocalCommands local = LocalCommands.of(DbCommand.withStore(env, store));
        Path project = Path.of(Folders.project(dir));
        checks.addAll(local.doctor(project));
        local.telemetryNotice().ifPresent(n -> checks.add(new LocalCommands.Check("telemetry", LocalCommands.CheckStatus.WARN, n, Optional.empty())));
        // beside the configuration's own check: what only the terminal UI reads, as it would say at its start
        local.configJson(project).ifPresent(config -> {
            var ui = terminalUi(UiConfigCheck.problems(new RawJson(config), project.toString(), env));
            int after = checks.stream().map(LocalCommands.Check::name).toList().lastIndexOf("config");
            checks.add(after < 0 ? checks.size() : after + 1, ui);
        });
        var json = JsonMapper.builder().build();
        // the name column is as wide as the longest name ("provider anthropic", "config file"), so the details line up
        int nameWidth = Math.max(1, checks.stream().mapToInt(c -> c.name().length()).max().orElse(1));
        for (LocalCommands.Check c : checks) {
            String status = c.status().name().toLowerCase(Locale.ROOT);
            if (format == OutputFormat.json) {
                var line = json.createObjectNode().put("check", c.name()).put("status", status).put("detail", c.detail());
                c.fix().ifPresent(f -> line.put("fix", f));
                out.println(TerminalOutput.json(json.writeValueAsString(line)));
            } else {
                // a detail can quote a project's file (a suggested marketplace's name, a key): its controls made visible
                out.printf("%-4s  %-" + nameWidth + "s  %s%s%n", status, VisibleControls.line(c.name()), VisibleControls.line(c.detail()),
                        c.fix().map(f -> "; fix: " + VisibleControls.line(f)).orElse(""));
            }
        }
        out.flush();
        return checks.stream().anyMatch(c -> c.status() == LocalCommands.CheckStatus.FAIL) ? FAILED : ExitCode.FINISHED;
    }

    /** {@code keybinds} and {@code theme}: the server's schema takes any string there, only the UI knows its actions and roles. */
    private static LocalCommands.Check terminalUi(List<String> problems) {
        if (problems.isEmpty()) return new LocalCommands.Check("terminal ui", LocalCommands.CheckStatus.OK, "keybinds and theme understood", Optional.empty());
        return new LocalCommands.Check("terminal ui", LocalCommands.CheckStatus.WARN, String.join("; ", problems),
                Optional.of("correct the entries named (lathe starts and leaves them out)"));
    }
}
