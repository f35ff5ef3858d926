package dev.lathe.core.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.protocol.api.ModelInfo;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One provider's models are the whole list's entries of that provider, the configured ones and the catalog's alike. */
class ModelsOfProviderTest {
    @TempDir Path tmp;

    @Test
    void aProvidersModelsAreItsEntriesOfTheWholeList() throws Exception {
        try (var h = new Harness(tmp, "", 10)) {
            String dir = h.project.toString();
            List<ModelInfo> all = h.api.models(dir);
            // the configured provider of the harness, and a catalog provider with many models
            assertThat(h.api.models(dir, "fake")).extracting(ModelInfo::ref).containsExactly("fake/m");
            assertThat(h.api.models(dir, "fake").getFirst().context()).isEqualTo(100000);
            List<ModelInfo> anthropic = h.api.models(dir, "anthropic");
            assertThat(anthropic).hasSizeGreaterThan(1).isEqualTo(all.stream().filter(m -> m.provider().equals("anthropic")).toList());
            assertThat(all.size()).isGreaterThan(anthropic.size() + 1);
            assertThat(h.api.models(dir, "no-such-provider")).isEmpty();
        }
    }
}
