package dev.lathe.mcp;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One MCP server a user configured (DESIGN §14, §18): a local one Lathe starts as a child process and talks to over
 * stdio, or a remote one it reaches over Streamable HTTP (legacy SSE as a fallback). Comes from {@code mcp} in
 * {@code lathe.json} or from a trusted folder's {@code .mcp.json}; the name is the {@code NAME} of {@code NAME_TOOL}.
 */
public sealed interface McpServerSpec permits McpServerSpec.Local, McpServerSpec.Remote {

    /** How long a server may take to connect and answer {@code initialize} when the entry gives no {@code timeout}. */
    Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    String name();

    Activation activation();

    /** Bounds the start (spawn or connect, and the handshake) and every request to the server. */
    Duration timeout();

    /** Whether the server is started at all: {@code enabled: false} keeps an entry without running it. */
    enum Activation { ENABLED, DISABLED }

    /**
     * How the server's tools reach the model: one tool each, or through {@code mcp_search} and {@code mcp_execute}
     * ({@code "codeMode": true}, DESIGN §28), their schemas kept out of the request's prefix.
     */
    enum Offer { DIRECT, CODE_MODE }

    /** How the server's tools are offered; {@link Offer#DIRECT} unless config turns Code Mode on. */
    Offer offer();

    /** {@code {type: "local", command: [...], env: {}}}: {@code command.get(0)} is the executable, the rest its arguments. */
    record Local(String name, List<String> command, Map<String, String> env, Activation activation, Duration timeout, Offer offer)
            implements McpServerSpec {
        public Local {
            Objects.requireNonNull(name, "name");
            command = List.copyOf(command);
            if (command.isEmpty()) throw new IllegalArgumentException("command is empty");
            env = Map.copyOf(env);
            Objects.requireNonNull(activation, "activation");
            Objects.requireNonNull(timeout, "timeout");
            Objects.requireNonNull(offer, "offer");
        }

        /** A server whose tools are offered one each. */
        public Local(String name, List<String> command, Map<String, String> env, Activation activation, Duration timeout) {
            this(name, command, env, activation, timeout, Offer.DIRECT);
        }
    }

    /** {@code {type: "remote", url, headers?, oauth?}}; {@code oauth} is the raw OAuth setting, read by the OAuth part. */
    record Remote(String name, URI url, Map<String, String> headers, OAuth oauth, Activation activation, Duration timeout, Offer offer)
            implements McpServerSpec {
        public Remote {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(url, "url");
            headers = Map.copyOf(headers);
            Objects.requireNonNull(oauth, "oauth");
            Objects.requireNonNull(activation, "activation");
            Objects.requireNonNull(timeout, "timeout");
            Objects.requireNonNull(offer, "offer");
        }

        /** A server whose tools are offered one each. */
        public Remote(String name, URI url, Map<String, String> headers, OAuth oauth, Activation activation, Duration timeout) {
            this(name, url, headers, oauth, activation, timeout, Offer.DIRECT);
        }
    }

    /**
     * Whether OAuth may be used for a remote server, and how: {@code oauth: false} is {@link Off}; no {@code oauth}
     * or an object is {@link Automatic} (a 401 leads to {@code needs_auth} and {@code lathe mcp auth NAME}), with the
     * object's optional pre-registered client, scope and client ID metadata document URL.
     */
    sealed interface OAuth permits OAuth.Off, OAuth.Automatic {
        /** OAuth with everything discovered and the client registered dynamically. */
        OAuth AUTOMATIC = new Automatic(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
        /** {@code oauth: false}: never sign in, never send a token (the entry's {@code headers} may carry one). */
        OAuth OFF = new Off();

        /** {@code oauth: false}. */
        record Off() implements OAuth {}

        /** {@code oauth: {clientId?, clientSecret?, scope?, clientMetadataDocument?, issuer?}} or no {@code oauth}. */
        record Automatic(Optional<String> clientId, Optional<String> clientSecret, Optional<String> scope,
                         Optional<URI> clientMetadataDocument, Optional<URI> issuer) implements OAuth {
            public Automatic {
                Objects.requireNonNull(clientId, "clientId");
                Objects.requireNonNull(clientSecret, "clientSecret");
                Objects.requireNonNull(scope, "scope");
                Objects.requireNonNull(clientMetadataDocument, "clientMetadataDocument");
                Objects.requireNonNull(issuer, "issuer");
            }

            /** With no stated issuer. */
            public Automatic(Optional<String> clientId, Optional<String> clientSecret, Optional<String> scope, Optional<URI> clientMetadataDocument) {
                this(clientId, clientSecret, scope, clientMetadataDocument, Optional.empty());
            }

            @Override
            public String toString() {
                return "Automatic[clientId=" + clientId + ", clientSecret=" + (clientSecret.isPresent() ? "<redacted>" : "none")
                        + ", scope=" + scope + ", clientMetadataDocument=" + clientMetadataDocument + ", issuer=" + issuer + "]";
            }
        }
    }
}
