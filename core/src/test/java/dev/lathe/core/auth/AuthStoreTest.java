package dev.lathe.core.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuthStoreTest {
    @TempDir Path tmp;

    @Test
    void keysAreSavedOwnerOnlyAndRemoved() throws Exception {
        var store = new AuthStore(tmp.resolve("data/auth.json"));
        store.save("openai", "sk-one");
        store.save("groq", "gsk-two");

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store.file()))).isEqualTo("rw-------");
        assertThat(new AuthStore(store.file()).key("openai")).contains("sk-one");
        assertThat(store.providers()).containsExactly("groq", "openai");
        assertThat(store.toString()).doesNotContain("sk-one");

        assertThat(store.remove("openai")).isTrue();
        assertThat(store.remove("openai")).isFalse();
        assertThat(store.key("openai")).isEmpty();
        assertThat(store.key("groq")).contains("gsk-two");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store.file()))).isEqualTo("rw-------");
        try (var files = Files.list(store.file().getParent())) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("auth.json");
        }
    }
}
