package dev.lathe.protocol.api;

import dev.lathe.protocol.wire.FlatJson;
import dev.lathe.protocol.wire.WireJson;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The part of a client's environment that decides which configuration and keys its sessions use: {@code LATHE_CONFIG},
 * {@code LATHE_CONFIG_CONTENT}, {@code LATHE_NETWORK} (local-only mode for that client's sessions) and every variable whose name says it holds a credential ({@link #travels}: the catalog's
 * key variables such as {@code ANTHROPIC_API_KEY}, {@code HF_TOKEN}, {@code CLARIFAI_PAT}, and a config's own
 * {@code {env:LOCAL_KEY}}). It travels with a client's requests (the {@link #HEADER} header) and replaces, for that
 * client's sessions, the server's own values of those names, a name the client lacks included: {@code lathe} and
 * {@code lathe run} use the shell they were started from, whoever started the daemon. The server holds it in memory
 * only; it is never stored, logged, exported or put in an event, and {@link #toString} shows names, never values.
 *
 * @param variables name to value, only names that {@link #travels}
 */
public record ClientEnvironment(Map<String, String> variables) {
    /** The request header carrying it: base64url (no padding) of a JSON object of strings. */
    public static final String HEADER = "X-Lathe-Environment";

    /** No overlay: the server's own environment applies (a client that sends none, the in-process core). */
    public static final ClientEnvironment NONE = new ClientEnvironment(Map.of());

    /** Local-only mode's variable (decision 120). */
    private static final String NETWORK = "LATHE_NETWORK";

    private static final Pattern CREDENTIAL = Pattern.compile("[A-Z0-9_]*(_API_KEY|_KEY|_TOKEN|_PAT|_KEY_ID)");

    public ClientEnvironment {
        variables = Map.copyOf(new TreeMap<>(variables));
        for (String name : variables.keySet()) {
            if (!travels(name)) throw new IllegalArgumentException("not a variable a client's environment carries: " + name);
        }
    }

    /** Whether {@code name} is one of the variables a client's environment carries (and overrides on the server). */
    public static boolean travels(String name) {
        return name.equals("LATHE_CONFIG") || name.equals("LATHE_CONFIG_CONTENT") || name.equals(NETWORK) || CREDENTIAL.matcher(name).matches();
    }

    /** What of {@code env} (a process environment) travels. */
    public static ClientEnvironment of(Map<String, String> env) {
        var out = new TreeMap<String, String>();
        env.forEach((k, v) -> {
            if (travels(k)) out.put(k, v);
        });
        return new ClientEnvironment(out);
    }

    /**
     * {@code base} as this client sees it: every name that {@link #travels} takes this overlay's value or is absent.
     * {@link #NONE} leaves {@code base} as it is. One exception: {@code LATHE_NETWORK=local} in {@code base} (a daemon
     * started in local-only mode) stays, whatever the client says: local sticks, as it does across config layers, so a
     * client whose shell lacks the variable (or says {@code open}) cannot run its sessions open on such a daemon.
     */
    public Map<String, String> over(Map<String, String> base) {
        if (this.equals(NONE)) return base;
        var out = new java.util.HashMap<String, String>();
        base.forEach((k, v) -> {
            if (!travels(k)) out.put(k, v);
        });
        out.putAll(variables);
        String network = base.get(NETWORK);
        if (network != null && network.strip().equals("local")) out.put(NETWORK, network);
        return Map.copyOf(out);
    }

    /** The header value. */
    public String encode() {
        String json = FlatJson.write(new TreeMap<>(variables));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The overlay a header value carries; names that do not {@link #travels} are dropped.
     *
     * @throws LatheException.InvalidInput when it is not base64url of a JSON object of strings (the message never
     *     echoes the value)
     */
    public static ClientEnvironment decode(String header) {
        try {
            String json = new String(Base64.getUrlDecoder().decode(header.strip()), StandardCharsets.UTF_8);
            var tree = WireJson.mapper().readTree(json);
            if (!tree.isObject()) throw new IllegalArgumentException("not an object");
            var out = new TreeMap<String, String>();
            for (var e : tree.properties()) {
                if (!e.getValue().isString()) throw new IllegalArgumentException("not a string");
                if (travels(e.getKey())) out.put(e.getKey(), e.getValue().asString());
            }
            return new ClientEnvironment(out);
        } catch (RuntimeException e) {
            throw new LatheException.InvalidInput(HEADER + " must be base64url of a JSON object of strings");
        }
    }

    /** Names only: a value is a key or a whole config and must never reach a log. */
    @Override
    public String toString() { return "ClientEnvironment" + variables.keySet(); }
}
