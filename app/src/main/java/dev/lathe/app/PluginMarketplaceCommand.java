package dev.lathe.app;

import dev.lathe.run.console.ExitCode;
import dev.lathe.server.local.LocalCommands;
import dev.lathe.term.VisibleControls;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code lathe plugin marketplace add|list|remove|update}: Claude Code marketplaces ({@code .claude-plugin/marketplace.json},
 * read unchanged) the user's plugins are installed from (DESIGN §33). An administrator's {@code strictKnownMarketplaces}
 * and {@code blockedMarketplaces} decide which may be added.
 */
@Command(name = "marketplace", mixinStandardHelpOptions = true, description = "Claude Code plugin marketplaces: add, list, remove, update.",
        subcommands = {PluginMarketplaceCommand.Add.class, PluginMarketplaceCommand.ListMarketplaces.class, PluginMarketplaceCommand.Remove.class,
                PluginMarketplaceCommand.Update.class})
final class PluginMarketplaceCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @ParentCommand PluginCommand parent;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCode.USAGE;
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Add a marketplace: a git URL (#REF after it pins a branch or tag), a GitHub owner/repo, or a local folder.")
    static final class Add implements Callable<Integer> {
        @Spec CommandSpec spec;
        @ParentCommand PluginMarketplaceCommand parent;

        @Parameters(index = "0", paramLabel = "SOURCE", description = "git URL, owner/repo, or folder")
        String source;

        @Option(names = "--ref", paramLabel = "REF", description = "the branch or tag to follow (a folder given a ref is cloned at it)")
        String ref;

        @Override
        public Integer call() {
            return PluginCommand.run(spec, () -> {
                var row = parent.parent.plugins().addMarketplace(source, Optional.ofNullable(ref));
                return PluginCommand.said(spec, "added the marketplace " + row.name() + " at " + row.commit() + " with " + row.plugins().size()
                        + (row.plugins().size() == 1 ? " plugin" : " plugins") + "; lathe plugin install NAME@" + row.name() + " installs one");
            });
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = {"The added marketplaces, one per line:", "NAME<TAB>SOURCE<TAB>COMMIT<TAB>PLUGINS<TAB>PROBLEM (- when it reads)."})
    static final class ListMarketplaces implements Callable<Integer> {
        @Spec CommandSpec spec;
        @ParentCommand PluginMarketplaceCommand parent;

        @Override
        public Integer call() {
            return PluginCommand.run(spec, () -> {
                PrintWriter out = spec.commandLine().getOut();
                for (LocalCommands.MarketplaceRow r : parent.parent.plugins().marketplaces()) {
                    out.println(PluginCommand.fields(r.name(), r.source(), r.commit(), r.plugins().isEmpty() ? "-" : String.join(",", r.plugins()),
                            r.problem().map(p -> p.lines().findFirst().orElse("")).orElse("-")));
                }
                out.flush();
                return ExitCode.FINISHED;
            });
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove the marketplace NAME (the plugins installed from it stay).")
    static final class Remove implements Callable<Integer> {
        @Spec CommandSpec spec;
        @ParentCommand PluginMarketplaceCommand parent;

        @Parameters(index = "0", paramLabel = "NAME") String name;

        @Override
        public Integer call() {
            return PluginCommand.run(spec, () -> {
                if (parent.parent.plugins().removeMarketplace(name)) return PluginCommand.said(spec, "removed the marketplace " + name);
                PluginCommand.said(spec, "no marketplace named " + name + " is added (lathe plugin marketplace list shows them)");
                return ExitCode.USAGE;
            });
        }
    }

    @Command(name = "update", mixinStandardHelpOptions = true,
            description = "Fetch the marketplace NAME again; its installed plugins move only with lathe plugin update.")
    static final class Update implements Callable<Integer> {
        @Spec CommandSpec spec;
        @ParentCommand PluginMarketplaceCommand parent;

        @Parameters(index = "0", paramLabel = "NAME") String name;

        @Override
        public Integer call() {
            return PluginCommand.run(spec, () -> {
                PrintWriter out = spec.commandLine().getOut();
                List<String> lines = parent.parent.plugins().updateMarketplace(name);
                for (String line : lines) out.println(VisibleControls.line(line));
                out.flush();
                return ExitCode.FINISHED;
            });
        }
    }
}
