package dev.lathe.app;

import dev.lathe.protocol.api.ApiRoute;
import dev.lathe.protocol.wire.WireJson;
import dev.lathe.run.console.ExitCode;
import java.net.URI;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

/**
 * {@code lathe user add NAME [--admin] | list | remove NAME | token NAME}: a team server's accounts (DESIGN §20
 * "Users"), through the node of this machine (its server.json token is the local admin) or {@code --attach URL} with an
 * admin's token in {@code LATHE_SERVER_TOKEN}. {@code add} and {@code token} print the token once, on stdout alone, so
 * {@code TOKEN=$(lathe user add ann)} keeps it; the server stores only a hash of it.
 */
@Command(name = "user", mixinStandardHelpOptions = true, description = "A team server's users: add, list, remove, token (lathe serve --store).",
        subcommands = {UserCommand.Add.class, UserCommand.ListUsers.class, UserCommand.Remove.class, UserCommand.Token.class})
final class UserCommand implements Callable<Integer> {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneId.systemDefault());

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCode.USAGE;
    }

    /** The server to ask: {@code --attach URL}, else this machine's node. */
    static class Target {
        @Option(names = "--attach", paramLabel = "URL", description = "that team node (token in LATHE_SERVER_TOKEN) instead of this machine's")
        Optional<URI> attach = Optional.empty();
    }

    static int with(Target target, CommandSpec spec, Function<TeamClient, Integer> action) {
        try {
            return action.apply(TeamClient.of(target.attach));
        } catch (TeamClient.Refused e) {
            spec.commandLine().getErr().println("lathe: " + e.getMessage());
            return e.status == 0 || e.status >= 500 ? ExitCode.MODEL_ERROR : ExitCode.USAGE;
        }
    }

    private static String json(String s) {
        return WireJson.write(s);
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Add a user and print their token (shown this once).")
    static final class Add implements Callable<Integer> {
        @Spec CommandSpec spec;
        @picocli.CommandLine.Mixin Target target = new Target();
        @Parameters(paramLabel = "NAME", description = "lower-case letters, digits, '.', '_' or '-'") String name;
        @Option(names = "--admin", description = "may change every session and manage users") boolean admin;

        @Override
        public Integer call() {
            return with(target, spec, team -> {
                JsonNode issued = team.callWith("{\"name\": " + json(name) + ", \"admin\": " + admin + "}", ApiRoute.USER_ADD);
                spec.commandLine().getOut().println(issued.get("token").asString());
                spec.commandLine().getOut().flush();
                spec.commandLine().getErr().println("lathe: added " + (admin ? "admin " : "user ") + name
                        + "; the token above is shown only now (they use it as LATHE_SERVER_TOKEN with lathe attach URL)");
                return ExitCode.FINISHED;
            });
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "The users of the team server.")
    static final class ListUsers implements Callable<Integer> {
        @Spec CommandSpec spec;
        @picocli.CommandLine.Mixin Target target = new Target();

        @Override
        public Integer call() {
            return with(target, spec, team -> {
                var out = spec.commandLine().getOut();
                out.printf("%-24s %-6s %s%n", "NAME", "ADMIN", "ADDED");
                for (JsonNode u : team.call(ApiRoute.USERS)) {
                    out.printf("%-24s %-6s %s%n", u.get("name").asString(), u.get("admin").asBoolean() ? "yes" : "no",
                            WHEN.format(Instant.ofEpochMilli(u.get("createdAt").asLong())));
                }
                out.flush();
                return ExitCode.FINISHED;
            });
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove a user: their token stops working on every node.")
    static final class Remove implements Callable<Integer> {
        @Spec CommandSpec spec;
        @picocli.CommandLine.Mixin Target target = new Target();
        @Parameters(paramLabel = "NAME") String name;

        @Override
        public Integer call() {
            return with(target, spec, team -> {
                team.call(ApiRoute.USER_REMOVE, name);
                spec.commandLine().getErr().println("lathe: removed " + name + " (their sessions keep their name as owner)");
                return ExitCode.FINISHED;
            });
        }
    }

    @Command(name = "token", mixinStandardHelpOptions = true, description = "Give a user a new token (the old one stops working) and print it.")
    static final class Token implements Callable<Integer> {
        @Spec CommandSpec spec;
        @picocli.CommandLine.Mixin Target target = new Target();
        @Parameters(paramLabel = "NAME") String name;

        @Override
        public Integer call() {
            return with(target, spec, team -> {
                JsonNode issued = team.call(ApiRoute.USER_TOKEN, name);
                spec.commandLine().getOut().println(issued.get("token").asString());
                spec.commandLine().getOut().flush();
                spec.commandLine().getErr().println("lathe: " + name + " has a new token, shown only now; the old one no longer works");
                return ExitCode.FINISHED;
            });
        }
    }
}
