package dev.lathe.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.protocol.SessionId;
import java.net.http.HttpRequest;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A rule over request bodies (issue 53): a body that does not fit its route is refused in the caller's terms — never
 * with Jackson's message, a Java class or an exception's name. A sample of routes, each sent bodies with unknown
 * fields, values of the wrong type, unknown part types, arrays and broken JSON.
 */
class JsonErrorWordsTest {
    private static final List<String> FORBIDDEN = List.of("dev.lathe", "com.fasterxml", "tools.jackson", "Exception", "class ", "java.");
    private final ServerHarness h = new ServerHarness();

    @AfterEach
    void tearDown() {
        h.close();
    }

    @Test
    void badBodiesAreRefusedWithoutNamingCode() {
        String session = "/sessions/" + SessionId.next().value();
        List<String[]> routes = List.of(new String[] {"POST", "/sessions"}, new String[] {"PATCH", session}, new String[] {"POST", session + "/prompt"},
                new String[] {"POST", session + "/command"}, new String[] {"POST", session + "/shell"}, new String[] {"POST", session + "/revert"},
                new String[] {"POST", "/permissions/prm_1"}, new String[] {"PUT", "/trust?directory=/tmp"}, new String[] {"POST", "/import/history"},
                new String[] {"POST", "/sessions/import"});
        List<String> bodies = List.of("{\"no_such_field\": 1}", "{\"parts\": [{\"type\": \"bogus\", \"text\": \"a\"}]}", "{\"parts\": \"x\"}",
                "{\"parts\": [{\"type\": \"text\", \"text\": \"a\", \"zz\": 1}]}", "{\"directory\": {\"a\": 1}}", "{\"title\": [1]}",
                "{\"archived\": \"maybe\"}", "{\"name\": 5, \"arguments\": {}}", "{\"reply\": [\"once\"]}", "{\"trusted\": \"yes\"}",
                "{\"source\": 1, \"all\": \"x\"}", "{\"format\": 2, \"session\": []}", "[]", "{", "{\"messageId\": {}}");
        int refused = 0;
        for (String[] route : routes) {
            for (String body : bodies) {
                var response = h.send(h.request(route[1]).header("Content-Type", "application/json")
                        .method(route[0], HttpRequest.BodyPublishers.ofString(body)));
                for (String word : FORBIDDEN) assertThat(response.body()).as(route[0] + " " + route[1] + " " + body).doesNotContain(word);
                if (response.statusCode() == 400) refused++;
            }
        }
        assertThat(refused).isGreaterThan(100);
    }

    @Test
    void theWrongTypeAndAnUnknownPartTypeAreNamedByTheirPlace() {
        String prompt = "/sessions/" + SessionId.next().value() + "/prompt";
        var wrongType = h.send(h.postJson(prompt, "{\"parts\": \"look at this\"}"));
        assertThat(wrongType.statusCode()).isEqualTo(400);
        assertThat(wrongType.body()).contains("'parts' has the wrong type or shape").doesNotContain("PromptRequest");
        var unknownType = h.send(h.postJson(prompt, "{\"parts\": [{\"type\": \"bogus\", \"text\": \"a\"}]}"));
        assertThat(unknownType.statusCode()).isEqualTo(400);
        assertThat(unknownType.body()).contains("'parts[0]' has an unknown type 'bogus'").doesNotContain("InputPart");
    }
}
