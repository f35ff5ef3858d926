package dev.lathe.run.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.protocol.api.ModelInfo;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code lathe run --model} with an id its provider's list lacks: sent as given, with a "did you mean". */
class ModelCheckTest {
    private static ModelInfo model(String provider, String id) {
        return new ModelInfo(provider, id, 200_000, 8_192, id, true, "env", Optional.empty(), false, false, "");
    }

    private static final Map<String, List<ModelInfo>> KNOWN = Map.of(
            "anthropic", List.of(model("anthropic", "claude-sonnet-4-5"), model("anthropic", "claude-opus-4-1"), model("anthropic", "claude-haiku-4-5")),
            "fake", List.of(model("fake", "fake-model")));

    private static Optional<String> check(String ref) {
        return ModelCheck.warning(ref, p -> KNOWN.getOrDefault(p, List.of()));
    }

    @Test
    void aMistypedIdIsNamedWithWhatWasMeant() {
        assertThat(check("fake/fake-modl")).hasValue("fake/fake-modl is not a model Lathe knows for fake; did you mean fake/fake-model? Sent as given.");
        assertThat(check("anthropic/claude-sonet-4-5")).hasValueSatisfying(w -> assertThat(w).contains("did you mean anthropic/claude-sonnet-4-5"));
        assertThat(check("anthropic/gpt-5")).hasValue("anthropic/gpt-5 is not a model Lathe knows for anthropic (lathe models anthropic lists them). Sent as given.");
    }

    @Test
    void aKnownIdAProviderWithoutAListAndNoProviderSayNothing() {
        assertThat(check("anthropic/claude-sonnet-4-5")).isEmpty();
        assertThat(check("openrouter/some/new-model")).as("nothing known of the provider").isEmpty();
        assertThat(check("fake-model")).as("no provider named").isEmpty();
    }
}
