package dev.lathe.tui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.protocol.api.ModelInfo;
import dev.lathe.tui.view.Picker;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelMenuTest {
    @TempDir Path tmp;

    static ModelInfo model(String provider, String id, String key, boolean chat, boolean configured) {
        return new ModelInfo(provider, id, 200_000, 8_000, id, chat, key, Optional.of(new ModelInfo.Price(3, 15)), false, configured);
    }

    static final List<ModelInfo> MODELS = List.of(
            model("anthropic", "claude-sonnet-5", "env", true, false),
            model("openai", "gpt-5.5", "none", true, false),
            model("openai", "text-embedding-3-large", "none", false, false),
            model("lmstudio", "qwen3", "not-needed", true, false),
            model("mine", "local-coder", "not-needed", true, true));

    private static List<String> labels(List<Picker.Item<ModelMenu.Row>> rows) { return rows.stream().map(Picker.Item::label).toList(); }

    @Test
    void recentFirstThenKeyedProvidersThenOneRowForTheRest() {
        var rows = ModelMenu.folded(MODELS, List.of("openai/gpt-5.5"));
        assertThat(labels(rows)).containsExactly("openai/gpt-5.5", "anthropic/claude-sonnet-5", "mine/local-coder", "more providers…");
        assertThat(rows.getFirst().detail()).isEqualTo("recent · no key · 200k ctx · $3.00/$15.00");
        assertThat(rows.get(1).detail()).startsWith("env key").contains("200k ctx");
        assertThat(rows.getLast().value()).isEqualTo(new ModelMenu.Row.MoreProviders(2));
    }

    @Test
    void unfoldedItListsEveryChatModelKeyedFirstAndNeverAnEmbedding() {
        assertThat(labels(ModelMenu.all(MODELS, List.of()))).as("keyed first, then the usual providers first")
                .containsExactly("anthropic/claude-sonnet-5", "mine/local-coder", "openai/gpt-5.5", "lmstudio/qwen3");
        List<ModelInfo> noKeys = MODELS.stream().filter(m -> !m.keySource().equals("env")).toList();
        assertThat(labels(ModelMenu.folded(noKeys.stream().filter(m -> !m.configured()).toList(), List.of())))
                .as("nothing keyed: everything at once").containsExactly("openai/gpt-5.5", "lmstudio/qwen3");
        List<ModelInfo> unordered = List.of(model("302ai", "m", "none", true, false), model("google", "g", "none", true, false),
                model("anthropic", "a", "none", true, false));
        assertThat(labels(ModelMenu.all(unordered, List.of()))).containsExactly("anthropic/a", "google/g", "302ai/m");
    }

    @Test
    void choosingAModelWithoutAKeyWarnsWithTheWayToAddOne() {
        assertThat(ModelMenu.keyWarning("openai/gpt-5.5", MODELS)).hasValueSatisfying(w -> assertThat(w).contains("openai has no key")
                .contains("OPENAI_API_KEY").contains("lathe auth login openai"));
        assertThat(ModelMenu.keyWarning("anthropic/claude-sonnet-5", MODELS)).isEmpty();
        assertThat(ModelMenu.keyWarning("mine/local-coder", MODELS)).isEmpty();
    }

    @Test
    void recentModelsKeepTheLastFiveNewestFirst() {
        var recent = new RecentModels(tmp.resolve("state/recent-models"));
        assertThat(recent.list()).isEmpty();
        for (String m : List.of("a/1", "a/2", "a/3", "a/4", "a/5", "a/6", "a/2")) recent.add(m);
        assertThat(recent.list()).containsExactly("a/2", "a/6", "a/5", "a/4", "a/3");
        assertThat(new RecentModels(tmp.resolve("state/recent-models")).list()).as("kept in the file").containsExactly("a/2", "a/6", "a/5", "a/4", "a/3");
    }
}
