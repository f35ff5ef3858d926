package dev.lathe.server.http;

import dev.lathe.core.audit.ProjectAuditLog.IgnoredEnvironment;
import dev.lathe.protocol.api.ApiRoute;
import dev.lathe.protocol.api.ClientEnvironment;
import dev.lathe.protocol.api.LatheApi;
import dev.lathe.server.users.User;
import java.util.List;
import java.util.Optional;

/**
 * Whose {@link ClientEnvironment} a request may carry (DESIGN §26, §18 "Unattended work"), and the one place the
 * {@link ClientEnvironment#HEADER} header is read. What it carries becomes a session's configuration: {@code
 * LATHE_CONFIG_CONTENT} and {@code LATHE_CONFIG} are the always-trusted user layer, whose hooks, MCP servers and
 * commands run on this host outside any sandbox, besides keys and the network mode. So it is honoured only from the
 * node's own OS user (the holder of {@code server.json}'s token, or a web login made from it) and only on the routes
 * the table declares as reading it ({@link ApiRoute.Environment#READ}). A team account's is ignored: its request goes
 * on under the node's own configuration, and the refusal is recorded in the audit log with the account's name and the
 * variable names (never their values).
 */
public final class ClientEnvironments {
    private static final System.Logger LOG = System.getLogger(ClientEnvironments.class.getName());

    /** Where an ignored client environment is recorded (the audit log of the folder it was meant for). */
    @FunctionalInterface
    public interface Refusals {
        /** Records nothing: servers without an audit log (tests of the HTTP layer alone). */
        Refusals NONE = ignored -> { };

        void ignored(IgnoredEnvironment ignored);
    }

    private final Refusals refusals;

    ClientEnvironments(Refusals refusals) {
        this.refusals = refusals;
    }

    /** {@code api} as {@code call}'s client sees it: with the environment honoured for it, the server's own without one. */
    static LatheApi view(LatheApi api, Call call) {
        return call.environment().equals(ClientEnvironment.NONE) ? api : api.withEnvironment(call.environment());
    }

    /**
     * The environment {@code call}'s sessions use on {@code route}: its header's when the route reads one and the caller
     * is the node's own user; {@link ClientEnvironment#NONE} otherwise (a team account's header is recorded as ignored).
     *
     * @throws dev.lathe.protocol.api.LatheException.InvalidInput when the node's own user sends a malformed header
     */
    ClientEnvironment of(ApiRoute route, Optional<User> caller, Call call) {
        Optional<String> header = call.header(ClientEnvironment.HEADER);
        if (header.isEmpty() || route.environment() != ApiRoute.Environment.READ || caller.isEmpty()) return ClientEnvironment.NONE;
        User user = caller.get();
        if (!user.account()) return ClientEnvironment.decode(header.get());
        List<String> names;
        try {
            names = List.copyOf(ClientEnvironment.decode(header.get()).variables().keySet());
        } catch (RuntimeException e) {
            names = List.of("(malformed)");
        }
        Optional<String> session = route.template().contains("{id}") && route.template().startsWith("/sessions/")
                ? Optional.of(call.param("id")) : Optional.empty();
        LOG.log(System.Logger.Level.WARNING, "ignored the client environment {0} that {1} sent on {2}: only the node''s own user sets a "
                + "session''s config and keys", names, user.name(), route.name());
        refusals.ignored(new IgnoredEnvironment(user.name(), route.method() + " " + route.template(), call.directory(), session, names));
        return ClientEnvironment.NONE;
    }
}
