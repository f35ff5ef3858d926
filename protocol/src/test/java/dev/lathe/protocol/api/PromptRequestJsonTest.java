package dev.lathe.protocol.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.protocol.wire.WireJson;
import org.junit.jupiter.api.Test;

class PromptRequestJsonTest {
    @Test
    void aPromptWithoutAllowAllLeavesItOutAndReadsBackWithoutIt() {
        String json = WireJson.write(PromptRequest.text("hi"));
        assertThat(json).isEqualTo("{\"parts\":[{\"type\":\"text\",\"text\":\"hi\"}]}");
        assertThat(WireJson.read(json, PromptRequest.class).allowAll()).isFalse();
    }

    @Test
    void allowAllIsWrittenOnlyWhenSetAndReadBack() {
        String json = WireJson.write(PromptRequest.text("hi").allowingAll());
        assertThat(json).isEqualTo("{\"parts\":[{\"type\":\"text\",\"text\":\"hi\"}],\"allowAll\":true}");
        assertThat(WireJson.read(json, PromptRequest.class)).isEqualTo(PromptRequest.text("hi").allowingAll());
        assertThat(WireJson.read("{\"parts\":[{\"type\":\"text\",\"text\":\"hi\"}],\"allowAll\":false}", PromptRequest.class).allowAll()).isFalse();
    }
}
