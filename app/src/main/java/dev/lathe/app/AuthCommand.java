package dev.lathe.app;

import dev.lathe.server.local.LocalCommands;
import dev.lathe.tui.console.ExitCode;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code lathe auth login|logout|list [PROVIDER]}: keys kept in {@code <data>/auth.json} (mode 0600). The key is read
 * from the terminal without echo, or from standard input when piped — never from the command line, where shell
 * history and process listings would keep it. {@code list} shows where each provider's key comes from, never the key.
 */
@Command(name = "auth", mixinStandardHelpOptions = true, description = "Manage provider keys: login, logout, list.")
final class AuthCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ACTION", description = "login, logout or list")
    String action;

    @Parameters(index = "1", arity = "0..1", paramLabel = "PROVIDER")
    Optional<String> provider;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        LocalCommands.Keys store = LocalCommands.of(System.getenv()).keys();
        switch (action) {
            case "login" -> {
                if (provider.isEmpty()) return usage(err, "lathe auth login PROVIDER");
                if (!store.inCatalog(provider.get())) err.println("note: '" + provider.get() + "' is not in the catalog; configure it in lathe.json");
                Optional<String> key = readKey(err, provider.get());
                if (key.isEmpty()) return usage(err, "no key given (type it, or pipe it to standard input)");
                store.save(provider.get(), key.get());
                err.println("saved the key for " + provider.get() + " in " + store.file());
            }
            case "logout" -> {
                if (provider.isEmpty()) return usage(err, "lathe auth logout PROVIDER");
                if (!store.remove(provider.get())) {
                    err.println("lathe: no saved key for " + provider.get());
                    return ExitCode.USAGE;
                }
                err.println("removed the key for " + provider.get());
            }
            case "list" -> {
                List<LocalCommands.KeySource> sources = store.sources();
                for (LocalCommands.KeySource source : sources) out.println(source.provider() + "\t" + source.where());
                out.flush();
                // on stderr: a script reading the provider lines still sees none
                if (sources.isEmpty()) {
                    err.println("no provider keys: none saved with lathe auth login PROVIDER, and no key variable (e.g. ANTHROPIC_API_KEY) is set");
                }
            }
            default -> {
                return usage(err, "unknown action '" + action + "': use login, logout or list");
            }
        }
        return ExitCode.FINISHED;
    }

    private static int usage(PrintWriter err, String message) {
        err.println("lathe: " + message);
        return ExitCode.USAGE;
    }

    private static Optional<String> readKey(PrintWriter err, String provider) {
        Console console = System.console();
        if (console != null && console.isTerminal()) {
            char[] typed = console.readPassword("API key for %s: ", provider);
            return Optional.ofNullable(typed).map(String::new).map(String::strip).filter(s -> !s.isEmpty());
        }
        try {
            String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            return Optional.ofNullable(line).map(String::strip).filter(s -> !s.isEmpty());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
