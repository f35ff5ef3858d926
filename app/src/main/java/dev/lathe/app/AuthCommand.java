package dev.lathe.app;

import dev.lathe.run.console.ExitCode;
import dev.lathe.server.local.LocalCommands;
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
 * history and process listings would keep it. {@code list} shows where each provider's key or sign-in comes from,
 * never a secret; {@code logout} says which of the two it forgot.
 * {@code openai} and {@code github-copilot} can sign in with the user's subscription instead ({@code --method},
 * {@code --device}; asked on a terminal): ChatGPT Plus/Pro, GitHub Copilot (decision 121).
 */
@Command(name = "auth", mixinStandardHelpOptions = true, description = "Manage provider keys and subscription sign-ins: login, logout, list.")
final class AuthCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ACTION", description = "login, logout or list")
    String action;

    @Parameters(index = "1", arity = "0..1", paramLabel = "PROVIDER")
    Optional<String> provider;

    @picocli.CommandLine.Option(names = "--method", paramLabel = "METHOD",
            description = "login: subscription (chatgpt for openai, github for github-copilot) or api-key; asked on a terminal when not given")
    Optional<String> method;

    @picocli.CommandLine.Option(names = "--device", description = "login with a subscription: a device code to enter on another machine, no browser here")
    boolean device;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        LocalCommands.Keys store = LocalCommands.of(System.getenv()).keys();
        switch (action) {
            case "login" -> {
                if (provider.isEmpty()) return usage(err, "lathe auth login PROVIDER");
                if (!store.inCatalog(provider.get())) err.println("note: '" + provider.get() + "' is not in the catalog; configure it in lathe.json");
                Optional<String> plan = store.plan(provider.get());
                if (provider.get().equals("anthropic")) {
                    // decision 121: Anthropic's terms allow Claude subscription tokens only in Claude Code
                    err.println("note: a Claude Pro/Max plan cannot sign in here (Anthropic allows its tokens only in Claude Code); to use"
                            + " Claude under your plan, run Claude Code as an ACP agent (the \"acp\" provider, docs/editors.md). An API key:");
                }
                Optional<Boolean> subscription;
                try {
                    subscription = useSubscription(plan, err);
                } catch (IllegalArgumentException e) {
                    return usage(err, e.getMessage());
                }
                if (subscription.orElse(false)) {
                    try {
                        store.signIn(java.nio.file.Path.of("").toAbsolutePath(), provider.get(), device, TerminalOutput.errStream());
                    } catch (LocalCommands.Failure e) {
                        err.println("lathe: " + e.getMessage());
                        return ExitCode.MODEL_ERROR; // 1: the sign-in failed
                    }
                    err.println("signed in to " + plan.get() + "; the tokens are in " + store.file() + " (renewed when they expire)");
                    return ExitCode.FINISHED;
                }
                Optional<String> key = readKey(err, provider.get());
                if (key.isEmpty()) {
                    // piped with nothing on stdin: a script that meant the subscription is told the flag for it
                    return usage(err, "no key given (type it, or pipe it to standard input)" + plan.map(p -> "; to sign in with " + p
                            + " instead: lathe auth login " + provider.get() + " --method " + (provider.get().equals("openai") ? "chatgpt" : "github")
                            + " (--device for a code)").orElse(""));
                }
                store.save(provider.get(), key.get());
                err.println("saved the key for " + provider.get() + " in " + store.file());
            }
            case "logout" -> {
                if (provider.isEmpty()) return usage(err, "lathe auth logout PROVIDER");
                Optional<LocalCommands.Removed> removed = store.remove(provider.get());
                if (removed.isEmpty()) {
                    err.println("lathe: no saved key or sign-in for " + provider.get());
                    return ExitCode.USAGE;
                }
                // decision 121: the tokens are forgotten here, not revoked at OpenAI or GitHub
                err.println("removed " + removed.get().what() + " for " + provider.get() + " from " + store.file()
                        + (removed.get().signIn() ? " (forgotten here; the sign-in is not revoked at the provider)" : ""));
            }
            case "list" -> {
                List<LocalCommands.KeySource> sources = store.sources();
                for (LocalCommands.KeySource source : sources) out.println(source.provider() + "\t" + source.where());
                out.flush();
                // on stderr: a script reading the provider lines still sees none
                if (sources.isEmpty()) {
                    err.println("no provider keys or sign-ins: none saved with lathe auth login PROVIDER, and no key variable (e.g. ANTHROPIC_API_KEY) is set");
                }
            }
            default -> {
                return usage(err, "unknown action '" + action + "': use login, logout or list");
            }
        }
        return ExitCode.FINISHED;
    }

    /**
     * Whether to sign in with {@code plan} rather than save a key: {@code --method}, else the user's choice on a
     * terminal, else (piped, a script) a key. Empty when the provider has no plan.
     */
    private Optional<Boolean> useSubscription(Optional<String> plan, PrintWriter err) {
        if (plan.isEmpty()) {
            if (method.isPresent() && !method.get().equals("api-key")) throw new IllegalArgumentException(provider.get() + " signs in with an API key only (--method api-key)");
            return Optional.empty();
        }
        if (method.isPresent()) {
            return switch (method.get()) {
                case "api-key" -> Optional.of(false);
                case "chatgpt", "github", "subscription", "oauth" -> Optional.of(true);
                default -> throw new IllegalArgumentException("unknown --method '" + method.get() + "': use " + (provider.get().equals("openai") ? "chatgpt" : "github") + " or api-key");
            };
        }
        if (device) return Optional.of(true);
        Console console = System.console();
        if (console == null || !console.isTerminal()) return Optional.of(false);
        err.println("Sign in to " + provider.get() + " with:");
        err.println("  1) " + plan.get() + (provider.get().equals("openai") ? " (your subscription; a browser, or --device for a code)" : " (your subscription; a code to enter at GitHub)"));
        err.println("  2) an API key");
        err.flush();
        String answer = Optional.ofNullable(console.readLine("Choose 1 or 2 [1]: ")).orElse("").strip();
        return Optional.of(!answer.equals("2"));
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
