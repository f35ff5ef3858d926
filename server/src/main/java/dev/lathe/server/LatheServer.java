package dev.lathe.server;

import dev.lathe.core.LatheCore;
import dev.lathe.core.cluster.Cluster;
import dev.lathe.core.cluster.TeamNode;
import dev.lathe.core.config.Config;
import dev.lathe.core.config.ConfigException;
import dev.lathe.core.config.ConfigLoader;
import dev.lathe.core.config.LathePaths;
import dev.lathe.core.store.StoreException;
import dev.lathe.core.store.StoreSetting;
import dev.lathe.core.store.sqlite.DamagedDatabase;
import dev.lathe.core.store.sqlite.Db;
import dev.lathe.protocol.Version;
import dev.lathe.protocol.api.LatheApi;
import dev.lathe.server.daemon.DataDirLock;
import dev.lathe.server.daemon.DataDirLockedException;
import dev.lathe.server.daemon.HeapTrim;
import dev.lathe.server.daemon.IdleWatch;
import dev.lathe.server.daemon.NodeId;
import dev.lathe.server.daemon.ServerInfo;
import dev.lathe.server.daemon.ServerInfoFile;
import dev.lathe.server.daemon.TermSignal;
import dev.lathe.server.http.BearerToken;
import dev.lathe.server.http.HttpApiServer;
import dev.lathe.server.http.ServerOptions;
import dev.lathe.server.users.Users;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/** Composition root of the server: explicit wiring, no container. */
public final class LatheServer {
    private LatheServer() {}

    /**
     * What {@code lathe serve} was asked for. {@code idleTimeout} overrides the config's {@code server.idleTimeoutMinutes}
     * (zero: never); without it a daemon uses the config and a foreground server never exits on its own.
     */
    /** {@code publicUrl}: the address a TLS reverse proxy serves this server at (accepted in Host and Origin). */
    /** {@code store}: {@code --store}, the team server's store URL (DESIGN §20); empty: {@code LATHE_STORE}, the config, SQLite. */
    /** {@code lease}: how long this node's session leases last unrenewed on a team server ({@code --lease-seconds}). */
    /** {@code maxSessions}: how many sessions a team node runs at once at most ({@code --max-sessions}; 0: no bound). */
    public record ServeOptions(String host, Optional<Integer> port, Mode mode, Exposure exposure, Optional<Duration> idleTimeout,
            Optional<java.net.URI> publicUrl, Optional<String> store, Duration lease, int maxSessions) {
        public ServeOptions(String host, Optional<Integer> port, Mode mode, Exposure exposure, Optional<Duration> idleTimeout,
                Optional<java.net.URI> publicUrl, Optional<String> store, Duration lease) {
            this(host, port, mode, exposure, idleTimeout, publicUrl, store, lease, 0);
        }

        public ServeOptions(String host, Optional<Integer> port, Mode mode, Exposure exposure, Optional<Duration> idleTimeout,
                Optional<java.net.URI> publicUrl, Optional<String> store) {
            this(host, port, mode, exposure, idleTimeout, publicUrl, store, TeamNode.DEFAULT_LEASE);
        }

        public ServeOptions(String host, Optional<Integer> port, Mode mode, Exposure exposure, Optional<Duration> idleTimeout) {
            this(host, port, mode, exposure, idleTimeout, Optional.empty(), Optional.empty());
        }

        public ServeOptions(String host, Optional<Integer> port, Mode mode, Exposure exposure, Optional<Duration> idleTimeout,
                Optional<java.net.URI> publicUrl) {
            this(host, port, mode, exposure, idleTimeout, publicUrl, Optional.empty());
        }

        /** Hides the store URL, which may hold a password. */
        @Override public String toString() {
            return "ServeOptions[host=" + host + ", port=" + port + ", mode=" + mode + ", exposure=" + exposure + ", idleTimeout=" + idleTimeout
                    + ", publicUrl=" + publicUrl + ", store=" + store.map(s -> "(set)") + ", lease=" + lease + "]";
        }
    }

    /** A foreground {@code lathe serve}, or the per-user daemon clients start ({@code --daemon}). */
    public enum Mode { FOREGROUND, DAEMON }

    /** Whether a non-loopback address may be bound ({@code --allow-remote}). */
    public enum Exposure { LOOPBACK_ONLY, ALLOW_REMOTE }

    /** Why {@link Running#awaitShutdown} returned. */
    public enum StopReason { STOPPED, IDLE, DRAINED }

    /** The server could not start (bad config, data folder locked, refused address); the message says why. */
    public static final class StartupException extends RuntimeException {
        public StartupException(String message) {
            super(message);
        }
    }

    /**
     * Starts, on a daemon thread, the one-time set-up that opening the in-process core ({@link #embedded}) would
     * otherwise pay on the calling thread: SQLite's native library and date format ({@code Db.warmUp}).
     */
    public static void warmUpEmbedded() {
        Db.warmUp();
    }

    /**
     * What a client starting now must tell its user once, about the storage: a damaged database moved aside for a fresh
     * one (both paths named) by this process or by the server. Each notice is returned once, then forgotten; the moved
     * file itself stays, and {@code lathe doctor} keeps naming it.
     */
    public static java.util.List<String> takeStorageNotices(Map<String, String> env) {
        return DamagedDatabase.takeNotices(LathePaths.fromEnvironment(env).database());
    }

    /** The core in this process, with no port: {@code lathe run} without a daemon. Closing it closes the core. */
    public static LatheApi embedded(Map<String, String> env) {
        LathePaths paths = LathePaths.fromEnvironment(env);
        try {
            return LatheCore.open(paths, env, ConfigLoader.standard(paths, env)).api();
        } catch (StoreException e) {
            throw new StartupException(e.getMessage());
        }
    }

    /**
     * This server's node id when {@code lathe serve} with these options runs as a team node (a store named by
     * {@code --store}, {@code LATHE_STORE} or the global config, DESIGN §20); empty for the embedded default. Known before
     * the server starts, so that its log can name the node from the first line. A config or store setting that does not
     * resolve gives empty here: {@link #serve} then fails with the reason.
     */
    public static Optional<String> teamNode(Map<String, String> env, Optional<String> store) {
        LathePaths paths = LathePaths.fromEnvironment(env);
        Optional<String> configured;
        try {
            configured = ConfigLoader.standard(paths, env).load(paths.config()).store();
        } catch (RuntimeException e) {
            configured = Optional.empty();
        }
        try {
            if (StoreSetting.resolve(store, env, configured).isEmpty()) return Optional.empty();
        } catch (StoreException e) {
            return Optional.empty();
        }
        return Optional.of(NodeId.in(paths.state()));
    }

    /**
     * Starts {@code lathe serve}: lock the data folder (first, so a second server fails fast), check the config, open
     * the core, listen, write server.json.
     */
    public static Running serve(Map<String, String> env, ServeOptions options) {
        LathePaths paths = LathePaths.fromEnvironment(env);
        boolean remote = !isLoopback(options.host());
        if (remote && options.exposure() != Exposure.ALLOW_REMOTE) {
            throw new StartupException("refusing to listen on " + options.host() + ": pass --allow-remote to serve beyond this machine "
                    + "(the token is always required; prefer an SSH tunnel or a TLS reverse proxy)");
        }
        DataDirLock lock;
        try {
            lock = DataDirLock.acquire(paths.data());
        } catch (DataDirLockedException e) {
            throw new StartupException(e.getMessage() + "; `lathe stop` stops the daemon");
        }
        LatheCore core = null;
        HttpApiServer http = null;
        try {
            ConfigLoader loader = ConfigLoader.standard(paths, env);
            var global = checkConfig(loader, paths);
            Duration idle = options.idleTimeout().orElse(options.mode() == Mode.DAEMON
                    ? Duration.ofMinutes(Math.max(0, global.idleTimeoutMinutes())) : Duration.ZERO);
            var store = StoreSetting.resolve(options.store(), env, global.store());
            String node = NodeId.in(paths.state());
            core = LatheCore.open(paths, env, loader, store, new TeamNode(node, options.lease(), options.maxSessions()));
            var serverOptions = ServerOptions.of(BearerToken.generate(), Version.current())
                    .withNode(node, StoreSetting.kind(store))
                    .withHost(options.host())
                    .withPort(options.port().or(global::serverPort).orElse(0))
                    .withMaxBodyBytes(global.serverLimits().maxBodyBytes())
                    .withLimits(limits(global.serverLimits()));
            if (options.exposure() == Exposure.ALLOW_REMOTE) serverOptions = serverOptions.withAllowedHost(options.host());
            if (options.publicUrl().isPresent()) serverOptions = serverOptions.withPublicUrl(options.publicUrl().get());
            // accounts exist on a team server only: without --store the one user holds server.json's token (DESIGN §20)
            Optional<Users> users = core.users() == Cluster.Users.ACCOUNTS
                    ? Optional.of(new Users(core.accounts(), java.time.Clock.systemUTC())) : Optional.empty();
            // a team account's client environment is ignored (DESIGN §26); the audit log of the folder it was for says whose
            http = HttpApiServer.start(core.api(), serverOptions, Optional.of(paths.state().resolve("web-logins")), users, core.audit()::ignoredEnvironment);
            var info = ServerInfoFile.write(paths.serverInfo(), ServerInfo.of(http.url().toString(), serverOptions.token(), Version.current(),
                    loader.managedPolicy()));
            boolean team = core.users() == Cluster.Users.ACCOUNTS;
            return new Running(core, http, info, lock, idle, remote, team);
        } catch (RuntimeException e) {
            if (http != null) http.close();
            if (core != null) core.close();
            lock.close();
            throw e instanceof StartupException ? e : new StartupException(e.getMessage());
        }
    }

    /** The config's {@code server.*} limits as the HTTP server takes them (read once, when the server starts). */
    static ServerOptions.Limits limits(Config.ServerLimits c) {
        return new ServerOptions.Limits(c.maxHeaderBytes(), Duration.ofSeconds(c.headerReadTimeoutSeconds()),
                Duration.ofSeconds(c.bodyReadTimeoutSeconds()), c.maxEventStreams(), c.maxEventStreamsPerToken(), c.eventBufferBytes());
    }

    /**
     * What a server's start checks first, without starting one: the global configuration layers load. A client whose
     * daemon would not start says this reason alone, not a fallback note before it (issue 53).
     *
     * @throws StartupException naming the file, line and key
     */
    public static void checkGlobalConfig(Map<String, String> env) {
        LathePaths paths = LathePaths.fromEnvironment(env);
        checkConfig(ConfigLoader.standard(paths, env), paths);
    }

    private static Config checkConfig(ConfigLoader loader, LathePaths paths) {
        try {
            // the global layers (no project): a broken global or managed config must stop the server from starting
            return loader.load(paths.config());
        } catch (ConfigException e) {
            throw new StartupException(e.getMessage());
        }
    }

    private static boolean isLoopback(String host) {
        if (host.equals("localhost")) return true;
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** A running {@code lathe serve}; {@link #close} stops listening, removes server.json and releases the lock. */
    public static final class Running implements AutoCloseable {
        private final LatheCore core;
        private final HttpApiServer http;
        private final ServerInfoFile info;
        private final DataDirLock lock;
        private final Duration idleTimeout;
        private final boolean remote;
        private final CountDownLatch stopped = new CountDownLatch(1);
        private final Optional<IdleWatch> idleWatch;
        private final HeapTrim heapTrim;
        private volatile StopReason reason = StopReason.STOPPED;
        private boolean closed;

        Running(LatheCore core, HttpApiServer http, ServerInfoFile info, DataDirLock lock, Duration idleTimeout, boolean remote, boolean team) {
            this.core = core;
            this.http = http;
            this.info = info;
            this.lock = lock;
            this.idleTimeout = idleTimeout;
            this.remote = remote;
            Runtime.getRuntime().addShutdownHook(new Thread(this::close, "lathe-shutdown"));
            // a client is an open /events stream; a session counts while its turn runs (waiting on an ask included); a
            // daemon that keeps schedules is what runs them, so it stays (DESIGN §18 "Schedules")
            this.idleWatch = idleTimeout.isPositive()
                    ? Optional.of(IdleWatch.start(idleTimeout, () -> http.openEventStreams() > 0 || core.api().busy() || !core.api().schedules().isEmpty(),
                            this::stopIdle))
                    : Optional.empty();
            this.heapTrim = HeapTrim.start(() -> core.api().busy());
            // a drain (SIGTERM, POST /admin/drain) ends with the server: it exits 0 once its sessions are let go (DESIGN §34)
            core.drained().thenRun(this::stopDrained);
            // a team node drains on SIGTERM (Kubernetes, systemd, a rolling update); the per-user daemon stops as
            // `lathe stop` says, its turns interrupted (there is no other node to take them)
            if (team) TermSignal.onTerminate(this::drainOnSignal);
        }

        /** SIGTERM: the drain starts, or goes on as started (a second SIGTERM); a drain that cannot start stops the server. */
        private void drainOnSignal() {
            try {
                var started = core.api().drain();
                System.getLogger(LatheServer.class.getName()).log(System.Logger.Level.INFO, "SIGTERM: draining ({0} s for {1} running turns)",
                        started.seconds(), started.running());
            } catch (RuntimeException e) {
                System.getLogger(LatheServer.class.getName()).log(System.Logger.Level.WARNING, "SIGTERM: cannot drain, stopping: " + e.getMessage());
                stopped.countDown();
            }
        }

        private void stopDrained() {
            reason = StopReason.DRAINED;
            stopped.countDown();
        }

        private void stopIdle() {
            reason = StopReason.IDLE;
            stopped.countDown();
        }

        public String url() { return http.url().toString(); }

        public Path infoFile() { return info.path(); }

        /** How long the server may sit without clients and running sessions before it exits; zero = never. */
        public Duration idleTimeout() { return idleTimeout; }

        /** Bound to an address other machines can reach ({@code --allow-remote}). */
        public boolean isRemote() { return remote; }

        /** Blocks until the process is asked to stop (signal, {@link #close}) or has been idle for {@link #idleTimeout}. */
        public StopReason awaitShutdown() throws InterruptedException {
            stopped.await();
            return reason;
        }

        @Override
        public synchronized void close() {
            if (closed) return;
            closed = true;
            stopped.countDown();
            idleWatch.ifPresent(IdleWatch::close);
            heapTrim.close();
            http.close();
            info.close();
            core.close();
            lock.close();
        }
    }
}
