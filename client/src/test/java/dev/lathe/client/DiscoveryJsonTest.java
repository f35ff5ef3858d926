package dev.lathe.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DiscoveryJsonTest {
    private static byte[] utf8(String s) { return s.getBytes(StandardCharsets.UTF_8); }

    @Test
    void readsTheFourFieldsAndSkipsUnknownOnes() {
        assertThat(DiscoveryJson.endpoint(utf8("{\"extra\":{\"url\":1,\"a\":[{}]},\"url\":\"http://127.0.0.1:4096\",\"token\":\"t\\u00e9\","
                + "\"pid\":42,\"later\":[1,\"x\"],\"version\":\"0.1.0\"}")))
                .contains(new ServerEndpoint("http://127.0.0.1:4096", "té", 42, "0.1.0"));
        // the managed policy the server enforces (decision 552); an older server's file has none
        assertThat(DiscoveryJson.endpoint(utf8("{\"url\":\"http://x\",\"token\":\"t\",\"pid\":42,\"version\":\"1\",\"managed\":\"/etc/lathe/managed.json\"}")))
                .contains(new ServerEndpoint("http://x", "t", 42, "1", "/etc/lathe/managed.json"));
    }

    @Test
    void aMissingOrIllTypedFieldMeansNothing() {
        assertThat(DiscoveryJson.endpoint(utf8("{\"url\":\"http://x\",\"token\":\"t\",\"version\":\"1\"}"))).isEmpty();
        assertThat(DiscoveryJson.endpoint(utf8("{\"url\":\"http://x\",\"token\":\"t\",\"pid\":\"42\",\"version\":\"1\"}"))).isEmpty();
        assertThat(DiscoveryJson.endpoint(utf8("{\"url\":{\"a\":1},\"token\":\"t\",\"pid\":42,\"version\":\"1\"}"))).isEmpty();
        assertThat(DiscoveryJson.endpoint(utf8("{\"url\":\"http://x\",\"token\":null,\"pid\":42,\"version\":\"1\"}"))).isEmpty();
        assertThat(DiscoveryJson.endpoint(utf8("{\"url\":\"http://x\",\"token\":\"t\",\"pid\":42,\"version\":\"1\""))).isEmpty();
        assertThat(DiscoveryJson.endpoint(utf8("[1]"))).isEmpty();
        assertThat(DiscoveryJson.endpoint(utf8(""))).isEmpty();
    }

    @Test
    void healthyOnlyWhenTheFieldIsTrue() {
        assertThat(DiscoveryJson.isHealthy(utf8("{\"version\":\"0.1.0\",\"checks\":{\"healthy\":false},\"healthy\":true}"))).isTrue();
        assertThat(DiscoveryJson.isHealthy(utf8("{\"healthy\":false}"))).isFalse();
        assertThat(DiscoveryJson.isHealthy(utf8("{\"healthy\":\"true\"}"))).isFalse();
        assertThat(DiscoveryJson.isHealthy(utf8("{\"version\":\"0.1.0\"}"))).isFalse();
        assertThat(DiscoveryJson.isHealthy(utf8("<html>"))).isFalse();
    }
}
