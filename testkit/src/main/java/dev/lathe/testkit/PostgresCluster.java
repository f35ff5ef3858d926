package dev.lathe.testkit;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL for tests (the team server, DESIGN §20): one cluster per test JVM, started on first use from
 * the Debian package's binaries ({@code /usr/lib/postgresql/N/bin}, the newest; {@code LATHE_PG_BIN} names another
 * folder), with a fresh database per caller ({@link #newDatabase}). It listens on 127.0.0.1 on a free port and on a
 * socket in its own folder, with {@code fsync=off}: durability is the engine's business, not what these tests check.
 * The system cluster is never touched.
 *
 * <p>{@code initdb} refuses to run as root: then every server binary runs as the {@code postgres} user
 * ({@code runuser}) in a folder that user owns. Connections from 127.0.0.1 are trusted, but for the members of role
 * {@code passworded}, which must give their password ({@link #createRole}): how a test checks a wrong password.
 *
 * <p>The cluster is stopped with {@code -m immediate} when the JVM exits and its folder removed by a process of its own
 * ({@link #removeDetached}); a cluster left by a JVM that was killed is stopped and removed by the next one that starts
 * (its owner's pid is in the folder), as are folders a removal left half done.
 */
public final class PostgresCluster {
    /** The superuser every database belongs to; trusted from loopback. */
    public static final String SUPERUSER = "lathe";
    private static final String PREFIX = "lathe-pg-";
    /** A folder renamed for removal: never a live cluster's. */
    private static final String GONE = PREFIX + "gone-";
    /** How old a folder without an owner must be before it counts as left behind rather than being made right now. */
    private static final Duration ABANDONED = Duration.ofMinutes(10);
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static PostgresCluster shared;

    private final Path bin;
    private final Path dir;
    private final int port;

    /** A database of the cluster: what a {@code postgresql://} URL names. */
    public record Database(String host, int port, String name, String user) {
        /** {@code postgresql://USER@127.0.0.1:PORT/NAME}: trusted, so without a password. */
        public String url() { return "postgresql://" + user + "@" + host + ":" + port + "/" + name; }

        /** The same with {@code user} and {@code password}, for a role made by {@link #createRole}. */
        public String url(String user, String password) {
            return "postgresql://" + user + ":" + password + "@" + host + ":" + port + "/" + name;
        }

        /** The JDBC form, for tests that talk to the database directly. */
        public String jdbcUrl() { return "jdbc:postgresql://" + host + ":" + port + "/" + name; }
    }

    private PostgresCluster(Path bin, Path dir, int port) {
        this.bin = bin;
        this.dir = dir;
        this.port = port;
    }

    /** The cluster of this JVM, started the first time it is asked for. */
    public static synchronized PostgresCluster shared() {
        if (shared == null) {
            shared = start();
            PostgresCluster started = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(started::stop, "lathe-pg-stop"));
        }
        return shared;
    }

    public int port() { return port; }

    /** A client binary of the same PostgreSQL ({@code psql}, {@code pg_dump}, ...). */
    public Path binary(String name) { return bin.resolve(name); }

    /** The folder of the cluster: {@code data/}, the server's {@code log}, the socket. */
    public Path dir() { return dir; }

    /** A new empty database owned by {@link #SUPERUSER}, named after {@code hint} (letters and digits kept). */
    public Database newDatabase(String hint) {
        String name = ("t" + DATABASES.incrementAndGet() + "_" + hint.toLowerCase().replaceAll("[^a-z0-9]+", "_"));
        if (name.length() > 60) name = name.substring(0, 60);
        psql("CREATE DATABASE " + name);
        return new Database("127.0.0.1", port, name, SUPERUSER);
    }

    /** A login role that must give {@code password} over TCP (a member of {@code passworded}), allowed into every database. */
    public void createRole(String name, String password) {
        psql("CREATE ROLE " + name + " LOGIN PASSWORD '" + password.replace("'", "''") + "' IN ROLE passworded");
    }

    /** Runs one SQL command as the superuser through the socket ({@code psql}); fails with its output when it fails. */
    public String psql(String sql) {
        return run(List.of(bin.resolve("psql").toString(), "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-h", dir.toString(), "-p",
                String.valueOf(port), "-U", SUPERUSER, "-d", "postgres", "-c", sql), false);
    }

    /** The server's log: what a failed test should print. */
    public String log() {
        try {
            return Files.readString(dir.resolve("log"));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static PostgresCluster start() {
        Path bin = binaries();
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        reapOrphans(tmp, bin);
        IllegalStateException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {  // the free port may be taken between the probe and the start
            Path dir = null;
            try {
                dir = Files.createTempDirectory(tmp, PREFIX);
                Files.writeString(dir.resolve("owner.pid"), String.valueOf(ProcessHandle.current().pid()));
                if (asRoot()) run(List.of("chown", "-R", "postgres:postgres", dir.toString()), false);
                var cluster = new PostgresCluster(bin, dir, freePort());
                cluster.initAndStart();
                return cluster;
            } catch (IOException | IllegalStateException e) {
                last = e instanceof IllegalStateException ise ? ise : new IllegalStateException(e);
                if (dir != null) deleteQuietly(dir);
            }
        }
        throw last;
    }

    private void initAndStart() throws IOException {
        Path data = dir.resolve("data");
        run(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", SUPERUSER, "-A", "trust", "-E", "UTF8", "--locale=C", "-N"), true);
        // first match wins: members of `passworded` give a password over TCP, everyone else is trusted
        Files.writeString(data.resolve("pg_hba.conf"), """
                local all all trust
                host all +passworded 127.0.0.1/32 scram-sha-256
                host all all 127.0.0.1/32 trust
                """, StandardCharsets.UTF_8);
        startServer();
        psql("CREATE ROLE passworded NOLOGIN");
    }

    private void startServer() {
        String options = "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off"
                + " -c full_page_writes=off -c max_connections=200";
        run(List.of(bin.resolve("pg_ctl").toString(), "start", "-w", "-t", "60", "-D", dir.resolve("data").toString(), "-l",
                dir.resolve("log").toString(), "-o", options), true);
    }

    /**
     * A cluster of this test's own, for a test that stops and starts it ({@link #pause}, {@link #resume}) while others
     * use the shared one; the caller {@link #stop}s it.
     */
    public static PostgresCluster startOwn() {
        return start();
    }

    /** Stops the server as an administrator's restart does ({@code -m fast}: sessions are cut), keeping its data. */
    public void pause() {
        run(List.of(bin.resolve("pg_ctl").toString(), "stop", "-w", "-m", "fast", "-D", dir.resolve("data").toString()), true);
    }

    /** Starts the server {@link #pause}d, on the same port, with the same data. */
    public void resume() {
        startServer();
    }

    /** Stops the server at once (nothing of it needs to survive) and removes its folder ({@link #removeDetached}). */
    public void stop() {
        try {
            run(List.of(bin.resolve("pg_ctl").toString(), "stop", "-m", "immediate", "-D", dir.resolve("data").toString()), true);
        } catch (IllegalStateException e) {
            // already stopped: the folder goes all the same
        }
        removeDetached(dir);
    }

    /**
     * Renames {@code dir} out of the way at once and deletes it with an {@code rm -rf} this JVM does not wait for. A
     * cluster's folder holds thousands of files (a database per test): deleting them in the shutdown hook took longer
     * than surefire's 30 s exit grace on a loaded machine, so the fork JVM was killed mid-delete, and the folder, its
     * owner.pid deleted first, was never reaped.
     */
    static void removeDetached(Path dir) {
        Path target = dir;
        if (!dir.getFileName().toString().startsWith(GONE)) {
            try {
                target = Files.move(dir, dir.resolveSibling(GONE + dir.getFileName().toString().substring(PREFIX.length())));
            } catch (IOException | RuntimeException e) {
                // removed where it is
            }
        }
        try {
            new ProcessBuilder("rm", "-rf", "--", target.toString()).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            deleteQuietly(target);
        }
    }

    /**
     * Clusters left in {@code tmp} by JVMs that no longer run (killed before their shutdown hook), and folders whose
     * removal was cut short (renamed for it, or without their owner.pid) once they are old enough not to be in the making.
     */
    static void reapOrphans(Path tmp, Path bin) {
        try (Stream<Path> entries = Files.list(tmp)) {
            for (Path dir : entries.filter(p -> p.getFileName().toString().startsWith(PREFIX)).toList()) {
                Path owner = dir.resolve("owner.pid");
                if (!Files.isRegularFile(owner)) {
                    if (abandoned(dir)) removeDetached(dir);
                    continue;
                }
                long pid = Long.parseLong(Files.readString(owner).strip());
                if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) continue;
                new PostgresCluster(bin, dir, 0).stop();
            }
        } catch (IOException | RuntimeException e) {
            // best effort: an orphan costs memory, not correctness
        }
    }

    private static boolean abandoned(Path dir) {
        try {
            return Files.getLastModifiedTime(dir).toInstant().isBefore(Instant.now().minus(ABANDONED));
        } catch (IOException e) {
            return false;  // gone meanwhile
        }
    }

    private static Path binaries() {
        String named = System.getenv("LATHE_PG_BIN");
        if (named != null && !named.isBlank()) return Path.of(named);
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            return versions.map(v -> v.resolve("bin"))
                    .filter(b -> Files.isExecutable(b.resolve("initdb")))
                    .max(Comparator.comparingInt(b -> Integer.parseInt(b.getParent().getFileName().toString().replaceAll("\\D", "0"))))
                    .orElseThrow();
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("PostgreSQL is not installed: apt-get install postgresql (.ci/run does), or set LATHE_PG_BIN", e);
        }
    }

    private static boolean asRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** Runs {@code command} (as the {@code postgres} user when {@code server} and this JVM is root); its output on failure. */
    private static String run(List<String> command, boolean server) {
        List<String> full = new ArrayList<>();
        if (server && asRoot()) full.addAll(List.of("runuser", "-u", "postgres", "--"));
        full.addAll(command);
        try {
            Process p = new ProcessBuilder(full).directory(Path.of(System.getProperty("java.io.tmpdir")).toFile()).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", full) + " did not finish in 120 s:\n" + out);
            }
            if (p.exitValue() != 0) throw new IllegalStateException(String.join(" ", full) + " exited " + p.exitValue() + ":\n" + out);
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + full.getFirst(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + full.getFirst(), e);
        }
    }

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            // a leftover temporary folder is harmless
        }
    }
}
