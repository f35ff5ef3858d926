package dev.lathe.llm.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.llm.Pricing;
import dev.lathe.llm.TokenUsage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CatalogTest {
    static final Catalog CATALOG = Catalog.bundled();

    @Test
    void everyProviderOfTheSnapshotLoadsWithItsModelsAndTheLocalServersAreAdded() {
        assertThat(CATALOG.providers()).hasSizeGreaterThanOrEqualTo(147).containsKeys("anthropic", "openai", "openrouter", "groq", "ollama", "lmstudio");
        CatalogProvider anthropic = CATALOG.provider("anthropic").orElseThrow();
        assertThat(anthropic.env()).containsExactly("ANTHROPIC_API_KEY");
        CatalogModel sonnet = anthropic.models().get("claude-sonnet-4-5");
        assertThat(sonnet.context()).isEqualTo(200_000);
        assertThat(sonnet.output()).isPositive();
        assertThat(sonnet.pricing().input()).isEqualTo(3.0);
        assertThat(sonnet.pricing().cacheRead()).isLessThan(sonnet.pricing().input());
        assertThat(CATALOG.provider("openrouter").orElseThrow().models()).containsKey("anthropic/claude-sonnet-4.5");
        long usable = CATALOG.providers().values().stream().filter(p -> WireProtocols.of(p.npm(), Optional.empty()).isPresent()).count();
        assertThat(usable).isGreaterThanOrEqualTo(135);
    }

    @Test
    void packagesMapToWireProtocolsAndDefaultUrls() {
        assertThat(WireProtocols.of("@ai-sdk/anthropic", Optional.empty()).orElseThrow().protocol()).isEqualTo("anthropic-messages");
        assertThat(WireProtocols.of("@ai-sdk/openai", Optional.empty()).orElseThrow().defaultBaseUrl()).contains("https://api.openai.com/v1");
        assertThat(WireProtocols.of("@ai-sdk/openai", Optional.of("completions")).orElseThrow().protocol()).isEqualTo("openai-chat");
        assertThat(WireProtocols.of("@ai-sdk/groq", Optional.empty()).orElseThrow().defaultBaseUrl()).contains("https://api.groq.com/openai/v1");
        assertThat(WireProtocols.of("@ai-sdk/google", Optional.empty()).orElseThrow().protocol()).isEqualTo("gemini");
        assertThat(WireProtocols.of("@ai-sdk/cohere", Optional.empty())).isEmpty();
    }

    @Test
    void theApiShapeWithoutTheWrapperParsesAndGarbageIsRefused() {
        String api = "{\"acme\": {\"id\": \"acme\", \"npm\": \"@ai-sdk/openai-compatible\", \"api\": \"https://acme.example/v1\", \"env\": [\"ACME_KEY\"],"
                + " \"models\": {\"m1\": {\"id\": \"m1\", \"limit\": {\"context\": 1000, \"output\": 100}, \"cost\": {\"input\": 1, \"output\": 2}}}}}";
        Catalog c = Catalog.parse(new ByteArrayInputStream(api.getBytes(StandardCharsets.UTF_8)));
        assertThat(c.provider("acme").orElseThrow().models().get("m1").info().pricing()).isEqualTo(new Pricing(1, 2, 0, 0));
        assertThatThrownBy(() -> Catalog.parse(new ByteArrayInputStream("{\"x\": 1}".getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void costIsPricedPerKindOfTokenInMicroDollars() {
        var pricing = new Pricing(3, 15, 0.3, 3.75);
        // 1,000 uncached input, 500 output, 10,000 cache reads, 2,000 cache writes
        assertThat(pricing.microDollars(new TokenUsage(1_000, 500, 0, 10_000, 2_000))).isEqualTo(3_000 + 7_500 + 3_000 + 7_500);
        assertThat(Pricing.UNKNOWN.microDollars(new TokenUsage(1_000, 500, 0, 0, 0))).isZero();
    }
}
