package dev.lathe.app;

import dev.lathe.app.release.Installation;
import dev.lathe.client.ServerEndpoint;
import dev.lathe.client.ServerDiscovery;
import dev.lathe.app.release.ReleaseChannel;
import dev.lathe.app.release.ReleaseVersion;
import dev.lathe.app.release.ScriptInstall;
import dev.lathe.protocol.Version;
import dev.lathe.run.console.ExitCode;
import dev.lathe.server.local.LocalCommands;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code lathe upgrade [--check] [--version V]} (DESIGN §3, §25, decision 450): the newest release at the download base
 * URL against this copy's version; without {@code --check}, installed the way this copy was — by install.sh into the
 * same prefix (the script this jar carries, so both install alike), while an npm install, a checkout, an archive unpacked
 * by hand and a bare jar are told the command that updates them. Never a downgrade without {@code --version}. A failed
 * install leaves this copy and {@code PREFIX/bin/lathe} as they were (the script's guarantee). Exit 0: up to date,
 * upgraded, or the command to run printed; 1: the check or the install failed; 2: bad usage.
 */
// not mixinStandardHelpOptions: its --version (print Lathe's version) would take the place of this command's own
@Command(name = "upgrade",
        description = "Install the newest release the way this copy was installed (install.sh: the same prefix; npm, a checkout: says the command).")
final class UpgradeCommand implements Callable<Integer> {
    private static final int FAILED = 1;

    @Spec CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Option(names = "--check", description = "only say whether a newer release exists (exit 0 either way)")
    boolean check;

    @Option(names = "--version", paramLabel = "V", description = "install this version, also an older one (default: the newest)")
    Optional<String> version = Optional.empty();

    private final Map<String, String> env;
    private final Path directory;
    private final Installation installation;
    private final String running;

    UpgradeCommand() {
        this(System.getenv(), Path.of("").toAbsolutePath(), Installation.current(), Version.current());
    }

    /**
     * With {@code env}'s base URL and configuration, run in {@code directory} (whose configuration may make it
     * local-only), as if this copy were {@code installation} at version {@code running} (tests).
     */
    UpgradeCommand(Map<String, String> env, Path directory, Installation installation, String running) {
        this.env = Map.copyOf(env);
        this.directory = directory;
        this.installation = installation;
        this.running = running;
    }

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        if (check && version.isPresent()) throw new UsageError("--check compares with the newest release; it takes no --version");
        Optional<ReleaseVersion> wanted = version.map(v -> ReleaseVersion.parse(v).orElseThrow(() -> new UsageError("not a version: '" + v + "' (expected e.g. 0.2.0)")));
        // a checkout and a bare jar are not updated from releases: no network for them
        switch (installation) {
            case Installation.Checkout c -> {
                out.println("this copy runs from the checkout at " + c.root() + ": update it with git -C " + c.root() + " pull (bin/lathe rebuilds on its next run)");
                return ExitCode.FINISHED;
            }
            case Installation.Jar j -> {
                out.println("this copy is a " + j.describe() + ": install a release with install.sh (docs/install.md); lathe upgrade then keeps it current");
                return ExitCode.FINISHED;
            }
            case Installation.Script _, Installation.Unpacked _, Installation.Npm _, Installation.Image _ -> { }
        }
        ReleaseChannel channel;
        try {
            channel = ReleaseChannel.of(env);
        } catch (IllegalArgumentException e) {
            throw new UsageError(e.getMessage());
        }
        // the merged configuration's network mode, as every other connection obeys it (issue 79): not the variable alone
        Optional<String> refused = LocalCommands.of(env).downloadRefusal(directory, channel.base());
        if (refused.isPresent()) return failed(refused.get());
        Optional<ReleaseVersion> current = ReleaseVersion.parse(running);
        ReleaseVersion target;
        if (wanted.isPresent()) {
            target = wanted.get();
        } else {
            try {
                target = channel.newest();
            } catch (IOException e) {
                // a way out, not only the cause (issue 82): the network, a mirror, or a version named and fetched elsewhere
                return failed("cannot tell the newest release: " + e.getMessage() + "; check the network, point "
                        + ReleaseChannel.BASE_VARIABLE + " at a mirror, or name a version you know: lathe upgrade --version X.Y.Z");
            }
        }
        boolean newer = current.isEmpty() || target.newerThan(current.get());
        if (check) {
            out.println(newer ? "new version " + target + " available (this is " + running + "): lathe upgrade"
                    : "lathe " + running + " is up to date (the newest release is " + target + ")");
            return ExitCode.FINISHED;
        }
        if (current.isPresent() && target.compareTo(current.get()) == 0) {
            out.println("lathe " + running + " is " + (wanted.isPresent() ? "the version running" : "up to date") + "; nothing to install");
            return ExitCode.FINISHED;
        }
        // never a downgrade unless the user named the version
        if (!newer && wanted.isEmpty()) {
            out.println("lathe " + running + " is up to date (the newest release is " + target + ")");
            return ExitCode.FINISHED;
        }
        return switch (installation) {
            case Installation.Script s -> install(out, channel, target, s);
            case Installation.Npm _ -> {
                out.println("lathe " + target + " is available; this copy is the npm package: npm install -g lathe-agent@" + target);
                yield ExitCode.FINISHED;
            }
            case Installation.Image _ -> {
                out.println("lathe " + target + " is available; this copy runs in the team-server image: pull the image tagged " + target
                        + " and recreate the container with it (its data in /data stays; docs/team-server.md)");
                yield ExitCode.FINISHED;
            }
            case Installation.Unpacked u -> {
                out.println("lathe " + target + " is available; this copy was unpacked by hand at " + u.home()
                        + ": install it with install.sh (sh install.sh --version " + target + " --prefix DIR) or unpack its archive the same way");
                yield ExitCode.FINISHED;
            }
            case Installation.Checkout _, Installation.Jar _ -> throw new IllegalStateException("handled above");
        };
    }

    private int install(PrintWriter out, ReleaseChannel channel, ReleaseVersion target, Installation.Script script) throws InterruptedException {
        ScriptInstall.Outcome outcome;
        try {
            outcome = ScriptInstall.run(channel, target, script.prefix());
        } catch (IOException e) {
            return failed("cannot run the install script: " + e.getMessage());
        }
        if (!outcome.installed()) {
            return failed("upgrade to " + target + " failed: " + outcome.line() + "; lathe " + running + " stays installed");
        }
        out.println(outcome.line());
        runningServer().filter(server -> !server.version().equals(target.text())).ifPresent(server -> out.println("the background server (pid "
                + server.pid() + ") still runs lathe " + server.version() + ": lathe stop, and the next lathe starts " + target));
        return ExitCode.FINISHED;
    }

    /**
     * The background server of this user, if one answers: it keeps running the version it started with until it is
     * stopped, so the user is told rather than left on old code (issue 82).
     */
    private Optional<ServerEndpoint> runningServer() {
        Path home = Path.of(env.getOrDefault("HOME", System.getProperty("user.home")));
        return ServerDiscovery.find(ServerDiscovery.defaultPath(env, home));
    }

    private int failed(String line) {
        spec.commandLine().getErr().println("lathe: " + line);
        return FAILED;
    }
}
