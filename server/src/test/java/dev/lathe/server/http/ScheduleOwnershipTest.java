package dev.lathe.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.client.HttpLatheClient;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.api.ScheduleRequest;
import dev.lathe.protocol.wire.WireJson;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A schedule belongs to the user who added it on a team server (DESIGN §18 "Schedules", §24 "Every route declared
 * once"): another user's token neither lists nor removes it, an admin does both; the Java client's calls go through
 * the same routes; a bad cron field is a 400 naming the field.
 */
class ScheduleOwnershipTest {
    @TempDir static Path tmp;
    static LiveServer live;
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    static String alice;
    static String bob;
    static String root;

    @BeforeAll
    static void start() throws Exception {
        live = new LiveServer(tmp, "", true);
        alice = addUser("alice", false);
        bob = addUser("bob", false);
        root = addUser("root", true);
    }

    @AfterAll
    static void stop() {
        live.close();
    }

    @Test
    void anotherUsersTokenNeitherListsNorRemovesASchedule() throws Exception {
        try (var asAlice = HttpLatheClient.connect(live.http.url(), alice, Optional.of(live.project.toString()));
                var asBob = HttpLatheClient.connect(live.http.url(), bob, Optional.of(live.project.toString()));
                var asRoot = HttpLatheClient.connect(live.http.url(), root, Optional.of(live.project.toString()))) {
            // whatever owner a client sends, the caller is the owner
            var body = "{\"cron\": \"0 3 * * *\", \"zone\": \"Europe/Paris\", \"directory\": \"" + live.project + "\", \"message\": \"nightly\", \"owner\": \"bob\"}";
            var made = send(alice, "POST", "/schedules", body);
            assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
            String id = WireJson.mapper().readTree(made.body()).get("id").asString();
            assertThat(asAlice.schedules()).singleElement().satisfies(s -> {
                assertThat(s.id()).isEqualTo(id);
                assertThat(s.owner()).isEqualTo("alice");
            });
            assertThat(asBob.schedules()).as("bob does not see alice's").isEmpty();
            assertThat(asRoot.schedules()).as("an admin sees every one").extracting(s -> s.id()).containsExactly(id);

            var refused = send(bob, "DELETE", "/schedules/" + id, null);
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
            assertThat(refused.body()).contains("another user's").contains("signed in as 'bob'");
            assertThatThrownBy(() -> asBob.removeSchedule(id)).isInstanceOf(LatheException.Forbidden.class);
            assertThat(asAlice.schedules()).hasSize(1);

            var bobs = asBob.addSchedule(new ScheduleRequest("@daily", Optional.empty(), Optional.of(live.project.toString()), Optional.empty(), "mine"));
            assertThat(bobs.owner()).isEqualTo("bob");
            asAlice.removeSchedule(id);
            assertThat(asAlice.schedules()).isEmpty();
            asRoot.removeSchedule(bobs.id());
            assertThat(asRoot.schedules()).isEmpty();
            assertThat(send(alice, "DELETE", "/schedules/" + id, null).statusCode()).as("gone").isEqualTo(404);
        }
    }

    @Test
    void aBadCronFieldIsA400NamingTheField() throws Exception {
        var bad = send(alice, "POST", "/schedules", "{\"cron\": \"61 * * * *\", \"directory\": \"" + live.project + "\", \"message\": \"x\"}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("cron field 1 (minute)").contains("61 is out of range 0-59").doesNotContain("Exception");
        var noBody = send(alice, "POST", "/schedules", "{}");
        assertThat(noBody.statusCode()).as(noBody.body()).isEqualTo(400);
    }

    private static String addUser(String name, boolean admin) throws Exception {
        var made = send(live.token, "POST", "/users", "{\"name\": \"" + name + "\", \"admin\": " + admin + "}");
        assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
        return WireJson.mapper().readTree(made.body()).get("token").asString();
    }

    static HttpResponse<String> send(String token, String method, String path, String body) throws Exception {
        var builder = HttpRequest.newBuilder(URI.create(live.http.url() + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token);
        if (body != null && !body.isEmpty()) builder.header("Content-Type", "application/json");
        builder.method(method, body == null || body.isEmpty() ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }
}
