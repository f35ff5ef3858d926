package dev.lathe.server.http;

import static dev.lathe.server.http.HttpApiServerTest.error;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.protocol.SessionId;
import java.net.http.HttpRequest;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The shape of request bodies (fields present, not {@code null}, not blank) is checked once, where the request enters
 * (decision "validation once, at the edge"): each malformed body here answers 400 {@code bad_request} with the message
 * it always had, and the API behind is never called (the fake would answer 500 for these routes).
 */
class RequestShapeTest {
    private final ServerHarness h = new ServerHarness();

    @AfterEach
    void tearDown() {
        h.close();
    }

    @Test
    void malformedBodiesAreRefusedBeforeTheApiIsCalled() {
        String session = "/sessions/" + SessionId.next().value();
        Map<String, String> patch = Map.of(
                "{}", "nothing to change: give title and/or archived",
                "{\"title\":null}", "nothing to change: give title and/or archived",
                "{\"title\":\"   \"}", "title must not be blank");
        patch.forEach((body, message) -> assertRefused(h.request(session).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(body)), message));

        assertRefused(h.postJson(session + "/command", "{\"name\":\" \"}"), "name is required, e.g. \"undo\"");
        assertRefused(h.postJson(session + "/command", "{\"arguments\":\"x\"}"), "name is required, e.g. \"undo\"");
        assertRefused(h.postJson(session + "/shell", "{\"command\":\"  \"}"), "command is required");
        assertRefused(h.postJson(session + "/prompt", "{\"parts\":[]}"), "parts is required and must not be empty");
        assertRefused(h.postJson(session + "/prompt", "{\"parts\":[{\"type\":\"text\"}]}"), "parts[0].text is required");
        assertRefused(h.postJson(session + "/revert", "{}"), "messageId is required");
        assertRefused(h.postJson("/sessions", "{}"), "directory is required (in the body, the X-Lathe-Directory header or the directory query parameter)");
        assertRefused(h.postJson("/sessions", "{\"directory\":\"/r\",\"parentId\":\"" + SessionId.next().value() + "\",\"worktree\":{}}"),
                "worktree and parentId do not go together: a subagent gets its worktree from the task tool's isolation");
        for (String body : new String[] {"{}", "{\"trusted\":null}"}) {
            assertRefused(h.request("/trust?directory=/tmp").header("Content-Type", "application/json")
                    .method("PUT", HttpRequest.BodyPublishers.ofString(body)), "trusted is required: true to trust the folder, false to keep it untrusted");
        }
        assertThat(h.api.calls).as("the API behind was never asked").isEmpty();
    }

    @Test
    void duplicateKeysAreRefusedNamingTheKeyAtAnyDepth() {
        String session = "/sessions/" + SessionId.next().value();
        assertRefused(h.postJson("/sessions", "{\"directory\":\"/a\",\"directory\":\"/b\"}"),
                "malformed JSON: duplicate key 'directory' in the request body");
        assertRefused(h.postJson(session + "/prompt", "{\"parts\":[{\"type\":\"text\",\"text\":\"a\",\"text\":\"b\"}]}"),
                "malformed JSON: duplicate key 'text' in the request body");
        // other malformed JSON keeps its own 400
        var broken = h.send(h.postJson("/sessions", "{\"directory\":"));
        assertThat(broken.statusCode()).isEqualTo(400);
        assertThat(error(broken).message()).startsWith("malformed JSON: ").doesNotContain("duplicate");
        assertThat(h.api.calls).as("the API behind was never asked").isEmpty();
    }

    private void assertRefused(HttpRequest.Builder request, String message) {
        var response = h.send(request);
        assertThat(response.statusCode()).as(message).isEqualTo(400);
        assertThat(error(response).code()).isEqualTo("bad_request");
        assertThat(error(response).message()).isEqualTo(message);
    }
}
