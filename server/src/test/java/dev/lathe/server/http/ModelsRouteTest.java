package dev.lathe.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.protocol.api.ModelInfo;
import dev.lathe.protocol.wire.WireJson;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code GET /models} and its filters over HTTP: one provider's models, the usable ones, and a bad filter. */
class ModelsRouteTest {
    private static final ModelInfo CONFIGURED = new ModelInfo("local", "coder", 32000, 4000, "Coder", true, "none", Optional.empty(), false, true);
    private static final ModelInfo KEYED = new ModelInfo("anthropic", "sonnet", 200000, 64000, "Sonnet", true, "env", Optional.empty(), true, false);
    private static final ModelInfo NO_KEY = new ModelInfo("openai", "gpt", 400000, 128000, "GPT", true, "none", Optional.empty(), false, false);
    private static final ModelInfo NOT_CHAT = new ModelInfo("anthropic", "embed", 8000, 0, "Embed", false, "env", Optional.empty(), false, false);

    private final ServerHarness h = new ServerHarness();

    @AfterEach
    void close() { h.close(); }

    @Test
    void theFiltersNarrowTheListTheWayTheClientsNeedIt() {
        h.api.models = List.of(CONFIGURED, KEYED, NO_KEY, NOT_CHAT);
        assertThat(models("")).containsExactly(CONFIGURED, KEYED, NO_KEY, NOT_CHAT);
        assertThat(models("&usable=false")).containsExactly(CONFIGURED, KEYED, NO_KEY, NOT_CHAT);
        assertThat(models("&usable=true")).containsExactly(CONFIGURED, KEYED);
        assertThat(models("&provider=anthropic")).containsExactly(KEYED, NOT_CHAT);
        assertThat(models("&provider=anthropic&usable=true")).containsExactly(KEYED);
        assertThat(models("&provider=nobody")).isEmpty();
        // the Java client's call for one provider
        assertThat(h.client.models(ServerHarness.DIR, "openai")).containsExactly(NO_KEY);
    }

    @Test
    void aUsableThatIsNeitherTrueNorFalseIs400() {
        var response = h.send(h.request("/models?directory=" + ServerHarness.DIR + "&usable=yes"));
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("usable");
    }

    private List<ModelInfo> models(String filters) {
        var response = h.send(h.request("/models?directory=" + ServerHarness.DIR + filters));
        assertThat(response.statusCode()).isEqualTo(200);
        return List.of(WireJson.read(response.body(), ModelInfo[].class));
    }
}
