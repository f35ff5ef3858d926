package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code lathe models} and {@code lathe auth} as a user runs them. */
class ModelsAndAuthIT {
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final String KEY = "sk-auth-marker-4e8a1b";

    @TempDir Path home;

    @Test
    void modelsListsTheCatalogAndConfiguredProvidersAsJson() throws Exception {
        var lathe = new Lathe(home, Lathe.providerConfig("openai-chat", "http://127.0.0.1:9/v1", "k"));

        var all = lathe.run("models", "--format", "json");
        var one = lathe.run("models", "anthropic");
        var unknown = lathe.run("models", "nosuch");

        assertThat(all.exit()).as(all.stderr()).isZero();
        List<JsonNode> rows = JSON.readTree(all.stdout()).valueStream().toList();
        assertThat(rows.size()).isGreaterThan(3_000);
        assertThat(rows).anySatisfy(r -> {
            assertThat(r.path("provider").asString()).isEqualTo("anthropic");
            assertThat(r.path("model").asString()).isEqualTo("claude-sonnet-4-5");
            assertThat(r.path("context").asInt()).isEqualTo(200_000);
            assertThat(r.path("output").asInt()).isPositive();
        });
        assertThat(rows).anySatisfy(r -> assertThat(r.path("provider").asString() + "/" + r.path("model").asString()).isEqualTo("fake/fake-model"));
        assertThat(one.exit()).isZero();
        assertThat(one.stdout().lines()).isNotEmpty().allSatisfy(l -> assertThat(l).startsWith("anthropic/"));
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.stderr()).contains("unknown provider 'nosuch'");
    }

    @Test
    void loginStoresTheKeyOwnerOnlyListShowsWhereKeysComeFromAndLogoutRemovesIt() throws Exception {
        var lathe = new Lathe(home, "{}").withEnv("GROQ_API_KEY", "gsk-env-value-123");

        var login = lathe.runWithInput(KEY + "\n", "auth", "login", "openrouter");
        var list = lathe.run("auth", "list");
        Path file = home.resolve("data/lathe/auth.json");

        assertThat(login.exit()).as(login.stderr()).isZero();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(Files.readString(file)).contains(KEY);
        assertThat(list.exit()).isZero();
        assertThat(list.stdout()).contains("openrouter\t" + file).contains("groq\t$GROQ_API_KEY");
        assertThat(login.stdout() + login.stderr() + list.stdout() + list.stderr()).doesNotContain(KEY).doesNotContain("gsk-env-value-123");

        var logout = lathe.run("auth", "logout", "openrouter");
        assertThat(logout.exit()).isZero();
        assertThat(Files.readString(file)).doesNotContain(KEY);
        assertThat(lathe.run("auth", "logout", "openrouter").exit()).isEqualTo(2);
        assertThat(lathe.run("auth", "login", "openrouter").exit()).as("no key on stdin").isEqualTo(2);
    }

    @Test
    void aMistypedCommandGetsDidYouMeanAndAnEmptyKeyListSaysSo() throws Exception {
        var lathe = new Lathe(home, "{}");

        var typo = lathe.run("sesions");
        var keys = lathe.run("auth", "list");

        assertThat(typo.exit()).isEqualTo(2);
        assertThat(typo.stderr()).startsWith("lathe: unknown command 'sesions'; did you mean 'lathe sessions'?");
        assertThat(keys.exit()).isZero();
        assertThat(keys.stdout()).isEmpty();
        assertThat(keys.stderr()).contains("no provider keys").contains("lathe auth login PROVIDER");
    }
}
