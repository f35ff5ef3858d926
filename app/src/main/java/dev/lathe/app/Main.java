package dev.lathe.app;

import dev.lathe.protocol.Version;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code lathe}: the command line entry point. */
@Command(name = "lathe", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
        description = "A provider-agnostic coding agent.",
        subcommands = {RunCommand.class, ServeCommand.class, ModelsCommand.class, AuthCommand.class, DebugCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        int code = execute(args);
        System.out.flush();
        System.err.flush();
        // exit at once: waiting for daemon threads blocked in native I/O costs ~300 ms on a one-shot command
        Runtime.getRuntime().halt(code);
    }

    static int execute(String... args) {
        var cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("lathe: " + e.getMessage());
            return ExitCode.MODEL_ERROR;
        });
        cli.setParameterExceptionHandler((e, args1) -> {
            e.getCommandLine().getErr().println("lathe: " + e.getMessage());
            e.getCommandLine().usage(e.getCommandLine().getErr());
            return ExitCode.USAGE;
        });
        return cli.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().getErr().println("The terminal UI is not available yet; use 'lathe run MESSAGE' or 'lathe serve'.");
        spec.commandLine().usage(spec.commandLine().getErr());
    }

    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override public String[] getVersion() { return new String[] {"lathe " + Version.current()}; }
    }
}
