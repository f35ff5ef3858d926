package dev.lathe.app;

import dev.lathe.protocol.api.HookInfo;
import dev.lathe.protocol.api.HookListing;
import dev.lathe.protocol.api.TrustInfo;
import dev.lathe.run.console.ExitCode;
import dev.lathe.server.local.LocalCommands;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code lathe hooks [--dir DIR]}: the hooks that fire in a folder (DESIGN §14), a stable format for scripts: one line
 * per hook, {@code EVENT<TAB>MATCHER<TAB>TYPE<TAB>HANDLER<TAB>SOURCE} ({@code *} for a matcher that matches
 * everything), in configuration order; then, on stderr, one line per file of an untrusted folder whose hooks are
 * skipped, as {@code lathe run} says it (DESIGN §18). The running daemon answers when one runs ({@code GET /hooks}, its
 * configuration being what its sessions use), which it never starts; otherwise the files are read here.
 */
@Command(name = "hooks", mixinStandardHelpOptions = true, description = {"The folder's hooks, one per line:", "EVENT<TAB>MATCHER<TAB>TYPE<TAB>HANDLER<TAB>SOURCE.",
        "An untrusted folder's skipped hooks are named on stderr."})
final class HooksCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--dir", paramLabel = "DIR", description = "the folder (default: current folder)")
    Path dir = Path.of("");

    private final Map<String, String> env;
    private final McpCommand.Daemon daemon;

    HooksCommand() {
        this(System.getenv());
    }

    HooksCommand(Map<String, String> env) {
        this(env, McpCommand.Daemon.of(env));
    }

    /** With {@code daemon} as the running server (tests: a core in the test's process). */
    HooksCommand(Map<String, String> env, McpCommand.Daemon daemon) {
        this.env = env;
        this.daemon = daemon;
    }


    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            HookListing listing = live(err).orElseGet(() -> LocalCommands.of(env).hooks(dir));
            if (!listing.hooks().isEmpty()) ColumnHeads.print(out, "EVENT", "MATCHER", "TYPE", "HANDLER", "SOURCE");
            for (String line : lines(listing.hooks())) out.println(line);
            out.flush();
            // stdout stays a listing scripts can read; the person at the terminal is told why it is empty
            if (listing.hooks().isEmpty() && listing.skipped().isEmpty()) err.println("lathe: no hooks in effect in " + dir.toAbsolutePath().normalize());
            for (TrustInfo.Skipped s : listing.skipped()) err.println("lathe: " + s.warning());
            if (!listing.skipped().isEmpty()) withheld(err);
        } catch (LocalCommands.Failure e) {
            err.println("lathe: " + e.getMessage());
            err.flush();
            return ExitCode.USAGE;
        }
        err.flush();
        return ExitCode.FINISHED;
    }

    /**
     * The hooks the folder defines that do not run (untrusted, or added or changed since it was trusted), each with what
     * it would run, as {@code lathe trust --show} lists them: the configured hooks are never hidden.
     */
    private void withheld(PrintWriter err) {
        try {
            for (TrustInfo.Item i : LocalCommands.of(env).trust().review(dir)) {
                if (i.kind().equals("hooks") && !i.status().equals("approved")) err.println("lathe:   withheld: " + i.line());
            }
        } catch (LocalCommands.Failure e) {
            // the warning above said what is skipped; a config that does not load is reported where it is used
        }
    }

    /** The lines of {@code hooks}: five tab-separated fields each, tabs and line breaks inside a field made spaces. */
    static List<String> lines(List<HookInfo> hooks) {
        return hooks.stream().map(h -> String.join("\t", field(h.event()), h.matcher().isBlank() ? "*" : field(h.matcher()), field(h.type()),
                field(h.handler()), field(h.source()))).toList();
    }

    private static String field(String s) {
        return s.strip().replaceAll("[\\t\\r\\n]+", " ");
    }

    /** The running server's listing; empty when none runs or it does not answer (then a note on {@code err}). */
    private Optional<HookListing> live(PrintWriter err) {
        return daemon.ask(dir, server -> server.hooks(dir.toAbsolutePath().normalize().toString()), "list its hooks",
                "reading the configuration here", err);
    }
}
