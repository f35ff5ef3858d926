package dev.lathe.core.offline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.core.auth.AuthStore;
import dev.lathe.core.config.LathePaths;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lathe auth list} and {@code logout} beside a subscription's sign-in: the list names the plan, and logout says it
 * forgot the sign-in, not "the key" (a user who signed in with ChatGPT never gave one).
 */
class KeyStoreTest {
    @TempDir Path home;

    @Test
    void aSignInIsListedByItsPlanAndLogoutSaysItForgotTheSignInNotAKey() {
        Map<String, String> env = Map.of("HOME", home.toString());
        var auth = new AuthStore(LathePaths.fromEnvironment(env).authFile());
        auth.save("openai", new AuthStore.OAuth("at-1", "rt-1", 0, Optional.of("acct-1"), Optional.empty()));
        auth.save("openrouter", "sk-or-1");
        var keys = KeyStore.of(env);

        assertThat(keys.sources()).contains(new KeyStore.Source("openai", "ChatGPT Plus/Pro sign-in in " + auth.file()),
                new KeyStore.Source("openrouter", auth.file().toString()));

        assertThat(keys.remove("openai")).contains(new KeyStore.Removed("the ChatGPT Plus/Pro sign-in", true));
        assertThat(keys.remove("openrouter")).contains(new KeyStore.Removed("the key", false));
        assertThat(keys.remove("openai")).isEmpty();
        assertThat(auth.providers()).isEmpty();
    }
}
