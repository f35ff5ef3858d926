package dev.lathe.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RelatedProvidersTest {
    /** A slice of the catalog's ids with the traps of the full list: short ids, shared words, shared prefixes. */
    private static final List<String> KNOWN = List.of("302ai", "abliteration-ai", "aihubmix", "amazon-bedrock", "anthropic", "azure",
            "azure-cognitive-services", "deepseek", "fireworks-ai", "google", "google-vertex", "groq", "lmstudio", "minimax", "mistral",
            "nano-gpt", "ollama-cloud", "openai", "opencode", "openrouter", "xai", "zai");

    @Test
    void aMisspellingNamesTheProviderItMisspells() {
        assertThat(RelatedProviders.of("antropic", KNOWN)).containsExactly("anthropic");
        assertThat(RelatedProviders.of("openrouterr", KNOWN)).containsExactly("openrouter");
        assertThat(RelatedProviders.of("deepsek", KNOWN)).containsExactly("deepseek");
        assertThat(RelatedProviders.of("lmstdio", KNOWN)).containsExactly("lmstudio");
    }

    @Test
    void aWordOfAnIdOrItsStartFindsIt() {
        assertThat(RelatedProviders.of("bedrock", KNOWN)).containsExactly("amazon-bedrock");
        assertThat(RelatedProviders.of("google-ai", KNOWN)).containsExactly("google");
        assertThat(RelatedProviders.of("openr", KNOWN)).containsExactly("openrouter");
        assertThat(RelatedProviders.of("azur", KNOWN)).containsExactly("azure", "azure-cognitive-services");
    }

    @Test
    void aModelFamilyNamesItsProvider() {
        assertThat(RelatedProviders.of("claude", KNOWN)).containsExactly("anthropic");
        assertThat(RelatedProviders.of("gemini", KNOWN)).containsExactly("google");
        assertThat(RelatedProviders.of("GPT", KNOWN)).first().isEqualTo("openai");
    }

    @Test
    void shortOrUnrelatedNamesSuggestNothingRatherThanHalfTheCatalog() {
        assertThat(RelatedProviders.of("ai", KNOWN)).isEmpty();
        assertThat(RelatedProviders.of("x", KNOWN)).isEmpty();
        assertThat(RelatedProviders.of("frobnicate", KNOWN)).isEmpty();
        assertThat(RelatedProviders.of("open", KNOWN)).hasSizeLessThanOrEqualTo(RelatedProviders.LIMIT).allMatch(id -> id.startsWith("open"));
    }
}
