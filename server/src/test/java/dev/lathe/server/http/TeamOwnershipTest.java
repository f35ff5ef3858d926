package dev.lathe.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.client.HttpLatheClient;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.api.TeamInfo;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.ToolState;
import dev.lathe.protocol.wire.WireJson;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.Turn;
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
 * {@code GET /teams/{id}} (DESIGN §18 "Agent teams") answers the lead's user the members with their session ids and
 * statuses and the task list; another user's token is refused (the board holds the members' messages), an admin
 * reads it, and an unknown or malformed id is a 404.
 */
class TeamOwnershipTest {
    @TempDir static Path tmp;
    static LiveServer live;
    static String alice;
    static String bob;
    static String root;
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() throws Exception {
        live = new LiveServer(tmp, ", \"agents\": {\"maxTeamMembers\": 2}", true);
        alice = addUser("alice", false);
        bob = addUser("bob", false);
        root = addUser("root", true);
    }

    @AfterAll
    static void stop() {
        live.close();
    }

    @Test
    void onlyTheLeadsUserOrAnAdminReadsTheTeam() throws Exception {
        live.llm.respondWith(r -> {
            if (r.body().contains("You are ana, a member")) return Turn.of(Step.text("ANA-READY"));
            if (r.toolResult("c1").isEmpty()) {
                return Turn.of(Step.toolCall("c1", "team_create", "{\"name\":\"fixers\",\"members\":[{\"name\":\"ana\",\"prompt\":\"Look.\"}]}"))
                        .finish("tool_calls");
            }
            return Turn.of(Step.text("LEAD-WAITING"));
        });
        try (var asAlice = HttpLatheClient.connect(live.http.url(), alice, Optional.of(live.project.toString()));
                var asBob = HttpLatheClient.connect(live.http.url(), bob, Optional.of(live.project.toString()));
                var asRoot = HttpLatheClient.connect(live.http.url(), root, Optional.of(live.project.toString()))) {
            var made = send(alice, "POST", "/sessions", "{\"directory\": \"" + live.project + "\"}");
            assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
            SessionId lead = new SessionId(WireJson.mapper().readTree(made.body()).get("id").asString());
            var prompted = send(alice, "POST", "/sessions/" + lead.value() + "/prompt", "{\"parts\": [{\"type\": \"text\", \"text\": \"team up\"}]}");
            assertThat(prompted.statusCode()).as(prompted.body()).isBetween(200, 202);
            String teamId = awaitTeamId(asAlice, lead);

            TeamInfo team = asAlice.team(teamId);
            assertThat(team.name()).isEqualTo("fixers");
            assertThat(team.lead()).isEqualTo(lead);
            assertThat(team.members()).singleElement().satisfies(m -> {
                assertThat(m.name()).isEqualTo("ana");
                assertThat(m.status()).isNotNull();
            });
            assertThat(team.tasks()).isEmpty();
            assertThat(asRoot.team(teamId).id()).isEqualTo(teamId);

            var refused = send(bob, "GET", "/teams/" + teamId, null);
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
            assertThat(refused.body()).doesNotContain("ana").doesNotContain("Exception");
            assertThatThrownBy(() -> asBob.team(teamId)).isInstanceOf(LatheException.Forbidden.class);
            assertThat(send(alice, "GET", "/teams/team_nosuch", null).statusCode()).isEqualTo(404);
            var malformed = send(alice, "GET", "/teams/%3Cscript%3E", null);
            assertThat(malformed.statusCode()).isEqualTo(404);
            assertThat(malformed.body()).doesNotContain("Exception").doesNotContain("IllegalArgument");

            // the lead and its member end their turns before the server closes: a turn still running then wrote to the
            // store after its close and left files in the temporary folder, which JUnit then failed to delete (a CI flake)
            live.awaitIdle(asAlice, lead);
            for (var member : asAlice.childSessions(lead)) live.awaitIdle(asAlice, member.session().id());
        }
    }

    /** The team id the lead's team_create call reported, once it did. */
    private static String awaitTeamId(HttpLatheClient client, SessionId lead) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            Optional<String> id = client.messages(lead).stream().flatMap(m -> m.parts().stream())
                    .filter(p -> p instanceof Part.Tool t && t.tool().equals("team_create") && t.state() instanceof ToolState.Completed)
                    .map(p -> ((ToolState.Completed) ((Part.Tool) p).state()).metadata().get("teamId")).findFirst();
            if (id.isPresent()) return id.get();
            Thread.sleep(50);
        }
        throw new AssertionError("no team made");
    }

    private static HttpResponse<String> send(String token, String method, String path, String body) throws Exception {
        var builder = HttpRequest.newBuilder(URI.create(live.http.url() + path)).timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token);
        if (body != null) builder.header("Content-Type", "application/json");
        builder.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String addUser(String name, boolean admin) throws Exception {
        var made = send(live.token, "POST", "/users", "{\"name\": \"" + name + "\", \"admin\": " + admin + "}");
        assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
        return WireJson.mapper().readTree(made.body()).get("token").asString();
    }
}
