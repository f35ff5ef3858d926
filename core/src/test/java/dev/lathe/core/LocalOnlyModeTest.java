package dev.lathe.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.lathe.core.config.ConfigLoader;
import dev.lathe.core.config.LathePaths;
import dev.lathe.core.network.BlockedConnections;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.CreateSessionRequest;
import dev.lathe.protocol.api.EventFilter;
import dev.lathe.protocol.api.InputPart;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.api.PromptRequest;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.SessionStatus;
import dev.lathe.protocol.session.ToolState;
import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.PlanAuthServer;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.Turn;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Local-only mode through the whole core as {@code lathe run --local-only} runs it ({@link LatheCore} with
 * {@code LATHE_NETWORK=local}, decision 120): a provider on a non-loopback address, {@code webfetch}, the catalog refresh
 * and a remote MCP server are refused before any connection and each reported once (a {@code network.blocked} event
 * and the file {@code lathe doctor} reads), while a provider on loopback (the fake model) completes the task.
 *
 * <p>Nothing is contacted: the refused addresses are 192.0.2.1 (TEST-NET-1, routed nowhere), and the catalog's URL is a
 * server of this test on loopback that must receive nothing (the refresh is refused whatever its URL: the catalog is
 * never refreshed in local-only mode), which shows the refusal comes before the request, not from a failed one.
 */
class LocalOnlyModeTest {
    private static final String FAR = "192.0.2.1:9";

    @TempDir Path tmp;

    @Test
    void refusesEveryRemoteConnectionAndReportsEachOnceWhileALoopbackModelWorks() throws Exception {
        var catalogHits = new AtomicInteger();
        HttpServer catalog = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        catalog.createContext("/", x -> {
            catalogHits.incrementAndGet();
            x.sendResponseHeaders(500, -1);
            x.close();
        });
        catalog.start();
        try (FakeLlm llm = FakeLlm.start()) {
            Path root = tmp.toRealPath();
            Path project = Files.createDirectories(root.resolve("project"));
            Map<String, String> env = Map.of("HOME", root.toString(), "XDG_DATA_HOME", root.resolve("data").toString(),
                    "XDG_CONFIG_HOME", root.resolve("config").toString(), "XDG_STATE_HOME", root.resolve("state").toString(),
                    "XDG_CACHE_HOME", root.resolve("cache").toString(), "LATHE_NETWORK", "local", "FARAWAY_API_KEY", "k",
                    "LATHE_MODELS_URL", "http://127.0.0.1:" + catalog.getAddress().getPort() + "/api.json");
            var paths = LathePaths.fromEnvironment(env);
            // a catalog a day old (so a refresh is due) listing a provider the config does not name, on a remote address
            Files.createDirectories(paths.cache());
            Path cached = paths.cache().resolve("models.json");
            Files.writeString(cached, "{\"faraway\": {\"id\": \"faraway\", \"npm\": \"@ai-sdk/openai-compatible\", \"api\": \"http://" + FAR
                    + "/v1\", \"env\": [\"FARAWAY_API_KEY\"], \"models\": {\"m\": {\"id\": \"m\", \"limit\": {\"context\": 100000, \"output\": 4000}}}}}");
            Files.setLastModifiedTime(cached, FileTime.from(Instant.now().minus(Duration.ofDays(2))));
            Files.createDirectories(paths.globalConfig().getParent());
            Files.writeString(paths.globalConfig(), "{\"model\": \"local/m\", \"provider\": {\"local\": {\"protocol\": \"openai-chat\", \"baseUrl\": \""
                    + llm.baseUrl() + "\", \"models\": {\"m\": {\"context\": 100000, \"output\": 4000}}}},"
                    + " \"mcp\": {\"far\": {\"type\": \"remote\", \"url\": \"http://" + FAR + "/mcp\"}},"
                    + " \"permission\": {\"webfetch\": \"allow\"}}");
            List<Event.NetworkBlocked> told = new CopyOnWriteArrayList<>();
            try (LatheCore core = LatheCore.open(paths, env, new ConfigLoader(paths, env, root.resolve("managed.json")));
                    AutoCloseable events = core.api().subscribe(EventFilter.ALL, 0, e -> {
                        if (e.event() instanceof Event.NetworkBlocked b) told.add(b);
                    })) {
                // the loopback model completes a task; the page it asks for is refused and the model reads why
                llm.enqueue(Turn.of(Step.toolCall("c1", "webfetch", "{\"url\": \"http://" + FAR + "/page\"}")));
                llm.enqueue(Turn.of(Step.toolCall("c2", "webfetch", "{\"url\": \"http://" + FAR + "/page\"}")));
                llm.enqueue(Turn.of(Step.text("Done without the page.")));
                var session = core.api().createSession(CreateSessionRequest.in(project.toString()));
                core.api().prompt(session.id(), new PromptRequest(List.of(new InputPart.Text("read the page")), Optional.empty(), Optional.empty()));
                awaitIdle(core, session.id());
                List<Part> parts = core.api().messages(session.id()).getLast().parts();
                assertThat(parts).filteredOn(p -> p instanceof Part.Text).extracting(p -> ((Part.Text) p).text()).contains("Done without the page.");
                assertThat(parts).filteredOn(p -> p instanceof Part.Tool).hasSize(2).allSatisfy(p -> assertThat(((Part.Tool) p).state())
                        .isInstanceOfSatisfying(ToolState.Failed.class, f -> assertThat(f.error()).contains("local-only mode", "192.0.2.1")));

                // a provider the config does not name, on a remote address: refused before any request, with the reason
                var other = core.api().createSession(CreateSessionRequest.in(project.toString()));
                assertThatThrownBy(() -> core.api().prompt(other.id(), new PromptRequest(List.of(new InputPart.Text("hi")), Optional.empty(),
                        Optional.of("faraway/m")))).isInstanceOf(LatheException.InvalidInput.class)
                        .hasMessageContaining("local-only mode").hasMessageContaining("provider faraway").hasMessageContaining("baseUrl");

                // the remote MCP server never started; every refusal was told once, and written for `lathe doctor`
                assertThat(core.api().mcp(project.toString())).noneMatch(s -> s.name().equals("far"));
                String catalogRefresh = "|127.0.0.1:" + catalog.getAddress().getPort() + "|catalog refresh";
                List<String> ofProject = List.of(project + "|" + FAR + "|mcp far", project + "|" + FAR + "|webfetch",
                        project + "|" + FAR + "|provider faraway");
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (told.size() < ofProject.size() && System.nanoTime() < deadline) Thread.sleep(10);
                // the refresh was refused as the core opened, before this client subscribed: the file has it
                assertThat(told).extracting(b -> b.folder() + "|" + b.host() + "|" + b.by()).containsExactlyInAnyOrderElementsOf(ofProject);
                var all = new java.util.ArrayList<>(ofProject);
                all.add(catalogRefresh);
                assertThat(BlockedConnections.read(BlockedConnections.fileIn(paths.state()))).extracting(b -> b.folder() + "|" + b.host() + "|" + b.by())
                        .containsExactlyInAnyOrderElementsOf(all);
                assertThat(llm.requests()).hasSize(3);
            }
            assertThat(catalogHits.get()).as("the catalog server was never contacted").isZero();
        } finally {
            catalog.stop(0);
        }
    }

    /**
     * A subscription is held to the same rule (decision 120, second review): the plan's own backend is not a
     * {@code baseUrl} the user wrote, so a signed-in Copilot is refused before any request, even though its token
     * names an endpoint (192.0.2.1 here, which would otherwise be used); a ChatGPT sign-in whose issuer and backend are on
     * loopback (the fake authorization server and the fake model) renews its token and completes the task.
     */
    @Test
    void aSignedInPlanIsRefusedUnlessItsServersAreLoopbackOrWrittenWhileOneOnLoopbackWorks() throws Exception {
        try (FakeLlm llm = FakeLlm.start(); PlanAuthServer auth = new PlanAuthServer()) {
            Path root = tmp.toRealPath();
            Path project = Files.createDirectories(root.resolve("project"));
            Map<String, String> env = environment(root);
            var paths = LathePaths.fromEnvironment(env);
            Files.createDirectories(paths.globalConfig().getParent());
            Files.writeString(paths.globalConfig(), "{\"model\": \"openai/gpt-5.5\", \"provider\": {"
                    + "\"openai\": {\"baseUrl\": \"" + llm.baseUrl().replace("/v1", "") + "/backend-api/codex\", \"oauth\": {\"issuer\": \"" + auth.base + "\"}},"
                    + " \"github-copilot\": {\"oauth\": {\"issuer\": \"" + auth.base + "\", \"api\": \"" + auth.base + "\"}}}}");
            var store = new dev.lathe.core.auth.AuthStore(paths.authFile());
            // ChatGPT's token has expired: it is renewed at the loopback issuer first
            auth.liveRefreshTokens.add("rt-old");
            store.save("openai", new dev.lathe.core.auth.AuthStore.OAuth("at-old", "rt-old", 0, Optional.of(PlanAuthServer.ACCOUNT), Optional.empty()));
            store.save("github-copilot", new dev.lathe.core.auth.AuthStore.OAuth("copilot-1", "gho-user-token",
                    System.currentTimeMillis() + 3_600_000, Optional.empty(), Optional.of("http://" + FAR)));
            List<Event.NetworkBlocked> told = new CopyOnWriteArrayList<>();
            try (LatheCore core = LatheCore.open(paths, env, new ConfigLoader(paths, env, root.resolve("managed.json")));
                    AutoCloseable events = core.api().subscribe(EventFilter.ALL, 0, e -> {
                        if (e.event() instanceof Event.NetworkBlocked b) told.add(b);
                    })) {
                llm.enqueue(Turn.of(Step.text("Done through the plan.")));
                var session = core.api().createSession(CreateSessionRequest.in(project.toString()));
                core.api().prompt(session.id(), new PromptRequest(List.of(new InputPart.Text("hi")), Optional.empty(), Optional.empty()));
                awaitIdle(core, session.id());
                assertThat(core.api().messages(session.id()).getLast().parts()).filteredOn(p -> p instanceof Part.Text)
                        .extracting(p -> ((Part.Text) p).text()).contains("Done through the plan.");
                assertThat(auth.refreshes.get()).isEqualTo(1);
                assertThat(llm.requests()).first().satisfies(r -> assertThat(r.headers()).containsEntry("authorization", "Bearer at-1"));

                var other = core.api().createSession(CreateSessionRequest.in(project.toString()));
                assertThatThrownBy(() -> core.api().prompt(other.id(), new PromptRequest(List.of(new InputPart.Text("hi")), Optional.empty(),
                        Optional.of("github-copilot/gpt-4.1")))).isInstanceOf(LatheException.InvalidInput.class)
                        .hasMessageContaining("local-only mode").hasMessageContaining("provider github-copilot").hasMessageContaining("baseUrl");

                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (told.stream().noneMatch(b -> !b.folder().isEmpty()) && System.nanoTime() < deadline) Thread.sleep(10);
                // (the catalog refresh, the server's own, may be told too: the folder's are what this case is about)
                assertThat(told).filteredOn(b -> !b.folder().isEmpty()).extracting(b -> b.folder() + "|" + b.host() + "|" + b.by())
                        .containsExactly(project + "|api.githubcopilot.com|provider github-copilot");
                assertThat(auth.copilotExchanges.get()).isZero();
                assertThat(llm.requests()).hasSize(1);
            }
        }
    }

    /**
     * A signed-in ChatGPT whose backend the config writes (on loopback) but whose issuer it does not: its token has
     * expired, and local-only mode refuses the renewal at auth.openai.com. Every attempt would meet the same refusal, so
     * the step is made once and the turn ends with why (decision 120, third review), not "after 3 attempts".
     */
    @Test
    void aRenewalLocalOnlyModeRefusesEndsTheTurnAtTheFirstAttempt() throws Exception {
        try (FakeLlm llm = FakeLlm.start()) {
            Path root = tmp.toRealPath();
            Path project = Files.createDirectories(root.resolve("project"));
            Map<String, String> env = environment(root);
            var paths = LathePaths.fromEnvironment(env);
            Files.createDirectories(paths.globalConfig().getParent());
            Files.writeString(paths.globalConfig(), "{\"model\": \"openai/gpt-5.5\", \"provider\": {"
                    + "\"openai\": {\"baseUrl\": \"" + llm.baseUrl().replace("/v1", "") + "/backend-api/codex\"}}}");
            new dev.lathe.core.auth.AuthStore(paths.authFile()).save("openai",
                    new dev.lathe.core.auth.AuthStore.OAuth("at-old", "rt-old", 0, Optional.of(PlanAuthServer.ACCOUNT), Optional.empty()));
            try (LatheCore core = LatheCore.open(paths, env, new ConfigLoader(paths, env, root.resolve("managed.json")))) {
                var session = core.api().createSession(CreateSessionRequest.in(project.toString()));
                core.api().prompt(session.id(), new PromptRequest(List.of(new InputPart.Text("hi")), Optional.empty(), Optional.empty()));
                awaitIdle(core, session.id());
                var answer = core.api().messages(session.id()).getLast();
                assertThat(answer.parts()).as("one attempt: no retry").noneMatch(Part.Retry.class::isInstance);
                assertThat(((dev.lathe.protocol.session.AssistantMessage) answer.info()).error()).hasValueSatisfying(error -> {
                    assertThat(error.kind()).isEqualTo("unreachable");
                    assertThat(error.message()).contains("local-only mode", "sign-in openai", "auth.openai.com", "nothing was sent")
                            .doesNotContain("attempts");
                });
                assertThat(llm.requests()).isEmpty();
            }
        }
    }

    /** {@code POST /auth/openai/sign-in} in local-only mode, with OpenAI's own issuer: refused before a page is shown. */
    @Test
    void aSubscriptionSignInToAServerNobodyWroteDoesNotStart() throws Exception {
        Path root = tmp.toRealPath();
        Path project = Files.createDirectories(root.resolve("project"));
        Map<String, String> env = environment(root);
        var paths = LathePaths.fromEnvironment(env);
        Files.createDirectories(paths.globalConfig().getParent());
        // any free port for the redirect: without the gate the browser flow would only wait there, contacting nobody
        Files.writeString(paths.globalConfig(), "{\"provider\": {\"openai\": {\"oauth\": {\"redirectPort\": 0}}}}");
        try (LatheCore core = LatheCore.open(paths, env, new ConfigLoader(paths, env, root.resolve("managed.json")))) {
            // a refusal by the policy (403), not a server that may answer later (503)
            assertThatThrownBy(() -> core.api().signInProvider(project.toString(), "openai", false)).isInstanceOf(LatheException.Forbidden.class)
                    .hasMessageContaining("local-only mode").hasMessageContaining("sign-in openai").hasMessageContaining("auth.openai.com");
            assertThat(BlockedConnections.read(BlockedConnections.fileIn(paths.state()))).extracting(b -> b.folder() + "|" + b.host() + "|" + b.by())
                    .contains(project + "|auth.openai.com|sign-in openai");
        }
    }

    /**
     * MCP OAuth under local-only mode (decision 120, third review): a loopback MCP server whose authorization server is
     * on loopback signs in ({@code lathe mcp auth}); once its metadata names one on 192.0.2.1, {@code lathe mcp auth} and
     * the server's sign-in are refused before any connection (at once: a connection attempt there would wait out the
     * client's timeout), and an expired token whose token endpoint is there is not refreshed: the server fails to
     * connect, saying why, the sign-in is kept, and the refusal is reported once as {@code mcp near sign-in}.
     */
    @Test
    void anMcpSignInAndItsRefreshReachOnlyLoopbackAuthorizationServers() throws Exception {
        try (var as = new dev.lathe.testkit.LoopbackAuthServer()) {
            Path root = tmp.toRealPath();
            Path project = Files.createDirectories(root.resolve("project"));
            Map<String, String> env = environment(root);
            var paths = LathePaths.fromEnvironment(env);
            Files.createDirectories(paths.globalConfig().getParent());
            Files.writeString(paths.globalConfig(), "{\"mcp\": {\"near\": {\"type\": \"remote\", \"url\": \"" + as.resource + "\"}}}");
            dev.lathe.mcp.oauth.Browser browser = LocalOnlyModeTest::signInAtOnce;

            dev.lathe.core.offline.McpSignIn.signIn(env, project, "near", browser);
            var store = new dev.lathe.mcp.oauth.TokenStore(paths.data());
            assertThat(store.load("near")).as("a loopback authorization server works in local-only mode").isPresent();

            as.namedAuthorizationServer = "http://" + FAR + "/as";
            long started = System.nanoTime();
            assertThatThrownBy(() -> dev.lathe.core.offline.McpSignIn.signIn(env, project, "near", browser))
                    .isInstanceOf(dev.lathe.core.offline.OfflineFailure.class)
                    .hasMessageContaining("local-only mode").hasMessageContaining("mcp near sign-in").hasMessageContaining("192.0.2.1");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
            assertThat(as.registrations.get()).as("the refused sign-in registered no client").isEqualTo(1);

            var stored = store.load("near").orElseThrow();
            store.save("near", new dev.lathe.mcp.oauth.StoredAuth(stored.server(), stored.issuer(), java.net.URI.create("http://" + FAR + "/as/token"),
                    stored.revocationEndpoint(), stored.resource(), stored.client(), stored.accessToken(), stored.refreshToken(),
                    Optional.of(Instant.now().minusSeconds(5)), stored.scope()));
            try (LatheCore core = LatheCore.open(paths, env, new ConfigLoader(paths, env, root.resolve("managed.json")))) {
                for (int attempt = 0; attempt < 2; attempt++) {
                    assertThatThrownBy(() -> core.api().signInMcp(project.toString(), "near")).isInstanceOf(LatheException.InvalidInput.class)
                            .hasMessageContaining("local-only mode").hasMessageContaining("mcp near sign-in").hasMessageContaining("192.0.2.1");
                }
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                Optional<dev.lathe.protocol.api.McpServerInfo> near = Optional.empty();
                while (System.nanoTime() < deadline) {
                    near = core.api().mcp(project.toString()).stream().filter(s -> s.name().equals("near")).findFirst()
                            .filter(s -> s.error().filter(e -> e.contains("local-only mode")).isPresent());
                    if (near.isPresent()) break;
                    Thread.sleep(20);
                }
                assertThat(near).as("the server whose token cannot be refreshed fails to connect, saying why").hasValueSatisfying(s -> {
                    assertThat(s.status()).isEqualTo("failed");
                    assertThat(s.error().orElseThrow()).contains("mcp near sign-in", "192.0.2.1");
                });
                assertThat(BlockedConnections.read(BlockedConnections.fileIn(paths.state()))).filteredOn(b -> !b.folder().isEmpty())
                        .extracting(b -> b.folder() + "|" + b.host() + "|" + b.by()).containsExactly(project + "|" + FAR + "|mcp near sign-in");
            }
            assertThat(store.load("near")).as("kept: nothing said the sign-in is void").isPresent();
            assertThat(as.refreshes.get()).isZero();
        }
    }

    /** The user's browser, already signed in: the authorization server redirects at once to the loopback listener. */
    private static void signInAtOnce(java.net.URI authorizationUrl) {
        try (var browser = java.net.http.HttpClient.newBuilder().followRedirects(java.net.http.HttpClient.Redirect.NORMAL).build()) {
            browser.send(java.net.http.HttpRequest.newBuilder(authorizationUrl).timeout(Duration.ofSeconds(10)).build(),
                    java.net.http.HttpResponse.BodyHandlers.discarding());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * No catalog refresh in these tests (the first test checks it on its own): its background attempt, refused, records
     * the blocked connection in the state folder at a time of its own, which raced the temp folder's deletion in CI.
     */
    private static Map<String, String> environment(Path root) {
        return Map.of("HOME", root.toString(), "XDG_DATA_HOME", root.resolve("data").toString(), "XDG_CONFIG_HOME", root.resolve("config").toString(),
                "XDG_STATE_HOME", root.resolve("state").toString(), "XDG_CACHE_HOME", root.resolve("cache").toString(), "LATHE_NETWORK", "local",
                "LATHE_DISABLE_MODELS_FETCH", "1");
    }

    private static void awaitIdle(LatheCore core, SessionId id) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        do {
            Thread.sleep(10);
            if (System.nanoTime() > deadline) throw new AssertionError("session did not become idle");
        } while (!(core.api().status(id) instanceof SessionStatus.Idle) || core.api().messages(id).size() < 2);
    }
}
