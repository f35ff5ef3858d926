package dev.lathe.core.info;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.lathe.protocol.RawJson;
import dev.lathe.protocol.api.AgentInfo;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.api.AuthRequest;
import dev.lathe.protocol.api.CommandInfo;
import dev.lathe.protocol.api.CreateSessionRequest;
import dev.lathe.protocol.api.ModelInfo;
import dev.lathe.protocol.api.ProviderInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Agents, commands, models, providers, configuration and keys through the in-process API. */
class ProjectInfoTest {
    static final String ENV_KEY = "gsk-env-secret-424242";
    static final String CONFIG_KEY = "sk-config-secret-777777";
    static final String LOGIN_KEY = "sk-or-login-secret-99";
    static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir Path tmp;
    InfoFixture f;

    @BeforeEach
    void open() throws Exception {
        f = new InfoFixture(tmp, Map.of("GROQ_API_KEY", ENV_KEY));
    }

    @AfterEach
    void close() {
        f.close();
    }

    static LatheException refused(ThrowingCallable call) {
        LatheException e = catchThrowableOfType(LatheException.class, call);
        assertThat(e).as("refused").isNotNull();
        return e;
    }

    JsonNode config() { return JSON.readTree(f.api.config(f.dir()).json()); }

    @Test
    void everyListedAgentStartsASessionAndBuiltinCommandsAreListed() {
        var agents = f.api.agents(f.dir());

        assertThat(agents).extracting(AgentInfo::name, AgentInfo::mode).containsExactly(org.assertj.core.groups.Tuple.tuple("build", "primary"),
                org.assertj.core.groups.Tuple.tuple("plan", "primary"), org.assertj.core.groups.Tuple.tuple("review", "primary"),
                org.assertj.core.groups.Tuple.tuple("explore", "subagent"),
                org.assertj.core.groups.Tuple.tuple("general", "subagent"));
        assertThat(agents).allSatisfy(a -> assertThat(a.description()).isNotBlank());
        assertThat(agents).allSatisfy(a -> assertThat(a.source()).contains("builtin"));
        var parent = f.api.createSession(dev.lathe.protocol.api.CreateSessionRequest.in(f.dir()));
        for (AgentInfo a : agents) {
            var request = new CreateSessionRequest(f.dir(), Optional.empty(), Optional.of(a.name()), Optional.empty(), Optional.empty());
            if (a.mode().equals("subagent")) {
                // a subagent runs in a child session only
                assertThat(refused(() -> f.api.createSession(request)).getMessage()).contains("subagent").contains("build, plan");
                var child = new CreateSessionRequest(f.dir(), Optional.empty(), Optional.of(a.name()), Optional.empty(), Optional.of(parent.id()));
                assertThat(f.api.createSession(child).agent()).isEqualTo(a.name());
            } else {
                assertThat(f.api.createSession(request).agent()).isEqualTo(a.name());
            }
        }
        assertThat(refused(() -> f.api.createSession(new CreateSessionRequest(f.dir(), Optional.empty(), Optional.of("nope"), Optional.empty(),
                Optional.empty()))).getMessage()).isEqualTo("unknown agent 'nope'; available: build, plan, review");
        assertThat(f.api.commands(f.dir())).extracting(CommandInfo::name, CommandInfo::source)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("undo", "builtin"), org.assertj.core.groups.Tuple.tuple("redo", "builtin"),
                        org.assertj.core.groups.Tuple.tuple("compact", "builtin"), org.assertj.core.groups.Tuple.tuple("init", "builtin"),
                        org.assertj.core.groups.Tuple.tuple("review", "builtin"));
    }

    @Test
    void modelsAndProvidersCoverCatalogAndConfigWithWhereKeysComeFrom() throws Exception {
        f.write("lathe.json", """
                {"provider": {"corp": {"protocol": "openai-chat", "baseUrl": "https://llm.example.com/v1", "apiKey": "%s",
                                       "models": {"big": {"context": 64000, "output": 8000}}}}}
                """.formatted(CONFIG_KEY));
        // a provider's base URL from the folder's own config applies once the folder is trusted (TrustInfoTest)
        f.api.setTrust(f.dir(), new dev.lathe.protocol.api.TrustRequest(true));
        f.api.setAuth("openrouter", new AuthRequest(LOGIN_KEY));

        var models = f.api.models(f.dir());
        var providers = f.api.providers(f.dir());

        assertThat(models).extracting(ModelInfo::ref, ModelInfo::context, ModelInfo::output, ModelInfo::keySource)
                .contains(org.assertj.core.groups.Tuple.tuple("local/m", 1000, 100, "not-needed"), org.assertj.core.groups.Tuple.tuple("corp/big", 64000, 8000, "config"));
        assertThat(models).filteredOn(m -> m.provider().equals("openrouter")).allSatisfy(m -> assertThat(m.keySource()).isEqualTo("auth"));
        assertThat(models).filteredOn(m -> m.ref().equals("anthropic/claude-sonnet-4-5")).singleElement()
                .satisfies(m -> assertThat(m.price()).hasValueSatisfying(p -> assertThat(p.input()).isPositive()));
        assertThat(models).filteredOn(m -> m.model().startsWith("text-embedding")).isNotEmpty().allSatisfy(m -> assertThat(m.chat()).isFalse());
        assertThat(models).anySatisfy(m -> assertThat(m.ref()).isEqualTo("anthropic/claude-sonnet-4-5"));
        assertThat(providers).contains(new ProviderInfo("corp", "corp", "openai-chat", "https://llm.example.com/v1", "config", 1));
        assertThat(providers).filteredOn(p -> p.id().equals("groq")).singleElement().satisfies(p -> {
            assertThat(p.keySource()).isEqualTo("env");
            assertThat(p.protocol()).isEqualTo("openai-chat");
            assertThat(p.models()).isPositive();
        });
        assertThat(providers).filteredOn(p -> p.id().equals("openrouter")).singleElement().extracting(ProviderInfo::keySource).isEqualTo("auth");
        assertThat(providers).filteredOn(p -> p.id().equals("ollama")).singleElement().extracting(ProviderInfo::keySource).isEqualTo("not-needed");
        assertThat(providers).filteredOn(p -> p.id().equals("mistral")).singleElement().extracting(ProviderInfo::keySource).isEqualTo("none");
        assertThat(providers).filteredOn(p -> p.id().equals("local")).singleElement().extracting(ProviderInfo::keySource).isEqualTo("not-needed");
        assertThat(providers.toString() + models).doesNotContain(ENV_KEY, CONFIG_KEY, LOGIN_KEY);
    }

    @Test
    void configIsMergedWithEverySecretMasked() throws Exception {
        f.write(".lathe/lathe.json", """
                {"provider": {"corp": {"protocol": "openai-chat", "baseUrl": "https://llm.example.com/v1", "apiKey": "%s",
                                       "headers": {"x-api-key": "%s"}}},
                 "mcp": {"gh": {"type": "local", "command": ["gh-mcp"], "env": {"GITHUB_TOKEN": "ghp_secret_123"}}}}
                """.formatted(CONFIG_KEY, CONFIG_KEY));

        String json = f.api.config(f.dir()).json();

        assertThat(json).doesNotContain(CONFIG_KEY).doesNotContain("ghp_secret_123");
        JsonNode config = JSON.readTree(json);
        assertThat(config.path("model").asString()).as("global layer").isEqualTo("local/m");
        assertThat(config.path("provider").path("corp").path("apiKey").asString()).isEqualTo("***");
        assertThat(config.path("provider").path("corp").path("headers").path("x-api-key").asString()).isEqualTo("***");
        assertThat(config.path("mcp").path("gh").path("env").path("GITHUB_TOKEN").asString()).isEqualTo("***");
        assertThat(config.path("provider").path("local").path("baseUrl").asString()).isEqualTo("http://127.0.0.1:9/v1");
    }

    @Test
    void invalidPatchAnswers422AndLeavesTheFileAsItWas() throws Exception {
        String original = "// ours\n{\n  \"smallModel\": \"local/m\"\n}\n";
        Path file = f.write(".lathe/lathe.json", original);

        LatheException unknownKey = refused(() -> f.api.updateConfig(f.dir(), new RawJson("{\"modle\": \"x/y\"}")));
        LatheException wrongType = refused(() -> f.api.updateConfig(f.dir(), new RawJson("{\"retry\": {\"maxAttempts\": -1}}")));
        LatheException notObject = refused(() -> f.api.updateConfig(f.dir(), new RawJson("[1, 2]")));

        assertThat(unknownKey).isInstanceOf(LatheException.InvalidConfig.class);
        assertThat(unknownKey.code()).isEqualTo("config_invalid");
        assertThat(unknownKey.getMessage()).isEqualTo(file + ":4: modle: unknown key (did you mean 'model'?)");
        assertThat(wrongType).isInstanceOf(LatheException.InvalidConfig.class);
        assertThat(wrongType.getMessage()).startsWith(file + ":5: retry.maxAttempts:");
        assertThat(notObject).isInstanceOf(LatheException.InvalidInput.class);
        assertThat(Files.readString(file)).isEqualTo(original);
        assertThat(f.api.config(f.dir()).json()).doesNotContain("modle");
    }

    @Test
    void validPatchIsWrittenAndTheProjectSeesItAtOnce() throws Exception {
        // the patch lands in the folder's own file, whose provider base URLs apply in a trusted folder only (TrustInfoTest)
        f.api.setTrust(f.dir(), new dev.lathe.protocol.api.TrustRequest(true));
        assertThat(f.api.models(f.dir())).noneMatch(m -> m.provider().equals("corp"));
        String patch = """
                {"model": "corp/big", "provider": {"corp": {"protocol": "openai-chat", "baseUrl": "https://llm.example.com/v1",
                 "apiKey": "%s", "models": {"big": {"context": 64000, "output": 8000}}}}}""".formatted(CONFIG_KEY);

        RawJson answer = f.api.updateConfig(f.dir(), new RawJson(patch));

        Path file = f.project.resolve(".lathe/lathe.json");
        assertThat(Files.readString(file)).contains("\"model\": \"corp/big\"").contains(CONFIG_KEY);
        assertThat(answer.json()).doesNotContain(CONFIG_KEY);
        assertThat(config().path("model").asString()).isEqualTo("corp/big");
        assertThat(f.api.models(f.dir())).filteredOn(m -> m.ref().equals("corp/big")).singleElement()
                .satisfies(m -> assertThat(m.context()).isEqualTo(64000)).satisfies(m -> assertThat(m.sessionDefault()).isTrue());
        assertThat(f.api.createSession(CreateSessionRequest.in(f.dir())).model()).as("new sessions take the new model").isEqualTo("corp/big");

        f.api.updateConfig(f.dir(), new RawJson("{\"model\": null}"));
        assertThat(config().path("model").asString()).as("back to the global layer").isEqualTo("local/m");
        assertThat(Files.readString(file)).doesNotContain("\"model\"");
    }

    @Test
    void authKeysRoundTripInAnOwnerOnlyFileAndBadInputIsRefused() throws Exception {
        f.api.setAuth("openrouter", new AuthRequest("  " + LOGIN_KEY + "\n"));

        Path file = f.paths.authFile();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(Files.readString(file)).contains("\"" + LOGIN_KEY + "\"");
        assertThat(f.api.providers(f.dir())).filteredOn(p -> p.id().equals("openrouter")).singleElement()
                .extracting(ProviderInfo::keySource).isEqualTo("auth");

        f.api.removeAuth("openrouter");

        assertThat(Files.readString(file)).doesNotContain(LOGIN_KEY);
        assertThat(f.api.providers(f.dir())).filteredOn(p -> p.id().equals("openrouter")).singleElement()
                .extracting(ProviderInfo::keySource).isEqualTo("none");
        assertThat(refused(() -> f.api.removeAuth("openrouter"))).isInstanceOf(LatheException.NotFound.class);
        for (String key : new String[] {"", "   ", "two words", "line\nbreak"}) {
            LatheException e = refused(() -> f.api.setAuth("openrouter", new AuthRequest(key)));
            assertThat(e).isInstanceOf(LatheException.InvalidInput.class);
            assertThat(e.getMessage()).doesNotContain("two words");
        }
        for (String provider : new String[] {"../etc", "a/b", "", ".hidden", "x".repeat(65)}) {
            LatheException e = refused(() -> f.api.setAuth(provider, new AuthRequest(LOGIN_KEY)));
            assertThat(e).as(provider).isInstanceOf(LatheException.InvalidInput.class);
            assertThat(e.getMessage()).doesNotContain(LOGIN_KEY);
        }
        f.api.setAuth("llama.cpp", new AuthRequest(LOGIN_KEY));
        assertThat(Files.readString(file)).contains("llama.cpp");
    }

    @Test
    void aBrokenConfigAnswers422() throws Exception {
        // the user answered the trust question when the folder was opened: its files are served (issue 40)
        f.api.setTrust(f.dir(), new dev.lathe.protocol.api.TrustRequest(false));
        Path file = f.write("lathe.json", "{\n  \"model\": 7\n}\n");

        for (ThrowingCallable call : new ThrowingCallable[] {() -> f.api.config(f.dir()), () -> f.api.models(f.dir()),
                () -> f.api.agents(f.dir()), () -> f.api.providers(f.dir())}) {
            LatheException e = refused(call);
            assertThat(e).isInstanceOf(LatheException.InvalidConfig.class);
            assertThat(e.getMessage()).isEqualTo(file + ":2: model: expected a string");
        }
        assertThat(f.api.files(f.dir(), "")).as("files need no configuration").isNotEmpty();
    }
}
