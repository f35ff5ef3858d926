package dev.lathe.tui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.protocol.api.ModelInfo;
import dev.lathe.tui.view.Picker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The first-run model picker over the real bundled catalog (issue 42: typing {@code sonnet-4-5} put
 * {@code anthropic/claude-sonnet-4-5} 9th and Enter picked a reseller's model): keyed providers first, then makers
 * serving their own models, then the newest; a filter matching only folded models says so.
 */
class ModelRankingTest {
    static final Path CATALOG = Path.of("../llm/src/main/resources/catalog/models.json");

    /** Every catalog model as {@code GET /models} lists it, with keys for {@code keyed} providers only. */
    static List<ModelInfo> catalog(Set<String> keyed) throws Exception {
        JsonNode providers = JsonMapper.builder().build().readTree(Files.readString(CATALOG)).get("providers");
        var out = new ArrayList<ModelInfo>();
        for (var p : providers.properties()) {
            for (var m : p.getValue().path("models").properties()) {
                JsonNode model = m.getValue();
                var outputs = new ArrayList<String>();
                model.path("modalities").path("output").forEach(o -> outputs.add(o.asString()));
                boolean chat = model.path("tool_call").asBoolean(false) && (outputs.isEmpty() || outputs.equals(List.of("text")));
                out.add(new ModelInfo(p.getKey(), m.getKey(), model.path("limit").path("context").asInt(0), 0, m.getKey(), chat,
                        keyed.contains(p.getKey()) ? "env" : "none", Optional.empty(), false, false, model.path("release_date").asString("")));
            }
        }
        return out;
    }

    private static List<String> refs(List<Picker.Item<ModelMenu.Row>> rows) {
        return rows.stream().map(r -> r.value() instanceof ModelMenu.Row.Model m ? m.model().ref() : r.label()).toList();
    }

    private static List<Picker.Item<ModelMenu.Row>> typed(String query, List<ModelInfo> models) {
        var picker = new Picker<>("Model", "", ModelMenu.folded(models, List.of()), 10, true);
        List<ModelInfo> folded = models.stream().filter(ModelInfo::chat).filter(m -> !ModelMenu.hasKey(m)).toList();
        picker.rankedBy((q, rows) -> ModelMenu.filter(q, rows, folded));
        picker.type(query);
        return picker.shown();
    }

    @Test
    void withNoKeyTheMakersNewestModelsComeFirstAndSonnet45FindsAnthropicsOwn() throws Exception {
        List<ModelInfo> models = catalog(Set.of());
        var all = ModelMenu.all(models, List.of());
        var first = ((ModelMenu.Row.Model) all.getFirst().value()).model();
        assertThat(ModelMenu.firstParty(first)).as(first.ref()).isTrue();
        var top = all.subList(0, 10).stream().map(r -> ((ModelMenu.Row.Model) r.value()).model()).toList();
        assertThat(top).allSatisfy(m -> assertThat(ModelMenu.firstParty(m)).as(m.ref()).isTrue());
        assertThat(top.stream().map(ModelInfo::released).toList()).as("newest first").isSortedAccordingTo(java.util.Comparator.reverseOrder());

        assertThat(refs(typed("sonnet-4-5", models)).getFirst()).isEqualTo("anthropic/claude-sonnet-4-5");
        assertThat(refs(typed("gpt-5", models)).getFirst()).startsWith("openai/gpt-5");
    }

    @Test
    void aKeyedResellerComesBeforeTheMakerWithoutAKey() throws Exception {
        var rows = typed("sonnet-4-5", catalog(Set.of("openrouter")));
        assertThat(refs(rows).getFirst()).isEqualTo("openrouter/anthropic/claude-sonnet-4.5");
        assertThat(rows.getLast().value()).isInstanceOf(ModelMenu.Row.MoreProviders.class);
        assertThat(rows.getLast().detail()).containsPattern("\\d+ models of providers without a key match");
    }

    @Test
    void aFilterMatchingOnlyFoldedModelsSaysSo() throws Exception {
        var rows = typed("sonnet-4-5", catalog(Set.of("openai")));
        assertThat(rows).singleElement().satisfies(r -> {
            assertThat(r.value()).isInstanceOf(ModelMenu.Row.MoreProviders.class);
            assertThat(r.detail()).contains("of providers without a key match");
        });
    }
}
