package dev.lathe.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.core.auth.AuthStore;
import dev.lathe.core.config.Config;
import dev.lathe.core.config.ConfigLoader;
import dev.lathe.core.config.LathePaths;
import dev.lathe.llm.Protocols;
import dev.lathe.llm.catalog.Catalog;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelResolverTest {
    static final Catalog CATALOG = Catalog.bundled();
    static final Protocols PROTOCOLS = Protocols.standard(HttpClient.newHttpClient());

    @TempDir Path tmp;

    private ModelResolver resolver(String config, Map<String, String> extraEnv) throws Exception {
        Map<String, String> env = new HashMap<>(Map.of("HOME", tmp.toString(), "XDG_DATA_HOME", tmp.resolve("data").toString(),
                "XDG_CONFIG_HOME", tmp.resolve("config").toString(), "XDG_STATE_HOME", tmp.resolve("state").toString(),
                "XDG_CACHE_HOME", tmp.resolve("cache").toString(), "LATHE_CONFIG_CONTENT", config));
        env.putAll(extraEnv);
        var paths = LathePaths.fromEnvironment(env);
        Config c = new ConfigLoader(paths, env, tmp.resolve("managed.json")).load(Files.createDirectories(tmp.resolve("p")));
        return new ModelResolver(c, PROTOCOLS, new ProviderSources(CatalogSource.of(CATALOG), new AuthStore(paths.authFile()), env));
    }

    private AuthStore auth() { return new AuthStore(tmp.resolve("data/lathe/auth.json")); }

    @Test
    void aCatalogProviderIsUsableByIdWithItsEnvironmentKey() throws Exception {
        var r = resolver("{}", Map.of("OPENROUTER_API_KEY", "or-key-123456")).resolve("openrouter/anthropic/claude-sonnet-4.5");

        assertThat(r.provider().protocol()).isEqualTo("openai-chat");
        assertThat(r.provider().baseUrl().toString()).isEqualTo("https://openrouter.ai/api/v1");
        assertThat(r.provider().apiKey().orElseThrow().value()).isEqualTo("or-key-123456");
        assertThat(r.model().id()).isEqualTo("anthropic/claude-sonnet-4.5");
        assertThat(r.model().context()).isGreaterThanOrEqualTo(200_000);
        assertThat(r.model().pricing().input()).isPositive();

        var anthropic = resolver("{}", Map.of("ANTHROPIC_API_KEY", "sk-ant-1234567")).resolve("anthropic/claude-sonnet-4-5");
        assertThat(anthropic.provider().protocol()).isEqualTo("anthropic-messages");
        assertThat(anthropic.provider().baseUrl().toString()).isEqualTo("https://api.anthropic.com/v1");
        var groq = resolver("{}", Map.of("GROQ_API_KEY", "gsk-1234567")).resolve("groq/some-new-model");
        assertThat(groq.provider().baseUrl().toString()).isEqualTo("https://api.groq.com/openai/v1");
        assertThat(groq.model().context()).isEqualTo(ModelResolver.DEFAULT_LIMITS.context());
    }

    @Test
    void localServersNeedNoKeyAndNoConfig() throws Exception {
        var r = resolver("{}", Map.of()).resolve("ollama/qwen3-coder:30b");
        assertThat(r.provider().baseUrl().toString()).isEqualTo("http://127.0.0.1:11434/v1");
        assertThat(r.provider().apiKey()).isEmpty();
        assertThat(r.model().id()).isEqualTo("qwen3-coder:30b");
    }

    @Test
    void keysComeFromConfigThenLoginThenEnvironment() throws Exception {
        Map<String, String> env = Map.of("OPENROUTER_API_KEY", "from-env-1234");
        assertThat(resolver("{}", env).resolve("openrouter/x").provider().apiKey().orElseThrow().value()).isEqualTo("from-env-1234");
        auth().save("openrouter", "from-login-1234");
        assertThat(resolver("{}", env).resolve("openrouter/x").provider().apiKey().orElseThrow().value()).isEqualTo("from-login-1234");
        var configured = resolver("{\"provider\": {\"openrouter\": {\"apiKey\": \"from-config-1234\"}}}", env);
        assertThat(configured.resolve("openrouter/x").provider().apiKey().orElseThrow().value()).isEqualTo("from-config-1234");
    }

    @Test
    void aKeySaysWhereItCameFromAndNeverShowsItself() throws Exception {
        Map<String, String> env = Map.of("OPENROUTER_API_KEY", "from-env-1234");
        var fromEnv = resolver("{}", env).resolve("openrouter/x").provider().apiKey().orElseThrow();
        assertThat(fromEnv.source()).isEqualTo("the variable OPENROUTER_API_KEY");
        auth().save("openrouter", "from-login-1234");
        assertThat(resolver("{}", env).resolve("openrouter/x").provider().apiKey().orElseThrow().source())
                .isEqualTo("the auth store (lathe auth login openrouter)");
        var configured = resolver("{\"provider\": {\"openrouter\": {\"apiKey\": \"from-config-1234\"}}}", env);
        assertThat(configured.resolve("openrouter/x").provider().apiKey().orElseThrow().source()).isEqualTo("config (provider.openrouter.apiKey)");
        assertThat(fromEnv.toString()).doesNotContain("from-env-1234");
    }

    @Test
    void configOverridesACatalogProviderAndKeepsItsPrices() throws Exception {
        var r = resolver("{\"provider\": {\"anthropic\": {\"baseUrl\": \"https://proxy.example/v1\", \"apiKey\": \"k-123456789\","
                + " \"models\": {\"claude-sonnet-4-5\": {\"context\": 100000, \"output\": 1000}}}}}", Map.of()).resolve("anthropic/claude-sonnet-4-5");
        assertThat(r.provider().baseUrl().toString()).isEqualTo("https://proxy.example/v1");
        assertThat(r.provider().protocol()).isEqualTo("anthropic-messages");
        assertThat(r.model().context()).isEqualTo(100_000);
        assertThat(r.model().pricing().input()).isEqualTo(3.0);
    }

    @Test
    void aCompletelyConfiguredProviderIsPricedFromTheCatalogAfterwards() throws Exception {
        var resolver = resolver("{\"provider\": {\"anthropic\": {\"protocol\": \"anthropic-messages\", \"baseUrl\": \"https://proxy.example/v1\","
                + " \"models\": {\"claude-sonnet-4-5\": {\"context\": 100000, \"output\": 1000}}}}}", Map.of());
        var r = resolver.resolve("anthropic/claude-sonnet-4-5");
        assertThat(resolver.pricing(r).output()).isEqualTo(15.0);
    }

    @Test
    void errorsSayWhatToDo() throws Exception {
        var resolver = resolver("{}", Map.of());
        assertThatThrownBy(() -> resolver.resolve("groq/llama-3.3-70b-versatile")).isInstanceOf(ModelException.class)
                .hasMessageContaining("GROQ_API_KEY").hasMessageContaining("lathe auth login groq");
        assertThatThrownBy(() -> resolver.resolve("openrouterr/x")).hasMessageContaining("did you mean").hasMessageContaining("openrouter");
        assertThatThrownBy(() -> resolver.resolve("cohere/command-a")).hasMessageContaining("own API");
        assertThatThrownBy(() -> resolver.resolve("nomodel")).hasMessageContaining("provider/model");
    }

    @Test
    void urlPlaceholdersComeFromTheEnvironment() throws Exception {
        var resolver = resolver("{\"provider\": {\"azure\": {\"protocol\": \"openai-chat\"}}}", Map.of("AZURE_API_KEY", "az-12345678"));
        assertThatThrownBy(() -> resolver.resolve("azure/gpt-4o")).hasMessageContaining("AZURE_RESOURCE_NAME");
        var withName = resolver("{\"provider\": {\"azure\": {\"protocol\": \"openai-chat\"}}}",
                Map.of("AZURE_API_KEY", "az-12345678", "AZURE_RESOURCE_NAME", "acme"));
        assertThat(withName.resolve("azure/gpt-4o").provider().baseUrl().getHost()).isEqualTo("acme.openai.azure.com");
    }

    @Test
    void aReasoningEffortOnACatalogModelKeepsTheCatalogLimitsAndGoesOnTheRequest() throws Exception {
        var r = resolver("{\"provider\": {\"openai\": {\"models\": {\"gpt-5\": {\"reasoningEffort\": \"high\"}}}}}",
                Map.of("OPENAI_API_KEY", "sk-1234567890")).resolve("openai/gpt-5");
        assertThat(r.provider().protocol()).isEqualTo("openai-responses");
        assertThat(r.model().reasoningEffort()).contains(dev.lathe.llm.ReasoningEffort.HIGH);
        assertThat(r.model().context()).isEqualTo(400_000);
        assertThat(r.model().output()).isEqualTo(128_000);
        assertThat(r.model().pricing().input()).isPositive();
    }

    @Test
    void bedrockTakesItsRegionFromTheAwsProfileWhenTheEnvironmentHasNone() throws Exception {
        Files.createDirectories(tmp.resolve(".aws"));
        Files.writeString(tmp.resolve(".aws/config"), "[profile work]\nregion = eu-west-3\n");
        var r = resolver("{}", Map.of("AWS_PROFILE", "work")).resolve("amazon-bedrock/anthropic.claude-sonnet-4-5-20250929-v1:0");
        assertThat(r.provider().protocol()).isEqualTo("bedrock-converse");
        assertThat(r.provider().baseUrl().getHost()).isEqualTo("bedrock-runtime.eu-west-3.amazonaws.com");
        assertThat(resolver("{}", Map.of("AWS_REGION", "ap-south-1")).resolve("amazon-bedrock/x").provider().baseUrl().getHost())
                .isEqualTo("bedrock-runtime.ap-south-1.amazonaws.com");
    }
}
