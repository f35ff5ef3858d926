package dev.lathe.server.local;

import dev.lathe.core.config.ConfigLoader;
import dev.lathe.core.config.LathePaths;
import dev.lathe.core.store.StoreException;
import dev.lathe.core.store.StoreSetting;
import dev.lathe.core.store.postgresql.PostgresProbe;
import dev.lathe.server.daemon.NodeId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The team server's store (DESIGN §20) as {@code lathe doctor} and {@code lathe db} see it: the URL {@code LATHE_STORE}
 * or the global config's {@code "store"} names ({@code --store} on those commands sets the former), probed without a
 * change ({@link PostgresProbe}). None named: the SQLite file, and nothing here.
 */
final class StoreCheck {
    private StoreCheck() {}

    /** The store URL in force for the commands, expanded. */
    static Optional<String> url(Map<String, String> env) {
        Optional<String> configured;
        try {
            LathePaths paths = LathePaths.fromEnvironment(env);
            configured = ConfigLoader.standard(paths, env).load(paths.config()).store();
        } catch (RuntimeException e) {
            configured = Optional.empty();  // the config's own line of the doctor says what is wrong with it
        }
        return StoreSetting.resolve(Optional.empty(), env, configured);
    }

    /**
     * {@code lathe doctor}'s store lines, when a store is named: the store (reachable, schema version), and for the node
     * of this machine's state folder, its leases ({@code node}) and its event lag ({@code events}).
     */
    static List<LocalCommands.Check> of(Map<String, String> env) {
        Optional<String> url;
        try {
            url = url(env);
        } catch (StoreException e) {
            return List.of(new LocalCommands.Check("store", LocalCommands.CheckStatus.FAIL, e.getMessage(), Optional.of("set the variable or file it names")));
        }
        if (url.isEmpty()) return List.of();
        Optional<String> node = NodeId.kept(LathePaths.fromEnvironment(env).state());
        PostgresProbe probe;
        try {
            probe = PostgresProbe.of(url.get(), node);
        } catch (StoreException e) {
            return List.of(new LocalCommands.Check("store", LocalCommands.CheckStatus.FAIL, e.getMessage(),
                    Optional.of("check the URL's host, port, database, user and password, and that the server accepts connections from here")));
        }
        List<LocalCommands.Check> out = new ArrayList<>();
        out.add(line(probe));
        if (node.isEmpty()) {
            out.add(ok("node", "no team node has run on this machine's folders yet (no node id in the state folder): nothing of its own to check"));
        }
        probe.node().ifPresent(n -> {
            out.add(NodeCheck.leases(n));
            out.add(NodeCheck.events(n));
        });
        return out;
    }

    private static LocalCommands.Check ok(String name, String detail) {
        return new LocalCommands.Check(name, LocalCommands.CheckStatus.OK, detail, Optional.empty());
    }

    static LocalCommands.Check line(PostgresProbe p) {
        String detail = "PostgreSQL " + p.url().describe() + ", schema " + p.schemaVersion() + " (this Lathe: " + p.bundledVersion() + ")"
                + (p.sessions() >= 0 ? ", " + p.sessions() + " sessions" : ", not set up yet: the first `lathe serve --store` creates the tables");
        if (!p.integrity().problems().isEmpty()) {
            return new LocalCommands.Check("store", LocalCommands.CheckStatus.FAIL, detail + "; " + String.join("; ", p.integrity().problems()),
                    Optional.of("lathe db check says more"));
        }
        if (p.schemaVersion() > p.bundledVersion()) {
            return new LocalCommands.Check("store", LocalCommands.CheckStatus.FAIL, detail + ": written by a newer Lathe", Optional.of("use the newer Lathe"));
        }
        return new LocalCommands.Check("store", LocalCommands.CheckStatus.OK, detail, Optional.empty());
    }
}
