package dev.lathe.app;

import dev.lathe.client.LatheClientException;
import dev.lathe.client.ServerDiscovery;
import dev.lathe.client.ServerEndpoint;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.api.LoginCode;
import java.net.URI;
import java.util.Optional;

/**
 * A one-time web login link of the right server, for {@code lathe web} and {@code lathe pair} (DESIGN §18): of the node
 * named by {@code --attach}; with a user's token ({@code LATHE_SERVER_TOKEN}), of the server running here (never one
 * started for it: a private server started in this HOME would not know the token, and its empty board is not what the
 * user looks for); else of the user's daemon, started when none runs. On a team node the login is the token's user's.
 */
final class LoginLinks {
    private LoginLinks() {}

    /**
     * {@code command}: how the user started this ({@code lathe web}), named in the errors.
     *
     * @throws UsageError when the node cannot be reached, refuses the token, or none is named for a user's token
     */
    static LoginCode of(String directory, Optional<URI> attach, int minutes, String command) {
        Optional<String> userToken = Optional.ofNullable(Backends.env().get("LATHE_SERVER_TOKEN")).filter(t -> !t.isBlank());
        if (attach.isEmpty() && userToken.isEmpty()) return Backends.startedDaemon(directory, TerminalOutput.errStream()).api().loginCode(minutes);
        URI node = attach.orElseGet(() -> ServerDiscovery.find(ServerDiscovery.defaultPath(Backends.env(), Backends.home()))
                .map(ServerEndpoint::uri).orElseThrow(() -> new UsageError("LATHE_SERVER_TOKEN is set but no Lathe server runs here:"
                        + " name your team node with `" + command + " --attach URL` (a server of your own started here would not know that token)")));
        String where = attach.isPresent() ? "the team node at " + node : "the Lathe server running here (" + node + ")";
        try (var api = Backends.remote(node, directory).api()) {
            return api.loginCode(minutes);
        } catch (LatheException.Unauthorized e) {
            throw new UsageError(where + " refused the token" + (userToken.isPresent() ? " in LATHE_SERVER_TOKEN" : "")
                    + ": it is unknown there, was replaced or its user removed; ask an admin for a new one (lathe user token NAME)");
        } catch (LatheException e) {
            throw new UsageError(where + " refused a web login: " + e.getMessage());
        } catch (LatheClientException e) {
            throw new UsageError("cannot reach " + where + ": " + e.getMessage().lines().findFirst().orElse("")
                    + "; check the URL and that the node runs (lathe serve --store …)");
        }
    }
}
