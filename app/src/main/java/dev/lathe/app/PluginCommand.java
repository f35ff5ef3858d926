package dev.lathe.app;

import dev.lathe.run.console.ExitCode;
import dev.lathe.server.local.LocalCommands;
import dev.lathe.term.VisibleControls;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code lathe plugin install|add|list|update|remove|marketplace}: Claude Code plugin folders installed in the data
 * folder, loaded in every project (DESIGN §14, §33). {@code install} takes {@code NAME@MARKETPLACE} from an added
 * marketplace, {@code add} a folder (copied) or a git URL (cloned); both pin what the plugin launches and write
 * {@code lathe-plugins.lock}, and {@code update} is the only way a lock entry moves. A broken plugin is refused with its
 * file, line and key. Works on the files, without a server: a running server loads an added plugin's commands and skills
 * at once and its agents and MCP servers when the project is next read.
 */
@Command(name = "plugin", mixinStandardHelpOptions = true, description = "Claude Code plugins: install, add, list, update, remove; marketplaces.",
        subcommands = {PluginCommand.Install.class, PluginCommand.Add.class, PluginCommand.ListPlugins.class, PluginCommand.Update.class,
                PluginCommand.Remove.class, PluginMarketplaceCommand.class})
final class PluginCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    private final Map<String, String> env;

    PluginCommand() {
        this(System.getenv());
    }

    /** With the folders {@code env} names (tests: fresh ones). */
    PluginCommand(Map<String, String> env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCode.USAGE;
    }

    LocalCommands.Plugins plugins() {
        return LocalCommands.of(env).plugins();
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Install a Claude Code plugin from a folder (copied) or a git URL (cloned).")
    static final class Add implements Callable<Integer> {
        @Spec CommandSpec spec;
        @ParentCommand PluginCommand parent;

        @Parameters(index = "0", paramLabel = "PATH|GIT-URL", description = "the plugin's folder, or a git URL")
        String source;

        @Override
        public Integer call() {
            return run(spec, () -> {
                LocalCommands.PluginRow row = parent.plugins().add(source);
                return said(spec, installed(row) + " in " + row.folder());
            });
        }
    }

    @Command(name = "install", mixinStandardHelpOptions = true,
            description = "Install NAME@MARKETPLACE from an added marketplace (lathe plugin marketplace add), pinned and locked.")
    static final class Install implements Callable<Integer> {
        @Spec CommandSpec spec;
        @ParentCommand PluginCommand parent;

        @Parameters(index = "0", paramLabel = "NAME@MARKETPLACE", description = "the plugin and the marketplace it is in")
        String plugin;

        @Override
        public Integer call() {
            return run(spec, () -> {
                LocalCommands.PluginRow row = parent.plugins().install(plugin);
                return said(spec, installed(row) + " from " + row.origin() + " in " + row.folder());
            });
        }
    }

    @Command(name = "update", mixinStandardHelpOptions = true,
            description = {"Take what the plugin's source holds now, and show what changed (the only way its lock entry moves).",
                    "A plugin from a marketplace fetches the marketplace first; one not in the lock is locked as it is."})
    static final class Update implements Callable<Integer> {
        @Spec CommandSpec spec;
        @ParentCommand PluginCommand parent;

        @Parameters(index = "0", paramLabel = "NAME", description = "the plugin's name, as lathe plugin list shows it")
        String name;

        @Override
        public Integer call() {
            return run(spec, () -> {
                PrintWriter out = spec.commandLine().getOut();
                for (String line : parent.plugins().update(name)) out.println(VisibleControls.line(line));
                out.flush();
                return ExitCode.FINISHED;
            });
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = {"The installed plugins, one per line:",
            "NAME<TAB>VERSION<TAB>PARTS<TAB>ORIGIN<TAB>FOLDER<TAB>PROBLEM (- when it loads)."})
    static final class ListPlugins implements Callable<Integer> {
        @Spec CommandSpec spec;
        @ParentCommand PluginCommand parent;

        @Override
        public Integer call() {
            return run(spec, () -> {
                PrintWriter out = spec.commandLine().getOut();
                for (LocalCommands.PluginRow r : parent.plugins().list()) out.println(fields(r.name(), r.version(), r.parts(), r.origin(),
                        r.folder().toString(), r.problem().map(p -> p.lines().findFirst().orElse("")).orElse("-")));
                out.flush();
                return ExitCode.FINISHED;
            });
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Uninstall the plugin NAME (its folder is deleted).")
    static final class Remove implements Callable<Integer> {
        @Spec CommandSpec spec;
        @ParentCommand PluginCommand parent;

        @Parameters(index = "0", paramLabel = "NAME", description = "the plugin's name, as lathe plugin list shows it")
        String name;

        @Override
        public Integer call() {
            return run(spec, () -> {
                if (parent.plugins().remove(name)) return said(spec, "removed " + name);
                said(spec, "no plugin named " + name + " is installed (lathe plugin list shows them)");
                return ExitCode.USAGE;
            });
        }
    }

    /** {@code installed NAME VERSION (PARTS)}, the version left out when the plugin has none. */
    static String installed(LocalCommands.PluginRow row) {
        return "installed " + row.name() + (row.version().equals("-") ? "" : " " + row.version()) + " (" + row.parts() + ")";
    }

    /** Runs {@code operation}, its failure said on stderr as {@code lathe: MESSAGE} with the usage exit code. */
    static int run(CommandSpec spec, Callable<Integer> operation) {
        try {
            return operation.call();
        } catch (LocalCommands.Failure e) {
            said(spec, e.getMessage());
            return ExitCode.USAGE;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code lathe: TEXT} on stderr, its controls made visible (it can quote a plugin's or marketplace's files). */
    static int said(CommandSpec spec, String text) {
        PrintWriter err = spec.commandLine().getErr();
        err.println("lathe: " + VisibleControls.line(text));
        err.flush();
        return ExitCode.FINISHED;
    }

    /** One tab-separated line, each field made visible on its own: the tabs between them are the format's. */
    static String fields(String... values) {
        return String.join("\t", Arrays.stream(values).map(VisibleControls::line).toList());
    }
}
