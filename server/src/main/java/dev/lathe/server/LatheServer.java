package dev.lathe.server;

import dev.lathe.core.LatheCore;
import dev.lathe.core.config.ConfigException;
import dev.lathe.core.config.ConfigLoader;
import dev.lathe.core.config.LathePaths;
import dev.lathe.core.store.StoreException;
import dev.lathe.protocol.Version;
import dev.lathe.protocol.api.LatheApi;
import dev.lathe.server.daemon.DataDirLock;
import dev.lathe.server.daemon.DataDirLockedException;
import dev.lathe.server.daemon.ServerInfo;
import dev.lathe.server.daemon.ServerInfoFile;
import dev.lathe.server.http.BearerToken;
import dev.lathe.server.http.HttpApiServer;
import dev.lathe.server.http.ServerOptions;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Composition root of the server: explicit wiring, no container. */
public final class LatheServer {
    private LatheServer() {}

    /** What {@code lathe serve} was asked for. */
    public record ServeOptions(String host, Optional<Integer> port, boolean daemon, boolean allowRemote) {}

    /** The server could not start (bad config, data folder locked, refused address); the message says why. */
    public static final class StartupException extends RuntimeException {
        public StartupException(String message) {
            super(message);
        }
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

    /** Starts {@code lathe serve}: lock the data folder, check the config, open the core, listen, write server.json. */
    public static Running serve(Map<String, String> env, ServeOptions options) {
        LathePaths paths = LathePaths.fromEnvironment(env);
        if (!options.allowRemote() && !isLoopback(options.host())) {
            throw new StartupException("refusing to listen on " + options.host() + ": pass --allow-remote to serve beyond this machine "
                    + "(the token is always required; prefer an SSH tunnel or a TLS reverse proxy)");
        }
        ConfigLoader loader = ConfigLoader.standard(paths, env);
        var global = checkConfig(loader, paths);
        DataDirLock lock;
        try {
            lock = DataDirLock.acquire(paths.data());
        } catch (DataDirLockedException e) {
            throw new StartupException(e.getMessage());
        }
        LatheCore core = null;
        HttpApiServer http = null;
        try {
            core = LatheCore.open(paths, env, loader);
            var serverOptions = ServerOptions.of(BearerToken.generate(), Version.current())
                    .withHost(options.host())
                    .withPort(options.port().or(global::serverPort).orElse(0));
            if (options.allowRemote()) serverOptions = serverOptions.withAllowedHost(options.host());
            http = HttpApiServer.start(core.api(), serverOptions);
            var info = ServerInfoFile.write(paths.serverInfo(), ServerInfo.of(http.url().toString(), serverOptions.token(), Version.current()));
            return new Running(core, http, info, lock, options.daemon() ? global.idleTimeoutMinutes() : 0);
        } catch (RuntimeException e) {
            if (http != null) http.close();
            if (core != null) core.close();
            lock.close();
            throw e instanceof StartupException ? e : new StartupException(e.getMessage());
        }
    }

    private static dev.lathe.core.config.Config checkConfig(ConfigLoader loader, LathePaths paths) {
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
        private final CountDownLatch stopped = new CountDownLatch(1);
        private final ScheduledExecutorService idleCheck;
        private volatile long idleSince = System.currentTimeMillis();
        private boolean closed;

        Running(LatheCore core, HttpApiServer http, ServerInfoFile info, DataDirLock lock, int idleTimeoutMinutes) {
            this.core = core;
            this.http = http;
            this.info = info;
            this.lock = lock;
            Runtime.getRuntime().addShutdownHook(new Thread(this::close, "lathe-shutdown"));
            if (idleTimeoutMinutes > 0) {
                idleCheck = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().factory());
                long limit = TimeUnit.MINUTES.toMillis(idleTimeoutMinutes);
                idleCheck.scheduleAtFixedRate(() -> exitWhenIdle(limit), 10, 10, TimeUnit.SECONDS);
            } else {
                idleCheck = null;
            }
        }

        private void exitWhenIdle(long limitMillis) {
            if (http.openEventStreams() > 0 || core.api().busy()) {
                idleSince = System.currentTimeMillis();
            } else if (System.currentTimeMillis() - idleSince >= limitMillis) {
                stopped.countDown();
            }
        }

        public String url() { return http.url().toString(); }

        public Path infoFile() { return info.path(); }

        /** Blocks until the process is asked to stop (signal) or, as a daemon, has been idle long enough. */
        public void awaitShutdown() throws InterruptedException { stopped.await(); }

        @Override
        public synchronized void close() {
            if (closed) return;
            closed = true;
            stopped.countDown();
            if (idleCheck != null) idleCheck.shutdownNow();
            http.close();
            info.close();
            core.close();
            lock.close();
        }
    }
}
