package dev.lathe.core.subscription;

import dev.lathe.core.auth.AuthStore;
import dev.lathe.core.config.Config;
import dev.lathe.core.config.ConfigLoader;
import dev.lathe.core.config.LathePaths;
import dev.lathe.core.model.CatalogSource;
import dev.lathe.core.model.ModelResolver;
import dev.lathe.core.model.ProviderSources;
import dev.lathe.core.model.ResolvedModel;
import dev.lathe.llm.Cancellation;
import dev.lathe.llm.Content;
import dev.lathe.llm.LlmEvent;
import dev.lathe.llm.LlmMessage;
import dev.lathe.llm.LlmRequest;
import dev.lathe.llm.Protocols;
import dev.lathe.llm.ToolChoice;
import dev.lathe.llm.catalog.Catalog;
import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.PlanAuthServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the subscription tests share: the fake authorization server and backend on loopback, a user's folders under a
 * temporary HOME, the config that points the plans at the fakes, and a request sent through a resolved model.
 */
abstract class PlanTestBed {
    static final Protocols PROTOCOLS = Protocols.standard(HttpClient.newHttpClient());

    @TempDir Path tmp;
    PlanAuthServer auth;
    FakeLlm backend;

    @BeforeEach
    void startFakes() throws Exception {
        auth = new PlanAuthServer();
        backend = FakeLlm.start();
        auth.copilotApi = URI.create(backend.baseUrl());
    }

    @AfterEach
    void stopFakes() {
        auth.close();
        backend.close();
    }

    /** ChatGPT signed in at the fake issuer, its backend the FakeLlm under the ChatGPT path. */
    String chatGptConfig() {
        return "{\"provider\":{\"openai\":{\"baseUrl\":\"" + backend.baseUrl().replace("/v1", "") + "/backend-api/codex\","
                + "\"oauth\":{\"issuer\":\"" + auth.base + "\",\"redirectPort\":0}}}}";
    }

    /** Copilot signed in at the fake GitHub; the token it hands out names the FakeLlm as the plan's API. */
    String copilotConfig() {
        return "{\"provider\":{\"github-copilot\":{\"oauth\":{\"issuer\":\"" + auth.base + "\",\"api\":\"" + auth.base + "\"}}}}";
    }

    static List<LlmMessage> userSaid() { return List.of(LlmMessage.user(List.of(new Content.Text("hi")))); }

    LlmEvent.Finished send(ResolvedModel model) { return send(model, userSaid()); }

    LlmEvent.Finished send(ResolvedModel model, List<LlmMessage> messages) {
        var request = new LlmRequest(model.model().id(), List.of("You are Lathe."), List.of(), messages, 1000, ToolChoice.AUTO,
                Optional.empty(), Optional.of("ses-1"));
        return model.protocol().stream(model.provider(), request, e -> { }, new Cancellation());
    }

    Map<String, String> env(String config) {
        return new HashMap<>(Map.of("HOME", tmp.toString(), "XDG_DATA_HOME", tmp.resolve("data").toString(),
                "XDG_CONFIG_HOME", tmp.resolve("config").toString(), "XDG_STATE_HOME", tmp.resolve("state").toString(),
                "XDG_CACHE_HOME", tmp.resolve("cache").toString(), "LATHE_CONFIG_CONTENT", config));
    }

    Config config(String json) throws Exception {
        Map<String, String> env = env(json);
        return new ConfigLoader(LathePaths.fromEnvironment(env), env, tmp.resolve("managed.json")).load(Files.createDirectories(tmp.resolve("p")));
    }

    AuthStore store() { return new AuthStore(LathePaths.fromEnvironment(env("{}")).authFile()); }

    ModelResolver resolver(Config config) {
        return new ModelResolver(config, PROTOCOLS, new ProviderSources(CatalogSource.of(Catalog.bundled()), store(), env("{}")));
    }
}
