package dev.lathe.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.core.auth.AuthStore;
import dev.lathe.core.config.Config;
import dev.lathe.core.config.ConfigLoader;
import dev.lathe.core.config.LathePaths;
import dev.lathe.llm.Pricing;
import dev.lathe.llm.catalog.Catalog;
import dev.lathe.llm.catalog.CatalogModel;
import dev.lathe.llm.catalog.CatalogProvider;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DefaultModelTest {
    static final Catalog CATALOG = Catalog.bundled();

    @TempDir Path tmp;

    private Optional<String> pick(String config, Map<String, String> extraEnv) throws Exception {
        return sources(config, extraEnv).pick();
    }

    private record Setup(Config config, ProviderSources sources) {
        Optional<String> pick() { return DefaultModel.of(config, sources); }
    }

    private Setup sources(String config, Map<String, String> extraEnv) throws Exception {
        Map<String, String> env = new HashMap<>(Map.of("HOME", tmp.toString(), "XDG_DATA_HOME", tmp.resolve("data").toString(),
                "XDG_CONFIG_HOME", tmp.resolve("config").toString(), "XDG_STATE_HOME", tmp.resolve("state").toString(),
                "XDG_CACHE_HOME", tmp.resolve("cache").toString(), "LATHE_CONFIG_CONTENT", config));
        env.putAll(extraEnv);
        var paths = LathePaths.fromEnvironment(env);
        Config c = new ConfigLoader(paths, env, tmp.resolve("managed.json")).load(Files.createDirectories(tmp.resolve("p")));
        return new Setup(c, new ProviderSources(CatalogSource.of(CATALOG), new AuthStore(paths.authFile()), env));
    }

    @Test
    void nothingIsPickedWithoutAKeyNotEvenALocalServer() throws Exception {
        assertThat(pick("{}", Map.of())).isEmpty();
    }

    @Test
    void theFirstProviderInTheDocumentedOrderThatHasAKeyWins() throws Exception {
        Optional<String> openai = pick("{}", Map.of("OPENAI_API_KEY", "sk-1", "OPENROUTER_API_KEY", "or-1"));
        assertThat(openai).hasValueSatisfying(m -> assertThat(m).startsWith("openai/gpt-"));
        Optional<String> anthropic = pick("{}", Map.of("OPENAI_API_KEY", "sk-1", "ANTHROPIC_API_KEY", "sk-ant-1"));
        assertThat(anthropic).hasValueSatisfying(m -> assertThat(m).startsWith("anthropic/claude-sonnet"));
        assertThat(pick("{}", Map.of("GEMINI_API_KEY", "g-1"))).hasValueSatisfying(m -> assertThat(m).startsWith("google/gemini-"));
    }

    @Test
    void aKeySavedByAuthLoginCountsLikeAVariable() throws Exception {
        new AuthStore(tmp.resolve("data/lathe/auth.json")).save("openrouter", "or-login-1");
        assertThat(pick("{}", Map.of())).hasValueSatisfying(m -> assertThat(m).startsWith("openrouter/anthropic/claude-sonnet"));
    }

    @Test
    void aProviderOutsideTheOrderIsFoundInTheRestOfTheCatalog() throws Exception {
        assertThat(pick("{}", Map.of("DEEPSEEK_API_KEY", "ds-1"))).hasValueSatisfying(m -> assertThat(m).startsWith("deepseek/"));
        String someOther = CATALOG.providers().values().stream().filter(p -> !DefaultModel.ORDER.contains(p.id()))
                .filter(p -> p.env().stream().anyMatch(v -> v.endsWith("_API_KEY")) && p.models().values().stream().anyMatch(CatalogModel::isChat))
                .filter(p -> p.npm().equals("@ai-sdk/openai-compatible")).map(CatalogProvider::id).findFirst().orElseThrow();
        String variable = CATALOG.provider(someOther).orElseThrow().env().stream().filter(v -> v.endsWith("_API_KEY")).findFirst().orElseThrow();
        assertThat(pick("{}", Map.of(variable, "k-1"))).hasValueSatisfying(m -> assertThat(m).startsWith(someOther + "/"));
    }

    @Test
    void aConfiguredProviderWithAKeyGivesItsFirstConfiguredModel() throws Exception {
        String config = "{\"provider\": {\"corp\": {\"protocol\": \"openai-chat\", \"baseUrl\": \"http://127.0.0.1:9/v1\", \"apiKey\": \"k\","
                + " \"models\": {\"big\": {}, \"small\": {}}}}}";
        assertThat(pick(config, Map.of())).contains("corp/big");
        // a catalog provider pointed elsewhere by config keeps the catalog's pick of model, and its variable's key
        String pointed = "{\"provider\": {\"openai\": {\"baseUrl\": \"http://127.0.0.1:9/v1\"}}}";
        assertThat(pick(pointed, Map.of("OPENAI_API_KEY", "sk-1"))).hasValueSatisfying(m -> assertThat(m).startsWith("openai/gpt-"));
    }

    @Test
    void thePickIsTheNewestChatModelOfTheFamilyNeverAnEmbeddingOrImageModel() {
        var models = new LinkedHashMap<String, CatalogModel>();
        models.put("sonnet-old", model("sonnet-old", "claude-sonnet", "2025-01-01", List.of("text"), true, false));
        models.put("sonnet-new", model("sonnet-new", "claude-sonnet", "2026-01-01", List.of("text"), true, false));
        models.put("sonnet-new-20260101", model("sonnet-new-20260101", "claude-sonnet", "2026-01-01", List.of("text"), true, false));
        models.put("sonnet-gone", model("sonnet-gone", "claude-sonnet", "2027-01-01", List.of("text"), true, true));
        models.put("opus", model("opus", "claude-opus", "2028-01-01", List.of("text"), true, false));
        assertThat(DefaultModel.pick(new CatalogProvider("anthropic", "A", "@ai-sdk/anthropic", Optional.empty(), List.of(), models)))
                .contains("sonnet-new");

        var other = new LinkedHashMap<String, CatalogModel>();
        other.put("embed", model("embed", "e", "2029-01-01", List.of("text"), false, false));
        other.put("image", model("image", "i", "2029-01-01", List.of("text", "image"), true, false));
        other.put("chat", model("chat", "c", "2024-01-01", List.of("text"), true, false));
        assertThat(DefaultModel.pick(new CatalogProvider("x", "X", "@ai-sdk/openai-compatible", Optional.empty(), List.of(), other)))
                .contains("chat");
    }

    @Test
    void theCatalogReadsFamiliesDatesModalitiesAndStatus() {
        String json = "{\"p\": {\"id\": \"p\", \"npm\": \"@ai-sdk/openai-compatible\", \"models\": {\"m\": {\"id\": \"m\", \"family\": \"f\","
                + " \"release_date\": \"2026-02-03\", \"status\": \"deprecated\", \"tool_call\": true,"
                + " \"modalities\": {\"input\": [\"text\", \"image\"], \"output\": [\"audio\"]}}}}}";
        CatalogModel m = Catalog.parse(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8))).provider("p").orElseThrow().models().get("m");
        assertThat(m.family()).contains("f");
        assertThat(m.releaseDate()).isEqualTo("2026-02-03");
        assertThat(m.outputs()).containsExactly("audio");
        assertThat(m.deprecated()).isTrue();
        assertThat(m.isChat()).isFalse();
    }

    @Test
    void theErrorNamesTheConfigReadAndTheWaysOut() throws Exception {
        Setup s = sources("{}", Map.of());
        String message = DefaultModel.nothingUsable(s.config(), java.nio.file.Path.of("/home/ana/.config/lathe/lathe.json"));
        assertThat(message).contains("LATHE_CONFIG_CONTENT").contains("/model").contains("--model").contains("ANTHROPIC_API_KEY")
                .contains("lathe auth login");
    }

    @Test
    void withNoConfigFileTheErrorNamesTheGlobalFilesResolvedPath() throws Exception {
        // issue 82: "lathe/lathe.json in $XDG_CONFIG_HOME" left the user to work out where; the path itself is named
        Map<String, String> env = Map.of("HOME", tmp.toString(), "XDG_CONFIG_HOME", tmp.resolve("config").toString(),
                "XDG_DATA_HOME", tmp.resolve("data").toString());
        var paths = LathePaths.fromEnvironment(env);
        Config none = new ConfigLoader(paths, env, tmp.resolve("managed.json")).load(Files.createDirectories(tmp.resolve("q")));
        assertThat(DefaultModel.nothingUsable(none, paths.globalConfig()))
                .contains("no config file; the global one would be " + tmp.resolve("config/lathe/lathe.json")).doesNotContain("$XDG");
    }

    private static CatalogModel model(String id, String family, String date, List<String> outputs, boolean tools, boolean deprecated) {
        return new CatalogModel(id, id, 100_000, 8_000, Pricing.UNKNOWN, false, tools, false, Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.of(family), date, outputs, deprecated);
    }
}
