package dev.lathe.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.protocol.api.TrustInfo;
import dev.lathe.protocol.wire.WireJson;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link TrustJson} reads a folder's trust exactly as the data-binding mapper does. */
class TrustJsonTest {
    private static final TrustInfo.Skipped BASE_URL = new TrustInfo.Skipped("provider-base-url", 2, "lathe.json", List.of("fake", "other \"q\""),
            "skipped 2 provider base URLs from lathe.json (run lathe trust to allow them)");
    private static final TrustInfo.Item HOOK = new TrustInfo.Item("hook", ".claude/settings.json", "PreToolUse", "./check.sh ü", "changed",
            ".claude/settings.json hook PreToolUse: ./check.sh ü", "sha256:ab12");

    @Test
    void readsEveryShapeTheMapperWrites() {
        var untrusted = new TrustInfo("/home/dev/é", false, false, List.of(BASE_URL, new TrustInfo.Skipped("substitution", 0, "a", List.of(), "m")));
        var pending = new TrustInfo("/p", true, true, List.of(), List.of(HOOK, new TrustInfo.Item("mcp", "s", "n", "t", "new", "l")));
        var plain = new TrustInfo("/p", true, false, List.of());
        for (TrustInfo trust : List.of(untrusted, pending, plain)) {
            assertThat(TrustJson.trust(WireJson.write(trust))).isEqualTo(WireJson.read(WireJson.write(trust), TrustInfo.class)).isEqualTo(trust);
        }
    }

    @Test
    void skipsWhatItDoesNotKnowAndRefusesWhatIsNotATrust() {
        var trust = new TrustInfo("/p", false, true, List.of(BASE_URL), List.of(HOOK));
        String withMore = WireJson.write(trust).replaceFirst("\\{", "{\"later\":{\"nested\":[1,{\"x\":true}]},\"flag\":null,")
                .replace("\"hash\":", "\"extra\":[[]],\"hash\":");
        assertThat(TrustJson.trust(withMore)).isEqualTo(trust);
        // an older server sends no pending list: an empty one, as the record's constructor makes it
        assertThat(TrustJson.trust("{\"folder\":\"/p\",\"trusted\":true,\"answered\":false,\"skipped\":[]}")).isEqualTo(new TrustInfo("/p", true, false, List.of()));
        assertThatThrownBy(() -> TrustJson.trust("{\"folder\":\"/p\"}")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TrustJson.trust("[]")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TrustJson.trust("{\"folder\":\"/p\",\"trusted\":\"yes\",\"skipped\":[]}")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TrustJson.trust("{\"folder\":\"/p\",\"skipped\":[{\"kind\":\"k\"}]}")).isInstanceOf(IllegalArgumentException.class);
    }
}
