package dev.lathe.app;

import dev.lathe.protocol.api.TrustInfo;
import dev.lathe.protocol.wire.WireJson;
import dev.lathe.run.console.ExitCode;
import dev.lathe.run.console.OutputFormat;
import dev.lathe.server.local.LocalCommands;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code lathe trust [--dir DIR] [--revoke | --list]} (DESIGN §18): trusts the folder's canonical path, so what it
 * defines that runs code or receives secrets (provider base URLs and headers, {@code !`cmd`} in its commands, ...)
 * takes effect there — also in a daemon serving it already, from its next prompt. {@code --revoke} takes it back;
 * {@code --list} prints one trusted path per line; {@code --show} lists what trust allows, marking what changed since
 * (DESIGN §18 "Trust pins what it approved"). Works on the data folder, without a server.
 */
@Command(name = "trust", mixinStandardHelpOptions = true,
        description = "Trust a folder's own hooks, MCP servers, plugins, tools, commands and provider URLs.")
final class TrustCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    /** {@code --expect}'s refusal: what the folder defines is no longer what the review showed (nothing pinned). */
    static final int CHANGED_SINCE_REVIEW = 1;

    private final java.util.Map<String, String> env;

    TrustCommand() {
        this(System.getenv());
    }

    /** With the folders {@code env} names (tests: fresh ones). */
    TrustCommand(java.util.Map<String, String> env) {
        this.env = env;
    }

    @Option(names = "--dir", paramLabel = "DIR", description = "the folder (default: current folder)")
    Path dir = Path.of("");

    @ArgGroup(exclusive = true)
    Action action = new Action();

    static final class Action {
        @Option(names = "--revoke", description = "take the folder's trust back")
        boolean revoke;

        @Option(names = "--list", description = "print the trusted folders, one per line")
        boolean list;

        @Option(names = "--show", description = "print every hook, MCP server, URL and command trust allows or would allow here, "
                + "one per line, marking what is new or changed since the folder was trusted")
        boolean show;
    }

    @Option(names = "--expect", paramLabel = "DIGEST", description = "pin only if what the folder defines is still what "
            + "lathe trust --show printed this digest for; refuse (pinning nothing) if anything changed since")
    String expect;

    @Option(names = "--format", paramLabel = "text|json", description = "text (default) or json (with --show): one array of items")
    OutputFormat format = OutputFormat.text;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        LocalCommands.TrustList trusted = LocalCommands.of(env).trust();
        if (action.list) {
            trusted.list().forEach(out::println);
            out.flush();
            return ExitCode.FINISHED;
        }
        Path folder = dir.toAbsolutePath().normalize();
        if (!Files.isDirectory(folder)) {
            err.println("lathe: --dir " + dir + " is not a folder");
            return ExitCode.USAGE;
        }
        if (expect != null && (action.show || action.revoke)) {
            err.println("lathe: --expect goes with lathe trust alone (it checks what is about to be pinned)");
            err.flush();
            return ExitCode.USAGE;
        }
        if (action.show) return show(trusted, folder, out, err);
        if (action.revoke) {
            LocalCommands.Revoked r = trusted.revoke(folder);
            err.println(r.listed() ? "lathe: no longer trusted: " + r.folder() : "lathe: " + r.folder() + " was not trusted");
            r.stillTrustedBy().ifPresent(above -> err.println("lathe: it is still trusted through " + above
                    + " (lathe trust --revoke --dir " + above + " takes that back)"));
        } else {
            // what is pinned is exactly what is listed here, read once: a file changed after this listing (or after the
            // --show the digest came from) is not approved by it
            try {
                List<TrustInfo.Item> items = trusted.review(folder);
                String digest = digest(items);
                if (expect != null && !expect.equalsIgnoreCase(digest)) {
                    err.println("lathe: what " + folder + " defines changed since that review (digest " + digest + ", expected " + expect
                            + "): nothing was trusted; run lathe trust --show again");
                    err.flush();
                    return CHANGED_SINCE_REVIEW;
                }
                for (TrustInfo.Item i : items) out.printf("%-8s  %s%n", i.status(), i.line());
                out.flush();
                java.util.Set<String> shown = new java.util.HashSet<>();
                for (TrustInfo.Item i : items) shown.add(i.hash());
                err.println("lathe: trusted " + trusted.trust(folder, shown) + " with the " + items.size() + " item" + (items.size() == 1 ? "" : "s")
                        + " listed (digest " + digest + "); anything changed since is not approved");
            } catch (LocalCommands.Failure e) {
                err.println("lathe: " + e.getMessage());
                err.flush();
                return ExitCode.USAGE;
            }
        }
        err.flush();
        return ExitCode.FINISHED;
    }

    /**
     * A short digest of exactly what a review lists (each item's hash, sorted): what {@code --show} prints and
     * {@code --expect} checks, so the user approves what they read and not what is on disk a moment later.
     */
    static String digest(List<TrustInfo.Item> items) {
        try {
            var sha = java.security.MessageDigest.getInstance("SHA-256");
            items.stream().map(TrustInfo.Item::hash).sorted().forEach(h -> sha.update((h + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            return java.util.HexFormat.of().formatHex(sha.digest()).substring(0, 20);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** {@code --show}: every item, {@code approved}, {@code changed} or {@code new}, then what to do about the rest. */
    private Integer show(LocalCommands.TrustList trusted, Path folder, PrintWriter out, PrintWriter err) {
        List<TrustInfo.Item> items;
        try {
            items = trusted.review(folder);
        } catch (LocalCommands.Failure e) {
            err.println("lathe: " + e.getMessage());
            err.flush();
            return ExitCode.USAGE;
        }
        if (format == OutputFormat.json) {
            out.println(TerminalOutput.json(WireJson.write(items)));
        } else {
            for (TrustInfo.Item i : items) out.printf("%-8s  %s%n", i.status(), i.line());
        }
        out.flush();
        long pending = items.stream().filter(i -> !i.status().equals("approved")).count();
        boolean isTrusted = trusted.trusted(folder);
        if (items.isEmpty()) err.println("lathe: " + folder + " defines nothing that reaches outside the project");
        else if (!isTrusted) err.println("lathe: " + folder + " is not trusted: none of these run (lathe trust allows them)");
        else if (pending > 0) err.println("lathe: " + pending + " new or changed since trust do not run until approved (lathe trust allows them)");
        err.println("lathe: digest " + digest(items) + " (lathe trust --expect " + digest(items) + " pins exactly this list, or nothing if it changed)");
        err.flush();
        return ExitCode.FINISHED;
    }
}
