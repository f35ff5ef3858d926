package dev.lathe.app;

import dev.lathe.server.local.LocalCommands;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code lathe config schema} (DESIGN §18 "Trust by construction"): facts about the configuration itself. */
@Command(name = "config", mixinStandardHelpOptions = true, description = "Print facts about Lathe's configuration.",
        subcommands = ConfigCommand.Schema.class)
final class ConfigCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return 2;
    }

    /**
     * {@code lathe config schema}: the JSON Schema of {@code lathe.json}, each key annotated with what it reaches
     * ({@code x-lathe-reach}) and how a project's value of it is treated ({@code x-lathe-untrusted}, {@code x-lathe-pinned}).
     */
    @Command(name = "schema", mixinStandardHelpOptions = true,
            description = "Print the JSON Schema of lathe.json, each key with what it reaches (x-lathe-reach) and how trust treats a project's value.")
    static final class Schema implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Override
        public Integer call() {
            spec.commandLine().getOut().println(LocalCommands.of(System.getenv()).configSchema());
            spec.commandLine().getOut().flush();
            return 0;
        }
    }
}
