package dev.lathe.app;

import dev.lathe.client.ServerEndpoint;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.sqlite.SQLiteConfig;

/**
 * The checks every hostile-input and fault case ends with (issue 25): the server still answers {@code /health} within
 * a second, the database file passes {@code PRAGMA integrity_check}, and no process the server started outlives the
 * case. Collects every problem rather than stopping at the first, so one failure says all.
 *
 * {@snippet :
 * AlwaysOnChecks.after("a 1 MiB header", endpoint, lathe.database()).assertClean();
 * }
 */
final class AlwaysOnChecks {
    /** How long a tool's process group may take to go away after its case ended (a killed bash, a timed-out call). */
    private static final Duration CHILDREN_GRACE = Duration.ofSeconds(5);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final String caseName;
    private final List<String> problems = new ArrayList<>();

    private AlwaysOnChecks(String caseName) {
        this.caseName = caseName;
    }

    /** Runs the three checks against the server of {@code endpoint} (its pid included) and its {@code database}. */
    static AlwaysOnChecks after(String caseName, ServerEndpoint endpoint, Path database) throws InterruptedException {
        var checks = new AlwaysOnChecks(caseName);
        checks.health(endpoint.uri());
        checks.integrity(database);
        checks.noChildren(endpoint.pid());
        return checks;
    }

    List<String> problems() { return List.copyOf(problems); }

    void assertClean() {
        if (!problems.isEmpty()) throw new AssertionError("after \"" + caseName + "\":\n  " + String.join("\n  ", problems));
    }

    private void health(URI server) throws InterruptedException {
        long start = System.nanoTime();
        try {
            var request = HttpRequest.newBuilder(server.resolve("/health")).timeout(Duration.ofSeconds(1)).GET().build();
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            long millis = (System.nanoTime() - start) / 1_000_000;
            if (response.statusCode() != 200) problems.add("/health answered " + response.statusCode() + ": " + response.body());
            else if (millis > 1000) problems.add("/health took " + millis + " ms");
        } catch (java.io.IOException e) {
            problems.add("/health did not answer within a second: " + e);
        }
    }

    private void integrity(Path database) {
        var config = new SQLiteConfig();
        config.setReadOnly(true);
        config.setBusyTimeout(5000);
        try (Connection c = config.createConnection("jdbc:sqlite:" + database.toAbsolutePath());
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("PRAGMA integrity_check")) {
            List<String> rows = new ArrayList<>();
            while (rs.next()) rows.add(rs.getString(1));
            if (!rows.equals(List.of("ok"))) problems.add("PRAGMA integrity_check of " + database + ": " + rows);
        } catch (SQLException e) {
            problems.add("cannot check " + database + ": " + e.getMessage());
        }
    }

    /** Waits up to {@link #CHILDREN_GRACE} for the server's descendants to end; those left are problems (and are killed). */
    private void noChildren(long serverPid) throws InterruptedException {
        var server = ProcessHandle.of(serverPid);
        if (server.isEmpty() || !server.get().isAlive()) {
            problems.add("the server (pid " + serverPid + ") is not running");
            return;
        }
        long deadline = System.nanoTime() + CHILDREN_GRACE.toNanos();
        List<ProcessHandle> left = server.get().descendants().filter(ProcessHandle::isAlive).toList();
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
            left = server.get().descendants().filter(ProcessHandle::isAlive).toList();
        }
        if (left.isEmpty()) return;
        problems.add("processes of the server still run: " + left.stream()
                .map(p -> p.pid() + " " + p.info().commandLine().orElse("?")).collect(Collectors.joining("; ")));
        left.forEach(ProcessHandle::destroyForcibly);
    }
}
