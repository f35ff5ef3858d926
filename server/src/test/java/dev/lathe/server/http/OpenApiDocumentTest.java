package dev.lathe.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.protocol.wire.WireJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** {@code GET /doc}: an OpenAPI 3.1 document that lists every route of the router and every route DESIGN §6 names. */
class OpenApiDocumentTest {
    /** DESIGN §6, route by route: the contract clients are written against. */
    private static final List<String> DESIGN_ROUTES = List.of(
            "GET /health", "GET /events", "GET /sessions", "POST /sessions", "GET /sessions/{id}", "PATCH /sessions/{id}",
            "DELETE /sessions/{id}", "GET /sessions/{id}/messages", "POST /sessions/{id}/prompt", "POST /sessions/{id}/abort",
            "POST /sessions/{id}/command", "POST /sessions/{id}/shell", "POST /sessions/{id}/fork", "POST /sessions/{id}/revert",
            "POST /sessions/{id}/unrevert", "GET /sessions/{id}/children", "GET /sessions/{id}/todo",
            "GET /sessions/{id}/diff", "GET /sessions/{id}/usage", "GET /permissions", "POST /permissions/{id}/reply",
            "POST /questions/{id}/reply", "GET /agents", "GET /commands", "GET /skills", "GET /models", "GET /providers", "GET /config",
            "PATCH /config", "GET /files", "GET /files/content", "GET /find/files", "GET /find/text", "PUT /auth/{provider}",
            "DELETE /auth/{provider}", "GET /doc");

    private final ServerHarness h = new ServerHarness();

    @AfterEach
    void tearDown() {
        h.close();
    }

    @Test
    void theDocumentListsEveryRouteOfTheRouterAndOfTheDesign() {
        JsonNode doc = document();
        assertThat(doc.path("openapi").asString()).isEqualTo("3.1.0");
        List<String> documented = new ArrayList<>();
        for (var path : doc.path("paths").properties()) {
            for (var op : path.getValue().properties()) documented.add(op.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey());
        }
        List<String> routed = h.server.routes().stream().map(r -> r.method() + " " + r.template()).toList();
        assertThat(documented).containsExactlyInAnyOrderElementsOf(routed);
        assertThat(documented).containsAll(DESIGN_ROUTES);
    }

    @Test
    void everyOperationHasAnIdASummaryAndResolvableSchemas() {
        JsonNode doc = document();
        String text = doc.toString();
        List<String> ids = new ArrayList<>();
        for (var path : doc.path("paths").properties()) {
            for (var op : path.getValue().properties()) {
                assertThat(op.getValue().path("summary").asString()).as(op.getKey() + " " + path.getKey()).isNotBlank();
                ids.add(op.getValue().path("operationId").asString());
            }
        }
        assertThat(ids).doesNotHaveDuplicates().doesNotContain("");
        var refs = java.util.regex.Pattern.compile("\"\\$ref\":\"#/components/schemas/([A-Za-z0-9_]+)\"").matcher(text);
        int count = 0;
        while (refs.find()) {
            count++;
            assertThat(doc.path("components").path("schemas").has(refs.group(1))).as("schema " + refs.group(1)).isTrue();
        }
        assertThat(count).isGreaterThan(20);
        // the Session schema says what GET /sessions/{id} answers, field by field
        assertThat(doc.path("components").path("schemas").path("Session").path("properties").has("parentId")).isTrue();
    }

    /**
     * Issue 82: a field the server leaves out when it is empty or its default ({@code quota}, a request's
     * {@code allowAll}) is not required, so neither SDK types it as always there and a schema validator accepts real answers.
     */
    @Test
    void whatTheServerLeavesOutWhenEmptyIsNotRequired() {
        JsonNode schemas = document().path("components").path("schemas");
        assertThat(required(schemas.path("SessionUsage"))).isNotEmpty().doesNotContain("quota");
        assertThat(required(schemas.path("ProjectStats"))).isNotEmpty().doesNotContain("quota", "cacheLifecycle");
        assertThat(required(schemas.path("PromptRequest"))).containsExactly("parts");
        assertThat(required(schemas.path("ShellRequest"))).containsExactly("command");
        // and one answer as the server writes it: an empty quota is absent from the JSON, which the schema now allows
        var usage = new dev.lathe.protocol.api.SessionUsage(dev.lathe.protocol.SessionId.next(), new dev.lathe.protocol.session.Usage(1, 2, 0, 0, 0), 0, List.of(), 0,
                List.of());
        assertThat(WireJson.read(WireJson.write(usage), JsonNode.class).has("quota")).isFalse();
    }

    private static List<String> required(JsonNode schema) {
        List<String> out = new ArrayList<>();
        schema.path("required").forEach(n -> out.add(n.asString()));
        return out;
    }

    @Test
    void theDocumentNeedsTheToken() {
        assertThat(h.send(h.anonymous("/doc")).statusCode()).isEqualTo(401);
    }

    private JsonNode document() {
        var response = h.send(h.request("/doc"));
        assertThat(response.statusCode()).isEqualTo(200);
        return WireJson.read(response.body(), JsonNode.class);
    }
}
