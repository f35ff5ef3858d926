package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.ScreenshotAnimations;
import dev.lathe.client.HttpLatheClient;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.CreateSessionRequest;
import dev.lathe.protocol.api.PromptRequest;
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
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A team node limited to one session at a time, two users (issue 53, majors 2 and 3). Alice's turn holds the node's
 * one place; bob's {@code lathe run --attach URL --repo …} task waits: it says so once, with its place and why, and
 * {@code /sessions/status} and the board read it {@code queued} ("1 running · 1 queued", never "2 running"). Alice
 * reaches the board from the command line with {@code lathe web --attach URL} and her token, from a HOME where no
 * server runs and none is started; a bad token and an unreachable node get one clear line each. Once alice's turn ends,
 * bob's task runs and exits 0, and the board says "price unknown" for the model the config gives no price.
 */
class TeamQueueWebIT {
    static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir Path tmp;

    @Test
    void aQueuedTaskSaysItWaitsAndTheBoardReachedWithWebAttachShowsItQueued() throws Exception {
        var db = PostgresCluster.shared().newDatabase("team_queue_web");
        var release = new CountDownLatch(1);
        try (var llm = FakeLlm.start(); var ws = TempWorkspace.create()) {
            // alice's turn holds the node's one place until the test lets it end (titles and bob's turn answer at once)
            llm.respondWith(r -> {
                if (r.lastUserText().contains("FIRST") && !r.toolNames().isEmpty()) {
                    try {
                        release.await(180, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return Turn.of(Step.text("Done."));
            });
            ws.write("README.md", "# team\n").initGitRepo();
            Path origin = tmp.resolve("origin.git");
            run(tmp, "git", "clone", "--quiet", "--bare", ws.path().toString(), origin.toString());
            String config = Lathe.providerConfig("openai-chat", llm.baseUrl(), "sk-team");
            try (var team = TeamNode.start(tmp.resolve("node"), config, db.url(), "--max-sessions", "1")) {
                String url = team.endpoint().url();
                String alice = team.addUser("alice");
                String bob = team.addUser("bob");
                String dir = ws.path().toString();
                try (var asAlice = HttpLatheClient.connect(team.endpoint().uri(), alice, Optional.of(dir))) {
                    SessionId first = asAlice.createSession(CreateSessionRequest.in(dir)).id();
                    asAlice.prompt(first, PromptRequest.text("FIRST: take your time"));
                    awaitBusy(asAlice, first);

                    var bobCli = new Lathe(tmp.resolve("bob"), config).withEnv("LATHE_SERVER_TOKEN", bob);
                    Files.createDirectories(bobCli.home());
                    var task = bobCli.start(tmp, "run", "--attach", url, "--repo", origin.toString(), "SECOND: a task");
                    String said = awaitStderr(task, "queued (place 1)");
                    assertThat(said).contains("waiting for a node with room").contains("--max-sessions 1");

                    // the status route lists it, queued with its place and what it waits for, and alice's turn busy
                    JsonNode statuses = getJson(url + "/sessions/status", alice);
                    assertThat(statuses.path(first.value()).path("type").asString()).isEqualTo("busy");
                    JsonNode queued = statuses.properties().stream().map(java.util.Map.Entry::getValue)
                            .filter(s -> s.path("type").asString().equals("queued")).findFirst().orElseThrow(() -> new AssertionError(statuses.toString()));
                    assertThat(queued.path("position").asInt()).isEqualTo(1);
                    assertThat(queued.path("waitsFor").asString()).contains("a node with room");

                    // lathe web with a user's token and no node named: no private server is started in that HOME
                    var aliceCli = new Lathe(tmp.resolve("alice"), config).withEnv("LATHE_SERVER_TOKEN", alice);
                    Files.createDirectories(aliceCli.home());
                    var unnamed = aliceCli.run("web", "--print-url");
                    assertThat(unnamed.exit()).as(unnamed.stderr()).isEqualTo(2);
                    assertThat(unnamed.stderr()).contains("lathe web --attach URL").doesNotContain("Exception");
                    assertThat(aliceCli.serverJson()).doesNotExist();
                    // a token the node does not know, a node that is not there: one line each, the user's words
                    var badToken = new Lathe(tmp.resolve("alice"), config).withEnv("LATHE_SERVER_TOKEN", "lathe_u_0123456789abcdef_nope")
                            .run("web", "--attach", url, "--print-url");
                    assertThat(badToken.exit()).isEqualTo(2);
                    assertThat(badToken.stderr()).contains("refused the token in LATHE_SERVER_TOKEN").doesNotContain("Exception").doesNotContain("\tat ");
                    var nowhere = aliceCli.run("web", "--attach", "http://127.0.0.1:1", "--print-url");
                    assertThat(nowhere.exit()).isEqualTo(2);
                    assertThat(nowhere.stderr()).contains("cannot reach the team node at http://127.0.0.1:1").doesNotContain("\tat ");
                    // named: a login of alice's on that node
                    var web = aliceCli.run("web", "--attach", url, "--print-url");
                    assertThat(web.exit()).as(web.stderr()).isEqualTo(0);
                    assertThat(web.stdout().strip()).startsWith(url + "/login?code=").doesNotContain("\n");
                    assertThat(aliceCli.serverJson()).doesNotExist();

                    try (Chromium chromium = Chromium.launch()) {
                        PlaywrightAssertions.setDefaultAssertionTimeout(Chromium.TIMEOUT_MS);
                        BrowserContext context = chromium.desktop(1280, 800);
                        Page page = context.newPage();
                        page.navigate(web.stdout().strip());
                        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Log in").setExact(true)).click();
                        PlaywrightAssertions.assertThat(page.getByRole(AriaRole.STATUS, new Page.GetByRoleOptions().setName("Connection").setExact(true)))
                                .hasText("live");
                        PlaywrightAssertions.assertThat(page.locator(".owner-mine")).not().hasCount(0);  // signed in as alice
                        Locator queuedRow = page.locator("li.row[data-row-status='queued']");
                        PlaywrightAssertions.assertThat(queuedRow).hasCount(1);
                        PlaywrightAssertions.assertThat(queuedRow.locator(".badge")).hasText("queued");
                        PlaywrightAssertions.assertThat(queuedRow.locator(".note-queued")).containsText("Place 1 in the queue: waiting for a node with room");
                        PlaywrightAssertions.assertThat(page.locator("li.row[data-row-status='busy']")).hasCount(1);
                        PlaywrightAssertions.assertThat(page.locator(".page-head .page-sub")).containsText("1 running · 1 queued");
                        Path shots = Files.createDirectories(Path.of(System.getProperty("lathe.docs", "../docs")).resolve("screenshots"));
                        page.screenshot(new Page.ScreenshotOptions().setPath(shots.resolve("team-queued.png")).setAnimations(ScreenshotAnimations.DISABLED));

                        // alice's turn ends: bob's task runs, its run exits with its turn's code
                        release.countDown();
                        assertThat(task.awaitExit()).as(task.stderr()).isEqualTo(0);
                        assertThat(task.stderr().split("queued \\(place", -1)).as("said once").hasSize(2);
                        PlaywrightAssertions.assertThat(page.locator("li.row[data-row-status='queued']")).hasCount(0);
                        // the fake model has no price: its tokens were counted, its cost is not known
                        PlaywrightAssertions.assertThat(page.locator("li.row[data-session='" + first.value() + "'] .cell-cost")).hasText("price unknown");
                        page.screenshot(new Page.ScreenshotOptions().setPath(tmp.resolve("after.png")).setAnimations(ScreenshotAnimations.DISABLED));
                        chromium.closeContexts();
                        assertThat(chromium.pageErrors()).isEmpty();
                        // a page load before and after the login asks nothing the server refuses
                        assertThat(chromium.consoleErrors()).as("console errors").isEmpty();
                    }
                } finally {
                    release.countDown();
                }
            }
        }
    }

    private static void awaitBusy(HttpLatheClient client, SessionId id) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < end) {
            if (client.status(id) instanceof dev.lathe.protocol.session.SessionStatus.Busy) return;
            Thread.sleep(100);
        }
        throw new AssertionError("alice's turn did not start");
    }

    private static String awaitStderr(Lathe.Started run, String text) throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < end) {
            String err = run.stderr();
            if (err.contains(text)) return err;
            if (!run.process().isAlive()) throw new AssertionError("the run ended first: " + err);
            Thread.sleep(100);
        }
        throw new AssertionError("the run never said it waits: " + run.stderr());
    }

    private static JsonNode getJson(String url, String token) throws Exception {
        var response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static void run(Path dir, String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) throw new AssertionError(String.join(" ", command) + ": " + out);
    }
}
