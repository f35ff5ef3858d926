package dev.lathe.llm.gemini;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.llm.Fixtures;
import java.util.List;
import org.junit.jupiter.api.Test;

class PartialArgsTest {
    @Test
    void pathsNameKeysIndexesAndQuotedKeys() {
        assertThat(PartialArgs.path("$.a.b[2]['c d'][\"e\"]")).containsExactly("a", "b", 2, "c d", "e");
        assertThat(PartialArgs.path("$")).isEmpty();
        assertThat(PartialArgs.path("a.b")).isNull();
        assertThat(PartialArgs.path("$.a[-1]")).isNull();
        assertThat(PartialArgs.path("$.a[x]")).isNull();
        assertThat(PartialArgs.path("$..a")).isNull();
    }

    @Test
    void piecesBuildTheArgumentsStringsAppendOthersReplace() {
        var args = new PartialArgs(Fixtures.JSON.createObjectNode());
        for (String piece : List.of(
                "{\"jsonPath\":\"$.items[1].name\",\"stringValue\":\"ba\",\"willContinue\":true}",
                "{\"jsonPath\":\"$.items[1].name\",\"stringValue\":\"nana\"}",
                "{\"jsonPath\":\"$.items[0]\",\"numberValue\":3}",
                "{\"jsonPath\":\"$.done\",\"boolValue\":true}",
                "{\"jsonPath\":\"$.note\",\"nullValue\":null}",
                "{\"jsonPath\":\"$.count\",\"numberValue\":1}",
                "{\"jsonPath\":\"$.count\",\"numberValue\":2}",
                "{\"jsonPath\":\"garbage\",\"stringValue\":\"x\"}")) {
            args.apply(Fixtures.JSON.readTree(piece));
        }
        assertThat(args.json()).isEqualTo(Fixtures.JSON.readTree("{\"items\":[3,{\"name\":\"banana\"}],\"done\":true,\"note\":null,\"count\":2}"));
    }
}
