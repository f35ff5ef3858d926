package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.ScreenshotAnimations;
import dev.lathe.client.HttpLatheClient;
import dev.lathe.client.ServerEndpoint;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.CreateSessionRequest;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.api.PromptRequest;
import dev.lathe.protocol.api.UpdateSessionRequest;
import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.PostgresCluster;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.TempWorkspace;
import dev.lathe.testkit.Turn;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/**
 * A team server's users (DESIGN §20 "Users", §18 "Team server") on a real {@code lathe serve --store} node over the
 * tests' PostgreSQL: {@code lathe user add} prints a token the database keeps only as a salted hash; two users and an
 * admin, where only a session's owner (or the admin) changes it and everyone watches it; a removed user's token is
 * refused; {@code lathe sessions} names owners; no token reaches a log, a file or an answer other than the one that made
 * it; and the web UI's board (chromium) shows owners and filters to the signed-in user's sessions.
 */
class TeamUsersIT {
    static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir Path tmp;

    @Test
    void twoUsersAndAnAdminOnANodeOverPostgres() throws Exception {
        var cluster = PostgresCluster.shared();
        var db = cluster.newDatabase("team_users");
        try (var llm = FakeLlm.start(); var ws = TempWorkspace.create()) {
            llm.respondWith(r -> Turn.of(Step.text("Noted.")));
            ws.write("notes.txt", "shared notes\n").initGitRepo();
            String dir = ws.path().toString();
            var lathe = new Lathe(tmp.resolve("node"), Lathe.providerConfig("openai-chat", llm.baseUrl(), "sk-team"));
            Files.createDirectories(lathe.home());
            Process serve = lathe.command("serve", "--store", db.url()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(lathe.home().resolve("serve.log").toFile())).start();
            List<String> tokens = new ArrayList<>();
            try {
                ServerEndpoint node = DaemonIT.awaitServer(lathe.serverJson(), serve);
                String alice = addUser(lathe, tokens, "alice");
                String bob = addUser(lathe, tokens, "bob");
                String root = addUser(lathe, tokens, "root", "--admin");
                assertThat(lathe.run("user", "add", "alice").stderr()).contains("exists already");

                var listed = lathe.run("user", "list");
                assertThat(listed.exit()).isZero();
                assertThat(listed.stdout()).containsPattern("alice\\s+no").containsPattern("root\\s+yes").doesNotContain("lathe_u_");

                // the database holds each token's lookup id, salt and hash: never the token or its secret
                String rows = psql(cluster, db, "SELECT name || ' ' || token_id || ' ' || token_salt || ' ' || token_hash FROM account ORDER BY name");
                assertThat(rows.lines()).hasSize(3);
                for (String token : tokens) {
                    String secret = token.substring(token.lastIndexOf('_') + 1);
                    assertThat(rows).doesNotContain(token).doesNotContain(secret);
                }
                assertThat(rows).containsPattern("alice [0-9a-f]{16} [0-9a-f]{32} [0-9a-f]{64}");

                SessionId aliceSession;
                try (var asAlice = HttpLatheClient.connect(node.uri(), alice, Optional.of(dir));
                        var asBob = HttpLatheClient.connect(node.uri(), bob, Optional.of(dir));
                        var asRoot = HttpLatheClient.connect(node.uri(), root, Optional.of(dir))) {
                    aliceSession = asAlice.createSession(CreateSessionRequest.in(dir)).id();
                    asAlice.prompt(aliceSession, PromptRequest.text("take a note"));
                    awaitAnswer(asBob, aliceSession);  // bob watches alice's session
                    SessionId bobSession = asBob.createSession(CreateSessionRequest.in(dir)).id();

                    assertThatThrownBy(() -> asBob.prompt(aliceSession, PromptRequest.text("mine now")))
                            .isInstanceOf(LatheException.Forbidden.class).hasMessageContaining("belongs to 'alice'");
                    assertThatThrownBy(() -> asBob.deleteSession(aliceSession)).isInstanceOf(LatheException.Forbidden.class);
                    assertThatThrownBy(() -> asAlice.updateSession(bobSession, UpdateSessionRequest.title("alice was here")))
                            .isInstanceOf(LatheException.Forbidden.class).hasMessageContaining("belongs to 'bob'");
                    asRoot.updateSession(aliceSession, UpdateSessionRequest.title("Release notes"));
                    asBob.updateSession(bobSession, UpdateSessionRequest.title("Flaky test"));
                    asAlice.updateSession(aliceSession, UpdateSessionRequest.title("Release notes for 2.0"));
                    assertThat(asBob.session(aliceSession).title()).isEqualTo("Release notes for 2.0");

                    // every answer a user sees: no token of anyone's
                    for (String path : List.of("/board", "/owners", "/users", "/sessions", "/me", "/sessions/" + aliceSession.value() + "/messages")) {
                        String body = get(node, root, path);
                        for (String token : tokens) assertThat(body).as(path).doesNotContain(token);
                        assertThat(body).doesNotContain(node.token());
                    }
                    assertThat(get(node, bob, "/owners")).contains("\"" + aliceSession.value() + "\":\"alice\"")
                            .contains("\"" + bobSession.value() + "\":\"bob\"");
                }

                var sessions = lathe.run("sessions", "--dir", dir);
                assertThat(sessions.stdout()).contains("OWNER").containsPattern(aliceSession.value() + ".*alice.*Release notes for 2.0");
                var json = JSON.readTree(lathe.run("sessions", "--dir", dir, "--format", "json").stdout());
                List<String> owners = new ArrayList<>();
                json.forEach(row -> owners.add(row.path("owner").asString()));
                assertThat(owners).as(json.toString()).containsExactlyInAnyOrder("alice", "bob");

                webBoard(node, alice);

                // a removed user's token is refused at once; the session keeps its owner's name
                assertThat(lathe.run("user", "remove", "bob").exit()).isZero();
                assertThat(status(node, bob, "/me")).isEqualTo(401);
                assertThat(status(node, alice, "/me")).isEqualTo(200);
                assertThat(status(node, "lathe_u_0123456789abcdef_notarealsecretatall", "/me")).isEqualTo(401);
                // a new token for alice: the old one stops working
                var rotated = lathe.run("user", "token", "alice");
                assertThat(rotated.exit()).isZero();
                tokens.add(rotated.stdout().strip());
                assertThat(status(node, alice, "/me")).isEqualTo(401);
                assertThat(status(node, rotated.stdout().strip(), "/me")).isEqualTo(200);
            } finally {
                serve.destroy();
                assertThat(serve.waitFor(30, TimeUnit.SECONDS)).isTrue();
            }
            // no token in any log or file the node wrote (server.json holds only the node's own token); the CLI's own
            // stdout, where `lathe user add` prints it for the admin, is the harness's out*.txt and is left out
            String written = everythingWritten(tmp, lathe.home());
            // the secret is what follows lathe_u_<16 hex>_: URL-safe base64, which may itself hold a '_' (cutting at the last
            // one left a letter or two, found in any log)
            for (String token : tokens) assertThat(written).doesNotContain(token).doesNotContain(token.substring("lathe_u_".length() + 16 + 1));
        }
    }

    /** Logs alice's browser in with a code her token asked for: the board names owners and filters to hers. */
    private void webBoard(ServerEndpoint node, String alice) throws Exception {
        try (Chromium chromium = Chromium.launch()) {
            PlaywrightAssertions.setDefaultAssertionTimeout(Chromium.TIMEOUT_MS);
            BrowserContext context = chromium.desktop(1280, 560);
            Page page = WebLogin.login(context, node.url(), alice);
            Locator rows = page.locator("[data-session]");
            PlaywrightAssertions.assertThat(rows).hasCount(2);
            PlaywrightAssertions.assertThat(row(page, "Release notes for 2.0").locator(".cell-owner")).containsText("alice (you)");
            PlaywrightAssertions.assertThat(row(page, "Flaky test").locator(".cell-owner")).hasText("Owner bob");
            Path shots = Files.createDirectories(Path.of(System.getProperty("lathe.docs", "../docs")).resolve("screenshots"));
            page.screenshot(new Page.ScreenshotOptions().setPath(shots.resolve("team-board.png")).setAnimations(ScreenshotAnimations.DISABLED));
            Locator mine = page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("My sessions").setExact(true));
            mine.click();
            PlaywrightAssertions.assertThat(mine).hasAttribute("aria-pressed", "true");
            PlaywrightAssertions.assertThat(rows).hasCount(1);
            PlaywrightAssertions.assertThat(rows.first()).containsText("Release notes for 2.0");
            PlaywrightAssertions.assertThat(page).hasURL(Pattern.compile(".*mine=1.*"));
            page.screenshot(new Page.ScreenshotOptions().setPath(tmp.resolve("team-board-mine.png")).setAnimations(ScreenshotAnimations.DISABLED));
            chromium.closeContexts();
            assertThat(chromium.offLoopbackRequests()).isEmpty();
            assertThat(chromium.pageErrors()).as("console errors: %s", chromium.consoleErrors()).isEmpty();
        }
    }

    private static Locator row(Page page, String title) {
        return page.locator("[data-session]").filter(new Locator.FilterOptions().setHasText(title));
    }

    private static String addUser(Lathe lathe, List<String> tokens, String... args) throws Exception {
        var added = lathe.run(Stream.concat(Stream.of("user", "add"), Stream.of(args)).toArray(String[]::new));
        assertThat(added.exit()).as(added.stderr()).isZero();
        String token = added.stdout().strip();
        assertThat(token).matches("lathe_u_[0-9a-f]{16}_[A-Za-z0-9_-]{43}");
        assertThat(added.stderr()).contains("shown only now").doesNotContain(token);
        tokens.add(token);
        return token;
    }

    private static void awaitAnswer(HttpLatheClient client, SessionId id) throws InterruptedException {
        for (int i = 0; i < 1200; i++) {
            if (client.messages(id).stream().anyMatch(m -> m.parts().stream().anyMatch(p -> p instanceof dev.lathe.protocol.session.Part.Text t
                    && t.text().equals("Noted.")))) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no answer in " + id);
    }

    private static String get(ServerEndpoint node, String token, String path) throws Exception {
        var response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(node.url() + path))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return response.body();
    }

    private static int status(ServerEndpoint node, String token, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(node.url() + path)).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private static String psql(PostgresCluster cluster, PostgresCluster.Database db, String sql) throws Exception {
        Process p = new ProcessBuilder(cluster.binary("psql").toString(), "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-h", cluster.dir().toString(),
                "-p", String.valueOf(cluster.port()), "-U", PostgresCluster.SUPERUSER, "-d", db.name(), "-c", sql).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    private static String everythingWritten(Path dir, Path cliHome) throws java.io.IOException {
        var out = new StringBuilder();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).filter(f -> !f.toString().endsWith(".png"))
                    .filter(f -> !(f.getParent().equals(cliHome) && f.getFileName().toString().matches("out.*\\.txt"))).toList()) {
                try {
                    out.append(Files.readString(f)).append('\n');
                } catch (java.nio.charset.MalformedInputException e) {
                    // binary: not a log
                }
            }
        }
        return out.toString();
    }
}
