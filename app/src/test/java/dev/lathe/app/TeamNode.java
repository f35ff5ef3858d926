package dev.lathe.app;

import dev.lathe.client.HttpLatheClient;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.testkit.PostgresCluster;
import dev.lathe.client.ServerEndpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One node of a team server in a test: a real {@code lathe serve --store …} process from the packaged jar, on folders of
 * its own (DESIGN §18 "Team server"), its output in {@code serve.log} of its home.
 */
record TeamNode(Lathe lathe, Process process, ServerEndpoint endpoint) implements AutoCloseable {
    static TeamNode start(Path home, String config, String store, String... args) throws IOException, InterruptedException {
        return startAll(List.of(home), config, store, args).getFirst();
    }

    /**
     * Nodes on one store started together, as an operator's nodes come up (their migrations run once, under the
     * store's advisory lock: docs/team-server.md): every process is launched before the first is waited for, so the
     * test waits for the slowest start rather than the sum of them.
     */
    static List<TeamNode> startAll(List<Path> homes, String config, String store, String... args) throws IOException, InterruptedException {
        var command = Stream.concat(Stream.of("serve", "--store", store), Stream.of(args)).toArray(String[]::new);
        List<Lathe> lathes = new ArrayList<>();
        List<Process> processes = new ArrayList<>();
        try {
            for (Path home : homes) {
                var lathe = new Lathe(home, config);
                Files.createDirectories(lathe.home());
                lathes.add(lathe);
                processes.add(lathe.command(command).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(lathe.home().resolve("serve.log").toFile())).start());
            }
            List<TeamNode> nodes = new ArrayList<>();
            for (int i = 0; i < lathes.size(); i++) nodes.add(new TeamNode(lathes.get(i), processes.get(i), awaitServer(lathes.get(i), processes.get(i))));
            return nodes;
        } catch (AssertionError | IOException | RuntimeException e) {
            processes.forEach(Process::destroyForcibly);  // nodes that did not all come up are not left running
            throw e;
        }
    }

    /** As {@code DaemonIT.awaitServer}, with room for a machine that runs many builds at once (starts took 30 s at load 40). */
    private static ServerEndpoint awaitServer(Lathe lathe, Process process) throws InterruptedException {
        long end = System.nanoTime() + java.time.Duration.ofSeconds(180).toNanos();
        while (System.nanoTime() < end) {
            if (Files.exists(lathe.serverJson())) {
                var found = dev.lathe.client.ServerDiscovery.find(lathe.serverJson(), java.time.Duration.ofSeconds(2));
                if (found.isPresent()) return found.get();
            }
            if (!process.isAlive()) throw new AssertionError("lathe serve exited with " + process.exitValue());
            Thread.sleep(100);
        }
        throw new AssertionError("lathe serve did not write server.json");
    }

    HttpLatheClient client(Path directory) throws IOException {
        return HttpLatheClient.connect(endpoint, Optional.of(directory.toString()));
    }

    /** {@code lathe ARGS} as this node's user (its HOME and XDG folders: the command finds this node's server). */
    Lathe.Result run(String... args) throws IOException, InterruptedException { return lathe.run(args); }

    String log() throws IOException { return Files.readString(lathe.home().resolve("serve.log")); }

    /** SIGKILL, as a lost machine: nothing of the node's own shutdown runs. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** {@code POST /users} as the node's local admin (its server.json token): the new user's token. */
    String addUser(String name) throws IOException, InterruptedException {
        var response = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(endpoint.url() + "/users"))
                .header("Authorization", "Bearer " + endpoint.token()).header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"name\":\"" + name + "\"}")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 201) throw new AssertionError("POST /users answered " + response.statusCode() + ": " + response.body());
        return tools.jackson.databind.json.JsonMapper.builder().build().readTree(response.body()).path("token").asString();
    }

    /** The node's id, as {@code GET /health} names it. */
    String nodeId() throws IOException, InterruptedException {
        var response = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(endpoint.url() + "/health")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        return response.body().replace(" ", "").replaceAll(".*\"node\":\"(node_[0-9a-f]+)\".*", "$1");
    }

    /** The node that holds the session's lease, once one does (it runs the session's turn). */
    static TeamNode awaitHolder(PostgresCluster.Database db, SessionId id, java.util.List<TeamNode> nodes) throws Exception {
        long end = System.nanoTime() + java.time.Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < end) {
            var holder = holder(db, id);
            if (holder.isPresent()) {
                for (TeamNode n : nodes) if (n.nodeId().equals(holder.get())) return n;
                throw new AssertionError("the lease names no running node: " + holder.get());
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no node took the session's lease");
    }

    /** Waits until no node holds the session's lease: its last holder let go of it once it was idle. */
    static void awaitNoHolder(PostgresCluster.Database db, SessionId id) throws Exception {
        long end = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < end) {
            if (holder(db, id).isEmpty()) return;
            Thread.sleep(100);
        }
        throw new AssertionError("the session's lease was never let go");
    }

    /** The node id the session's lease names now, if any. */
    private static Optional<String> holder(PostgresCluster.Database db, SessionId id) throws java.sql.SQLException {
        try (var c = java.sql.DriverManager.getConnection(db.jdbcUrl(), db.user(), "");
                var ps = c.prepareStatement("SELECT node FROM session_lease WHERE session_id = ?")) {
            ps.setString(1, id.value());
            try (var rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    static long completedAnswers(HttpLatheClient client, SessionId id) {
        return client.messages(id).stream().filter(m -> m.info() instanceof AssistantMessage a && a.completedAt().isPresent()).count();
    }

    @Override
    public void close() throws InterruptedException {
        if (!process.isAlive()) return;
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) kill();
    }
}
