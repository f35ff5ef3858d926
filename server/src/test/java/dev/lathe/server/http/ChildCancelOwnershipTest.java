package dev.lathe.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.protocol.wire.WireJson;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 56, attack: a subagent is cancelled through its session's abort route, and on a team server a child belongs to
 * its parent's owner (DESIGN §20): another user's token watches the children but cannot cancel one; the owner and an
 * admin can.
 */
class ChildCancelOwnershipTest {
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
    void anotherUsersTokenSeesAChildButCannotCancelIt() throws Exception {
        String parent = made(send(alice, "POST", "/sessions", "{\"directory\": \"" + live.project + "\"}"));
        String child = made(send(alice, "POST", "/sessions", "{\"directory\": \"" + live.project + "\", \"parentId\": \"" + parent + "\"}"));

        var children = send(bob, "GET", "/sessions/" + parent + "/children", null);
        assertThat(children.statusCode()).as(children.body()).isEqualTo(200);
        assertThat(children.body()).contains(child);

        var refused = send(bob, "POST", "/sessions/" + child + "/abort", null);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
        assertThat(refused.body()).contains("belongs to 'alice'").contains("signed in as 'bob'").doesNotContain("Exception");

        assertThat(send(alice, "POST", "/sessions/" + child + "/abort", null).statusCode()).isBetween(200, 204);
        assertThat(send(root, "POST", "/sessions/" + child + "/abort", null).statusCode()).isBetween(200, 204);
        // bob cannot hang a child of his under alice's session either (it would be alice's to cancel)
        assertThat(send(bob, "POST", "/sessions", "{\"directory\": \"" + live.project + "\", \"parentId\": \"" + parent + "\"}").statusCode())
                .isEqualTo(403);
    }

    private static String made(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isBetween(200, 201);
        return WireJson.mapper().readTree(response.body()).get("id").asString();
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
