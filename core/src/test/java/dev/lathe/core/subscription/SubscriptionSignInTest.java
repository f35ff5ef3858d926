package dev.lathe.core.subscription;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.core.auth.AuthStore;
import dev.lathe.core.config.Config;
import dev.lathe.core.config.ConfigLoader;
import dev.lathe.core.config.LathePaths;
import dev.lathe.core.model.CatalogSource;
import dev.lathe.core.model.ModelException;
import dev.lathe.core.model.ProviderSources;
import dev.lathe.core.model.ResolvedModel;
import dev.lathe.core.network.BlockedConnections;
import dev.lathe.core.network.NetworkPolicy;
import dev.lathe.core.network.OutboundGate;
import dev.lathe.llm.Cancellation;
import dev.lathe.llm.Content;
import dev.lathe.llm.LlmError;
import dev.lathe.llm.LlmEvent;
import dev.lathe.llm.LlmMessage;
import dev.lathe.llm.LlmRequest;
import dev.lathe.llm.ToolChoice;
import dev.lathe.llm.catalog.Catalog;
import dev.lathe.mcp.oauth.Browser;
import dev.lathe.mcp.oauth.Pkce;
import dev.lathe.testkit.PlanAuthServer;
import dev.lathe.testkit.RecordedRequest;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.Turn;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * ChatGPT Plus/Pro and GitHub Copilot sign-ins against an authorization server and a backend of our own on loopback:
 * PKCE through the loopback redirect, the device codes, a renewal before expiry shared by concurrent sessions, a
 * revoked sign-in asked for again (never retried), and what each plan's backend is sent.
 */
class SubscriptionSignInTest extends PlanTestBed {
    static final PlanSignIn.Pause NO_WAIT = d -> { };

    @Test
    void browserSignInWithPkceAndTheChatGptBackendIsSentTokenAccountAndResponsesPath() throws Exception {
        Config config = config(chatGptConfig());
        var signIn = (ChatGptSignIn) PlanSignIn.of(PlanEndpoints.of(Plan.CHATGPT, config));

        AuthStore.OAuth signedIn = signIn.browser(followingBrowser(), Duration.ofSeconds(20));

        Map<String, String> asked = auth.authorizeQuery;
        assertThat(asked).containsEntry("response_type", "code").containsEntry("client_id", Plan.CHATGPT.clientId())
                .containsEntry("code_challenge_method", "S256").containsEntry("scope", "openid profile email offline_access");
        assertThat(asked.get("redirect_uri")).matches("http://localhost:\\d+/auth/callback");
        // the fake refuses a verifier that does not hash to the challenge; checked here too
        assertThat(Pkce.s256(auth.lastCodeExchange.get("code_verifier"))).isEqualTo(asked.get("code_challenge"));
        assertThat(signedIn.access()).isEqualTo("at-1");
        assertThat(signedIn.accountId()).contains(PlanAuthServer.ACCOUNT);
        assertThat(signedIn.toString()).doesNotContain("at-1").doesNotContain("rt-1");

        store().save("openai", signedIn);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store().file()))).isEqualTo("rw-------");
        ResolvedModel model = resolver(config).resolve("openai/gpt-5.5");
        assertThat(model.protocol()).isInstanceOf(SignedInProtocol.class);
        assertThat(model.provider().apiKey()).as("the session's provider holds no token").isEmpty();
        assertThat(model.model().pricing()).isEqualTo(dev.lathe.llm.Pricing.UNKNOWN);

        backend.enqueue(Turn.of(Step.text("hello from the plan")));
        LlmEvent.Finished finished = send(model);

        assertThat(finished.error()).isEmpty();
        RecordedRequest sent = backend.requests().getFirst();
        assertThat(sent.path()).isEqualTo("/backend-api/codex/responses");
        assertThat(sent.headers()).containsEntry("authorization", "Bearer at-1").containsEntry("chatgpt-account-id", PlanAuthServer.ACCOUNT)
                .containsEntry("openai-beta", "responses=experimental").containsEntry("originator", "lathe").containsEntry("session_id", "ses-1");
        var body = sent.json();
        assertThat(body.path("instructions").asString()).isEqualTo("You are Lathe.");
        assertThat(body.has("max_output_tokens")).isFalse();
        assertThat(body.path("store").asBoolean(true)).isFalse();
        assertThat(body.path("input").toString()).doesNotContain("\"system\"");

        // a model of the API that the plan does not give is refused with the way out
        assertThatThrownBy(() -> resolver(config).resolve("openai/gpt-4o")).isInstanceOf(ModelException.class)
                .hasMessageContaining("not among the models of the ChatGPT Plus/Pro plan").hasMessageContaining("--method api-key");
    }

    @Test
    void deviceCodeSignInPollsUntilEnteredAndExchangesWithTheServersVerifier() throws Exception {
        var signIn = PlanSignIn.of(PlanEndpoints.of(Plan.CHATGPT, config(chatGptConfig())));

        DeviceCode code = signIn.startDevice();
        assertThat(code.verificationUrl()).isEqualTo(URI.create(auth.base + "/codex/device"));
        assertThat(code.userCode()).isEqualTo("WXYZ-1234");
        AuthStore.OAuth signedIn = signIn.finishDevice(code, NO_WAIT);

        assertThat(auth.devicePolls.get()).isEqualTo(2); // one "not yet", then the code
        assertThat(auth.lastCodeExchange).containsEntry("code", "device-code-1").containsEntry("code_verifier", PlanAuthServer.DEVICE_VERIFIER)
                .containsEntry("redirect_uri", auth.base + "/deviceauth/callback");
        assertThat(signedIn.refresh()).isEqualTo("rt-1");
        assertThat(signedIn.accountId()).contains(PlanAuthServer.ACCOUNT);
    }

    @Test
    void aTokenAboutToExpireIsRenewedOnceForConcurrentSessions() throws Exception {
        Config config = config(chatGptConfig());
        auth.liveRefreshTokens.add("rt-old");
        long soon = System.currentTimeMillis() + PlanTokens.MARGIN.toMillis() - 60_000; // inside the margin: renew
        store().save("openai", new AuthStore.OAuth("at-old", "rt-old", soon, Optional.of(PlanAuthServer.ACCOUNT), Optional.empty()));
        var tokens = new PlanTokens(store(), PlanSignIn.of(PlanEndpoints.of(Plan.CHATGPT, config)));

        List<Future<AuthStore.OAuth>> sessions = new ArrayList<>();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 8; i++) sessions.add(pool.submit((Callable<AuthStore.OAuth>) tokens::fresh));
        }
        for (var s : sessions) assertThat(s.get().access()).isEqualTo("at-1");
        assertThat(auth.refreshes.get()).as("single-flight: one renewal for eight sessions").isEqualTo(1);
        assertThat(store().oauth("openai").orElseThrow().refresh()).isEqualTo("rt-1");
        assertThat(store().oauth("openai").orElseThrow().expires()).isGreaterThan(System.currentTimeMillis() + PlanTokens.MARGIN.toMillis());

        // a request then goes out with the renewed token, and a valid one is not renewed again
        backend.enqueue(Turn.of(Step.text("ok")));
        assertThat(send(resolver(config).resolve("openai/gpt-5.5")).error()).isEmpty();
        assertThat(backend.requests().getFirst().headers()).containsEntry("authorization", "Bearer at-1");
        assertThat(auth.refreshes.get()).isEqualTo(1);
    }

    @Test
    void aRefusedRenewalAsksToSignInAgainWithoutCallingTheBackend() throws Exception {
        Config config = config(chatGptConfig());
        // expired, and its refresh token revoked at the server (invalid_grant)
        store().save("openai", new AuthStore.OAuth("at-old", "rt-revoked", System.currentTimeMillis() - 1000, Optional.empty(), Optional.empty()));
        store().save("anthropic", "sk-ant-kept");

        LlmEvent.Finished finished = send(resolver(config).resolve("openai/gpt-5.5"));

        assertThat(finished.error().orElseThrow()).isInstanceOf(LlmError.Unauthorized.class);
        assertThat(finished.error().get().message()).contains("invalid_grant").contains("run `lathe auth login openai`");
        assertThat(backend.requests()).isEmpty();
        assertThat(store().oauth("openai")).as("the dead sign-in is forgotten").isEmpty();
        assertThat(store().key("anthropic")).contains("sk-ant-kept");
    }

    @Test
    void aBackend401WithARevokedSignInFailsOnceAndForgetsIt() throws Exception {
        Config config = config(chatGptConfig());
        store().save("openai", new AuthStore.OAuth("at-revoked", "rt-revoked", System.currentTimeMillis() + 3_600_000,
                Optional.of(PlanAuthServer.ACCOUNT), Optional.empty()));
        backend.respondWith(request -> Turn.httpError(401, "{\"error\":{\"message\":\"token revoked\",\"type\":\"invalid_request_error\"}}", Map.of()));

        LlmEvent.Finished finished = send(resolver(config).resolve("openai/gpt-5.5"));

        assertThat(finished.error().orElseThrow()).isInstanceOf(LlmError.Unauthorized.class);
        assertThat(finished.error().get().message()).contains("token revoked").contains("run `lathe auth login openai`");
        assertThat(backend.requests()).as("no retry").hasSize(1);
        assertThat(auth.refreshes.get()).as("the sign-in was checked once").isEqualTo(1);
        assertThat(store().oauth("openai")).isEmpty();
    }

    @Test
    void aBackend403WhileTheSignInStandsKeepsIt() throws Exception {
        Config config = config(chatGptConfig());
        auth.liveRefreshTokens.add("rt-good");
        store().save("openai", new AuthStore.OAuth("at-good", "rt-good", System.currentTimeMillis() + 3_600_000, Optional.empty(), Optional.empty()));
        backend.respondWith(request -> Turn.httpError(403, "{\"error\":{\"message\":\"model not in your plan\"}}", Map.of()));

        LlmEvent.Finished finished = send(resolver(config).resolve("openai/gpt-5.5"));

        assertThat(finished.error().orElseThrow().message()).contains("model not in your plan").contains("still valid");
        assertThat(backend.requests()).hasSize(1);
        assertThat(store().oauth("openai").orElseThrow().access()).isEqualTo("at-1");
    }

    @Test
    void copilotDeviceFlowThenCopilotTokensExchangedAndRenewed() throws Exception {
        Config config = config(copilotConfig());
        var signIn = PlanSignIn.of(PlanEndpoints.of(Plan.COPILOT, config));

        DeviceCode code = signIn.startDevice();
        assertThat(code.userCode()).isEqualTo("GHCD-0001");
        assertThat(code.verificationUrl()).isEqualTo(URI.create(auth.base + "/login/device"));
        AuthStore.OAuth signedIn = signIn.finishDevice(code, NO_WAIT);
        assertThat(auth.githubPolls.get()).isEqualTo(3); // pending, slow down, the token
        assertThat(signedIn.refresh()).isEqualTo("gho-user-token");
        assertThat(signedIn.access()).isEqualTo("copilot-1");
        assertThat(signedIn.endpoint()).contains(backend.baseUrl());
        store().save("github-copilot", signedIn);

        ResolvedModel model = resolver(config).resolve("github-copilot/gpt-4.1");
        backend.enqueue(Turn.of(Step.text("hi")));
        assertThat(send(model).error()).isEmpty();
        RecordedRequest sent = backend.requests().getFirst();
        assertThat(sent.path()).as("the plan's endpoint from the Copilot token").isEqualTo("/v1/chat/completions");
        assertThat(sent.headers()).containsEntry("authorization", "Bearer copilot-1").containsEntry("copilot-integration-id", "vscode-chat")
                .containsKey("editor-version").containsKey("editor-plugin-version");

        // the Copilot token expires: the next request exchanges the GitHub token again first
        store().save("github-copilot", new AuthStore.OAuth("copilot-1", "gho-user-token", System.currentTimeMillis(), Optional.empty(), signedIn.endpoint()));
        backend.enqueue(Turn.of(Step.text("again")));
        assertThat(send(model).error()).isEmpty();
        assertThat(auth.copilotExchanges.get()).isEqualTo(2);
        assertThat(backend.requests().get(1).headers()).containsEntry("authorization", "Bearer copilot-2");

        // GitHub revokes the token: asked to sign in again, nothing sent
        auth.githubTokenRevoked = true;
        store().save("github-copilot", new AuthStore.OAuth("copilot-2", "gho-user-token", 0, Optional.empty(), signedIn.endpoint()));
        LlmEvent.Finished refused = send(model);
        assertThat(refused.error().orElseThrow().message()).contains("run `lathe auth login github-copilot`");
        assertThat(backend.requests()).hasSize(2);
        assertThat(store().oauth("github-copilot")).isEmpty();
    }

    @Test
    void anUntrustedProjectCannotMoveWhereTheSignInGoes() throws Exception {
        Path project = Files.createDirectories(tmp.resolve("cloned"));
        Files.writeString(project.resolve("lathe.json"), "{\"provider\": {\"openai\": {\"oauth\": {\"issuer\": \"https://auth.openai.com.evil.example\"}}}}");
        Map<String, String> env = env("{}");
        env.remove("LATHE_CONFIG_CONTENT");
        Config untrusted = new ConfigLoader(LathePaths.fromEnvironment(env), env, tmp.resolve("managed.json")).load(project);

        assertThat(PlanEndpoints.of(Plan.CHATGPT, untrusted).issuer()).isEqualTo(URI.create("https://auth.openai.com"));
        assertThat(untrusted.withheld()).extracting(w -> w.kind().id() + " " + w.items()).contains("provider-base-url [openai]");
    }

    @Test
    void aNewBrowserSignInReplacesTheWaitingOneOnItsPortAndABusyPortIsSaidSo() throws Exception {
        int port;
        try (var probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        Config config = config("{\"provider\":{\"openai\":{\"oauth\":{\"issuer\":\"" + auth.base + "\",\"redirectPort\":" + port + "}}}}");
        var endpoints = PlanEndpoints.of(Plan.CHATGPT, config);
        try (var signIns = new PlanSignIns(store(), PlanSignIn::of, PlanSignIn.Pause.SLEEP, Duration.ofSeconds(30), _ -> { })) {
            // the second takes the port the first one listens on: the first lets go of it before the second starts
            for (int i = 0; i < 3; i++) {
                assertThat(signIns.start(endpoints, OutboundGate.OPEN, false).url().toString()).contains("redirect_uri=http%3A%2F%2Flocalhost%3A" + port);
            }
        }
        // another program holds the port: a sign-in cannot start, and says why and what else to do
        try (var other = new java.net.ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress());
                var signIns = new PlanSignIns(store(), PlanSignIn::of, PlanSignIn.Pause.SLEEP, Duration.ofSeconds(30), _ -> { })) {
            assertThatThrownBy(() -> signIns.start(endpoints, OutboundGate.OPEN, false)).isInstanceOf(SignInException.PortBusy.class)
                    .hasMessageContaining("cannot listen on 127.0.0.1:" + port).hasMessageContaining("--device");
        }
    }

    @Test
    void theModelListOfASignedInProviderHoldsThePlansModelsOnly() throws Exception {
        Config config = config(chatGptConfig());
        var sources = new ProviderSources(CatalogSource.of(Catalog.bundled()), store(), env("{}"));
        assertThat(dev.lathe.core.model.KnownModels.listed(config, sources, java.util.Optional.of("openai")))
                .as("with a key only, every model of the catalog").extracting(l -> l.entry().model()).contains("gpt-4o", "gpt-5.5");

        store().save("openai", new AuthStore.OAuth("at-1", "rt-1", System.currentTimeMillis() + 3_600_000, Optional.empty(), Optional.empty()));
        assertThat(dev.lathe.core.model.KnownModels.listed(config, sources, java.util.Optional.of("openai")))
                .extracting(l -> l.entry().model()).contains("gpt-5.5").doesNotContain("gpt-4o");
        assertThat(dev.lathe.core.model.KnownModels.listed(config, sources, java.util.Optional.of("openai")))
                .as("the plan charges nothing per token: no API price is shown").allMatch(l -> l.entry().pricing().equals(dev.lathe.llm.Pricing.UNKNOWN));
    }

    @Test
    void inLocalOnlyModeARenewalOrASignInReachesOnlyLoopbackAndTheServersTheConfigWrites() throws Exception {
        // the issuer is written (and on loopback); the token API is GitHub's default, which nobody wrote
        Config config = config("{\"network\": \"local\", \"provider\":{\"github-copilot\":{\"oauth\":{\"issuer\":\"" + auth.base + "\"}}}}");
        var blocked = BlockedConnections.inMemory();
        var gate = new OutboundGate(NetworkPolicy.of(config), "/p", blocked);
        var endpoints = PlanEndpoints.of(Plan.COPILOT, config);
        try (var offMachine = new OffMachine()) {
            store().save("github-copilot", new AuthStore.OAuth("copilot-old", "gho-user-token", 0, Optional.empty(), Optional.empty()));
            var tokens = new PlanTokens(store(), PlanSignIn.of(endpoints, gate, offMachine.client(), java.time.Clock.systemUTC()));
            assertThatThrownBy(tokens::fresh).isInstanceOf(SignInException.Blocked.class)
                    .hasMessageContaining("local-only mode").hasMessageContaining("sign-in github-copilot").hasMessageContaining("api.github.com");
            assertThat(store().oauth("github-copilot")).as("kept: nothing said it was revoked").isPresent();

            // a sign-in whose end would be refused does not begin: no device code is asked for
            try (var signIns = new PlanSignIns(store(), (e, g) -> PlanSignIn.of(e, g, offMachine.client(), java.time.Clock.systemUTC()), NO_WAIT,
                    Duration.ofSeconds(30), _ -> { })) {
                assertThatThrownBy(() -> signIns.start(endpoints, gate, true)).isInstanceOf(SignInException.Blocked.class)
                        .hasMessageContaining("local-only mode").hasMessageContaining("api.github.com");
            }
            assertThat(auth.githubPolls.get()).isZero();
            assertThat(offMachine.connections()).as("nothing left the machine").isZero();
            assertThat(blocked.all()).extracting(b -> b.by() + " " + b.host()).containsExactly("sign-in github-copilot api.github.com");

            // a server the config writes counts wherever it is: written as the token API, 192.0.2.1 is tried (through
            // the recorder standing in for the world, so nothing leaves the machine here either)
            Config written = config("{\"network\": \"local\", \"provider\":{\"github-copilot\":{\"oauth\":{\"issuer\":\"" + auth.base
                    + "\",\"api\":\"http://192.0.2.1:9\"}}}}");
            var writtenGate = new OutboundGate(NetworkPolicy.of(written), "/p", blocked);
            var viaWritten = new PlanTokens(store(), PlanSignIn.of(PlanEndpoints.of(Plan.COPILOT, written), writtenGate, offMachine.client(),
                    java.time.Clock.systemUTC()));
            assertThatThrownBy(viaWritten::fresh).isInstanceOf(SignInException.class).hasMessageNotContaining("local-only mode");
            assertThat(offMachine.connections()).isPositive();
            assertThat(blocked.all()).hasSize(1);
        }
    }

    @Test
    void inLocalOnlyModeTheEndpointACopilotTokenNamesIsAskedAboutWhenTheRequestIsMade() throws Exception {
        Config config = config("{\"network\": \"local\", \"provider\":{\"github-copilot\":{\"oauth\":{\"issuer\":\"" + auth.base
                + "\",\"api\":\"" + auth.base + "\"}}}}");
        var blocked = BlockedConnections.inMemory();
        var gate = new OutboundGate(NetworkPolicy.of(config), "/p", blocked);
        store().save("github-copilot", new AuthStore.OAuth("copilot-1", "gho-user-token", System.currentTimeMillis() + 3_600_000, Optional.empty(),
                Optional.of("http://192.0.2.1:9")));
        var tokens = new PlanTokens(store(), PlanSignIn.of(PlanEndpoints.of(Plan.COPILOT, config), gate));
        var protocol = new SignedInProtocol(PROTOCOLS.find("openai-chat").orElseThrow(), tokens, false, gate);
        // resolved on loopback; the token's endpoint, not the provider's URL, is where the request would go
        var provider = new dev.lathe.llm.Provider("github-copilot", "openai-chat", URI.create(backend.baseUrl()), Optional.empty(), Map.of(), Map.of());
        var request = new LlmRequest("gpt-4.1", List.of("You are Lathe."), List.of(), List.of(LlmMessage.user(List.of(new Content.Text("hi")))),
                1000, ToolChoice.AUTO, Optional.empty(), Optional.empty());

        LlmEvent.Finished finished = protocol.stream(provider, request, e -> { }, new Cancellation());

        assertThat(finished.error().orElseThrow()).as("refused by the policy: not retried")
                .isInstanceOfSatisfying(LlmError.Unreachable.class, u -> assertThat(u.blocked()).isTrue());
        assertThat(finished.error().get().message()).contains("local-only mode", "provider github-copilot", "192.0.2.1:9", "nothing was sent");
        assertThat(blocked.all()).extracting(b -> b.by() + " " + b.host()).containsExactly("provider github-copilot 192.0.2.1:9");
        assertThat(backend.requests()).isEmpty();
    }

    /**
     * The rest of the world, as an HTTP client sees it: every connection to a host that is not loopback goes to a
     * listener here (as to a proxy), which counts it and hangs up. Loopback stays direct.
     */
    private static final class OffMachine implements AutoCloseable {
        private final java.net.ServerSocket listener = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        private final java.util.concurrent.atomic.AtomicInteger connections = new java.util.concurrent.atomic.AtomicInteger();

        OffMachine() throws java.io.IOException {
            Thread.ofVirtual().start(() -> {
                while (!listener.isClosed()) {
                    try (var socket = listener.accept()) {
                        connections.incrementAndGet();
                    } catch (java.io.IOException closed) {
                        return;
                    }
                }
            });
        }

        int connections() { return connections.get(); }

        HttpClient client() {
            var proxy = new java.net.Proxy(java.net.Proxy.Type.HTTP, listener.getLocalSocketAddress());
            return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).proxy(new java.net.ProxySelector() {
                @Override
                public List<java.net.Proxy> select(URI uri) {
                    return List.of(dev.lathe.core.network.Loopback.is(uri) ? java.net.Proxy.NO_PROXY : proxy);
                }

                @Override
                public void connectFailed(URI uri, java.net.SocketAddress address, java.io.IOException e) { }
            }).build();
        }

        @Override
        public void close() throws java.io.IOException { listener.close(); }
    }

    /** A browser: opens the authorization page, which redirects to the loopback listener, and follows that redirect. */
    private static Browser followingBrowser() {
        return url -> Thread.ofVirtual().start(() -> {
            try (HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build()) {
                HttpResponse<Void> page = client.send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.discarding());
                String location = page.headers().firstValue("Location").orElseThrow().replace("//localhost:", "//127.0.0.1:");
                client.send(HttpRequest.newBuilder(URI.create(location)).build(), HttpResponse.BodyHandlers.discarding());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }


}
