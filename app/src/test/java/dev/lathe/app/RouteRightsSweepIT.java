package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.PostgresCluster;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.TempWorkspace;
import dev.lathe.testkit.Turn;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * DESIGN §24 "Every route declared once", swept on a real team node ({@code lathe serve --store} over the tests'
 * PostgreSQL) with real users: every route the node declares (read from its own {@code GET /doc}, which is made from the
 * route table) is called with no credential, with another user's token, with a replaced token, with a web login and a
 * login code made before the token was replaced; path parameters name another user's real session, ask and worktree.
 * Any 2xx where the thing is not the caller's fails. Then the identity bugs of issue 52 one by one: an import that hangs
 * under another user's session, and {@code lathe run --attach} to the local node with a user's token.
 */
class RouteRightsSweepIT {
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();

    @TempDir static Path tmp;
    static FakeLlm llm;
    static TempWorkspace ws;
    static TeamNode node;
    static String config;
    static String dir;

    @BeforeAll
    static void start() throws Exception {
        var db = PostgresCluster.shared().newDatabase("route_rights");
        llm = FakeLlm.start();
        // a prompt saying ASK runs bash (which asks: a pending ask of its owner's), anything else is answered in words
        llm.respondWith(r -> r.body().contains("ASK") && r.toolResult("call_ask").isEmpty()
                ? Turn.of(Step.toolCall("call_ask", "bash", "{\"command\": \"echo asked\"}")) : Turn.of(Step.text("Noted.")));
        ws = TempWorkspace.create();
        ws.write("notes.txt", "shared notes\n").initGitRepo();
        dir = ws.path().toString();
        String provider = Lathe.providerConfig("openai-chat", llm.baseUrl(), "sk-team");
        config = provider.substring(0, provider.length() - 1) + ", \"permission\": {\"bash\": \"ask\"}}";
        node = TeamNode.start(tmp.resolve("node"), config, db.url());
    }

    @AfterAll
    static void stop() throws Exception {
        if (node != null) node.close();
        if (ws != null) ws.close();
        if (llm != null) llm.close();
    }

    @Test
    void everyDeclaredRouteRefusesWhatIsNotTheCallers() throws Exception {
        String alice = node.addUser("alice");
        String bob = node.addUser("bob");
        String carol = node.addUser("carol");

        // alice's things: a session with a pending ask, and a session in a worktree of hers
        String session = id(send(alice, "POST", "/sessions", "{\"directory\": " + quoted(dir) + "}"), 201);
        String inTree = id(send(alice, "POST", "/sessions", "{\"directory\": " + quoted(dir) + ", \"worktree\": {\"name\": \"alices-tree\"}}"), 201);
        assertThat(send(alice, "POST", "/sessions/" + session + "/prompt", "{\"parts\": [{\"type\": \"text\", \"text\": \"ASK\"}]}").statusCode())
                .isEqualTo(202);
        String ask = awaitAsk(session);

        // carol's credentials of before her token was replaced: the token, a web login, a login code not yet used
        Credential cookie = webLogin(carol);
        String code = loginCode(carol);
        var rotated = send(node.endpoint().token(), "POST", "/users/carol/token", "");
        assertThat(rotated.statusCode()).as(rotated.body()).isEqualTo(200);

        Map<String, Credential> stale = new LinkedHashMap<>();
        stale.put("no credential", Credential.NONE);
        stale.put("carol's replaced token", Credential.bearer(carol));
        stale.put("carol's web login of before her new token", cookie);

        Map<String, String> params = Map.of("id", session, "name", "alices-tree", "requestId", "edit_" + "0".repeat(20), "provider", "openai", "processId", "bg_1");
        JsonNode paths = JSON.readTree(send(alice, "GET", "/doc", null).body()).path("paths");
        List<String> wrong = new ArrayList<>();
        int swept = 0;
        for (var path : paths.properties()) {
            for (var op : path.getValue().properties()) {
                String method = op.getKey().toUpperCase(java.util.Locale.ROOT);
                String rights = op.getValue().path("x-lathe-rights").asString();
                if (rights.isEmpty()) wrong.add(method + " " + path.getKey() + " names no rights in the document");
                if (rights.equals("public")) continue;
                swept++;
                String template = path.getKey();
                // the ask's and the question's ids are alice's ask (the question route then names no question of anyone)
                Map<String, String> filled = new LinkedHashMap<>(params);
                if (template.startsWith("/permissions/") || template.startsWith("/questions/")) filled.put("id", ask);
                if (template.startsWith("/users/")) filled.put("name", "alice");
                String url = fill(template, filled) + "?directory=" + URLEncoder.encode(dir, StandardCharsets.UTF_8);
                for (var who : stale.entrySet()) {
                    int status = status(who.getValue(), method, url);
                    if (status != 401) wrong.add(method + " " + template + " with " + who.getKey() + ": " + status + " (not 401)");
                }
                // bob may read and watch (everyone's on a team server) and make his own; nothing of alice's or the node's:
                // what the table protects, and whatever changes a thing the path names (each is alice's, or the node's)
                boolean changesANamedThing = !method.equals("GET") && template.contains("{");
                if (!rights.equals("any-user") || changesANamedThing) {
                    int status = status(Credential.bearer(bob), method, url);
                    if (status >= 200 && status < 300) wrong.add(method + " " + template + " (" + rights + ") by bob on alice's: " + status);
                }
            }
        }
        assertThat(swept).isGreaterThan(60);
        assertThat(wrong).as("routes that answered a caller who is not the owner").isEmpty();

        // nothing of alice's moved: her worktree, her sessions and her ask are where they were
        assertThat(Files.isDirectory(ws.path().resolve(".lathe/worktrees/alices-tree"))).as("alice's worktree").isTrue();
        assertThat(send(alice, "GET", "/sessions/" + inTree, null).statusCode()).isEqualTo(200);
        assertThat(send(alice, "GET", "/permissions", null).body()).contains(ask);
        // the login code made with carol's old token opens nothing, as a page or a post
        assertThat(HTTP.send(HttpRequest.newBuilder(URI.create(node.endpoint().url() + "/login?code=" + code)).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).as("the login page of an old code").isEqualTo(401);
        assertThat(redeem(code).statusCode()).as("an old login code traded for a web login").isEqualTo(401);
        // her worktree is hers to end (it holds no change: it goes), and the owner still answers her ask
        var ended = send(alice, "POST", "/worktrees/alices-tree/end?directory=" + URLEncoder.encode(dir, StandardCharsets.UTF_8), "");
        assertThat(ended.statusCode()).as(ended.body()).isEqualTo(200);
        assertThat(send(alice, "POST", "/permissions/" + ask + "/reply", "{\"reply\": \"reject\"}").statusCode()).isEqualTo(200);
    }

    @Test
    void aWorktreeNoSessionRanInYetIsNotAnotherUsersToEnd() throws Exception {
        String ivy = node.addUser("ivy");
        String jack = node.addUser("jack");
        // a client makes the worktree first and the session second: in between, it is nobody's but its maker's
        var made = send(ivy, "POST", "/worktrees", "{\"name\": \"ivys-tree\", \"directory\": " + quoted(dir) + "}");
        assertThat(made.statusCode()).as(made.body()).isBetween(200, 201);
        Path tree = ws.path().resolve(".lathe/worktrees/ivys-tree");
        assertThat(Files.isDirectory(tree)).as("ivy's worktree").isTrue();
        String query = "?directory=" + URLEncoder.encode(dir, StandardCharsets.UTF_8);
        for (String directory : List.of(dir, dir + "/", dir + "/.", tree.toString())) {
            var ended = send(jack, "POST", "/worktrees/ivys-tree/end?directory=" + URLEncoder.encode(directory, StandardCharsets.UTF_8), "");
            assertThat(ended.statusCode()).as("jack ending ivy's fresh worktree with directory " + directory + ": " + ended.body()).isEqualTo(403);
        }
        assertThat(Files.isDirectory(tree)).as("ivy's worktree after jack's tries").isTrue();
        // an admin still may (what a crashed client leaves behind)
        assertThat(send(node.endpoint().token(), "POST", "/worktrees/ivys-tree/end" + query, "").statusCode()).isEqualTo(200);
    }

    @Test
    void aWebLoginAndALoginCodeEndWithTheTokenTheyWereMadeWith() throws Exception {
        String dave = node.addUser("dave");
        Credential login = webLogin(dave);
        String code = loginCode(dave);
        assertThat(status(login, "GET", "/me")).isEqualTo(200);
        String fresh = JSON.readTree(send(node.endpoint().token(), "POST", "/users/dave/token", "").body()).path("token").asString();
        assertThat(status(login, "GET", "/me")).as("the web login made with dave's old token").isEqualTo(401);
        assertThat(redeem(code).statusCode()).as("the login code made with dave's old token").isEqualTo(401);
        // the new token makes logins that work
        assertThat(status(webLogin(fresh), "GET", "/me")).isEqualTo(200);
        // a removed account's logins end too
        Credential again = webLogin(fresh);
        assertThat(send(node.endpoint().token(), "DELETE", "/users/dave", null).statusCode()).isEqualTo(200);
        assertThat(status(again, "GET", "/me")).isEqualTo(401);
    }

    @Test
    void aSessionMayHangOnlyUnderTheCallersOwnAndAnImportReplacesOnlyTheCallersOwn() throws Exception {
        String erin = node.addUser("erin");
        String frank = node.addUser("frank");
        String erins = id(send(erin, "POST", "/sessions", "{\"directory\": " + quoted(dir) + "}"), 201);
        String franks = id(send(frank, "POST", "/sessions", "{\"directory\": " + quoted(dir) + "}"), 201);

        // frank's own session exported, given a new id and erin's session as its parent
        JsonNode export = JSON.readTree(send(frank, "GET", "/sessions/" + franks + "/export", null).body());
        String adopted = export.toString().replace(franks, "ses_00000000000000000abcdefghij")
                .replace("\"parentId\":null", "\"parentId\":\"" + erins + "\"");
        if (!adopted.contains("\"parentId\":\"" + erins)) adopted = adopted.replaceFirst("\"session\":\\{", "\"session\":{\"parentId\":\"" + erins + "\",");
        var imported = send(frank, "POST", "/sessions/import", adopted);
        assertThat(imported.statusCode()).as("an import under erin's session: " + imported.body()).isEqualTo(403);
        assertThat(imported.body()).contains("belongs to 'erin'");
        // erin's own session, exported and imported back by frank: it would replace hers
        String erinsExport = send(frank, "GET", "/sessions/" + erins + "/export", null).body();
        assertThat(send(frank, "POST", "/sessions/import", erinsExport).statusCode()).as("an import over erin's session").isEqualTo(403);
        // a new session of frank's under erin's
        var child = send(frank, "POST", "/sessions", "{\"directory\": " + quoted(dir) + ", \"parentId\": \"" + erins + "\"}");
        assertThat(child.statusCode()).as("a child of erin's session made by frank: " + child.body()).isEqualTo(403);
        assertThat(send(erin, "GET", "/sessions/" + erins + "/children", null).body()).isEqualTo("[]");
        // under his own it works
        assertThat(send(frank, "POST", "/sessions", "{\"directory\": " + quoted(dir) + ", \"parentId\": \"" + franks + "\"}").statusCode())
                .isEqualTo(201);
    }

    @Test
    void runAttachToTheLocalNodeWithAUsersTokenRunsAsThatUser() throws Exception {
        String gina = node.addUser("gina");
        node.addUser("hank");
        // the node's own home: its server.json names this very node with the admin token
        var asGina = new Lathe(node.lathe().home(), config).withEnv("LATHE_SERVER_TOKEN", gina);
        var before = sessionIds();
        var run = asGina.runIn(ws.path(), "", "run", "--attach", node.endpoint().url(), "say hello as gina");
        assertThat(run.exit()).as(run.stderr()).isZero();
        var made = sessionIds();
        made.removeAll(before);
        assertThat(made).as("the task's session").hasSize(1);
        String session = made.iterator().next();
        JsonNode owners = JSON.readTree(send(gina, "GET", "/owners", null).body());
        assertThat(owners.path(session).asString()).as("the owner of the task gina ran").isEqualTo("gina");
        String hank = JSON.readTree(send(node.endpoint().token(), "POST", "/users/hank/token", "").body()).path("token").asString();
        assertThat(send(hank, "POST", "/sessions/" + session + "/prompt", "{\"parts\": [{\"type\": \"text\", \"text\": \"mine now\"}]}").statusCode())
                .as("another user prompting gina's task").isEqualTo(403);

        // without --attach the run finds the same node through server.json (this machine's daemon): still gina's token
        var again = new HashSet<>(sessionIds());
        // (CI=false: with the CI variable set, lathe run would run in its own process instead of through the daemon)
        var daemonRun = asGina.withEnv("CI", "false").runIn(ws.path(), "", "run", "say hello again as gina");
        assertThat(daemonRun.exit()).as(daemonRun.stderr()).isZero();
        var madeThroughTheDaemon = sessionIds();
        madeThroughTheDaemon.removeAll(again);
        assertThat(madeThroughTheDaemon).as("the second task's session").hasSize(1);
        JsonNode ownersNow = JSON.readTree(send(gina, "GET", "/owners", null).body());
        assertThat(ownersNow.path(madeThroughTheDaemon.iterator().next()).asString()).as("the owner of the task gina ran without --attach")
                .isEqualTo("gina");
    }

    /**
     * Issue 66's critical hole: a team user's {@code lathe run} through the node's daemon carries its shell's
     * {@code LATHE_CONFIG_CONTENT} in {@code X-Lathe-Environment} (a raw request can too); hooks in it would run on the
     * node's host, outside any sandbox. The node ignores it (the run goes on under the node's own config), runs no hook,
     * and its audit log names the user. The node's own token with the same shell does run them: the marker this test
     * looks for would appear.
     */
    @Test
    void aTeamUsersShellConfigRunsNoHookOnTheNode() throws Exception {
        String mallory = node.addUser("mallory");
        Path markers = Files.createDirectories(tmp.resolve("markers"));
        String hook = "[{\"hooks\": [{\"type\": \"command\", \"command\": \"touch " + markers + "/%s\"}]}]";
        String hostile = config.substring(0, config.length() - 1) + ", \"hooks\": {\"SessionStart\": " + hook.formatted("session-start")
                + ", \"UserPromptSubmit\": " + hook.formatted("prompt-submit") + "}}";
        // the node's own home, so the run finds the node through server.json; CI=false: through the daemon, not in process
        var asMallory = new Lathe(node.lathe().home(), hostile).withEnv("LATHE_SERVER_TOKEN", mallory).withEnv("CI", "false");
        var run = asMallory.runIn(ws.path(), "", "run", "hello from mallory");
        assertThat(run.exit()).as(run.stderr()).isZero();
        try (var made = Files.list(markers)) {
            assertThat(made.toList()).as("hooks from a team user's shell").isEmpty();
        }
        String audit;
        try (var files = Files.walk(node.lathe().home().resolve("data/lathe/audit"))) {
            var text = new StringBuilder();
            for (Path f : files.filter(Files::isRegularFile).filter(f -> f.toString().endsWith(".jsonl")).toList()) text.append(Files.readString(f));
            audit = text.toString();
        }
        assertThat(audit).contains("\"kind\":\"environment\"").contains("\"by\":\"user:mallory\"").contains("LATHE_CONFIG_CONTENT")
                .doesNotContain("markers/");

        // the node's own user (server.json's token), with the same shell: its config is the session's, hooks and all
        var asOwner = new Lathe(node.lathe().home(), hostile).withEnv("CI", "false");
        var owned = asOwner.runIn(ws.path(), "", "run", "hello from the owner");
        assertThat(owned.exit()).as(owned.stderr()).isZero();
        assertThat(markers.resolve("prompt-submit")).as("the owner's UserPromptSubmit hook").exists();
    }

    @Test
    void theSingleUserServerRefusesEveryRouteWithoutItsToken() throws Exception {
        var solo = new Lathe(tmp.resolve("solo"), config);
        Files.createDirectories(solo.home());
        Process serve = solo.command("serve").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(solo.home().resolve("serve.log").toFile())).start();
        try {
            var endpoint = DaemonIT.awaitServer(solo.serverJson(), serve);
            JsonNode paths = JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(endpoint.url() + "/doc"))
                    .header("Authorization", "Bearer " + endpoint.token()).build(), HttpResponse.BodyHandlers.ofString()).body()).path("paths");
            List<String> wrong = new ArrayList<>();
            for (var path : paths.properties()) {
                for (var op : path.getValue().properties()) {
                    if (op.getValue().path("x-lathe-rights").asString().equals("public")) continue;
                    String method = op.getKey().toUpperCase(java.util.Locale.ROOT);
                    String url = fill(path.getKey(), Map.of("id", "ses_" + "1".repeat(22), "name", "x", "requestId", "x", "provider", "openai", "processId", "bg_1"))
                            + "?directory=" + URLEncoder.encode(dir, StandardCharsets.UTF_8);
                    for (var who : List.of(Credential.NONE, Credential.bearer("lathe_u_0123456789abcdef_wrong"))) {
                        int status = status(who, method, url, endpoint.url());
                        if (status != 401) wrong.add(method + " " + path.getKey() + ": " + status);
                    }
                }
            }
            assertThat(wrong).isEmpty();
        } finally {
            serve.destroy();
            serve.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    /** How a request proves who it is: a bearer token, a web login (cookie and key), or nothing. */
    record Credential(Optional<String> bearer, Optional<String> cookie, Optional<String> key) {
        static final Credential NONE = new Credential(Optional.empty(), Optional.empty(), Optional.empty());

        static Credential bearer(String token) { return new Credential(Optional.of(token), Optional.empty(), Optional.empty()); }

        HttpRequest.Builder on(HttpRequest.Builder b) {
            bearer.ifPresent(t -> b.header("Authorization", "Bearer " + t));
            cookie.ifPresent(c -> b.header("Cookie", c));
            key.ifPresent(k -> b.header("X-Lathe-Key", k));
            return b;
        }
    }

    /** A web login of the holder of {@code token}: a login code traded for its cookie and key, as a browser does. */
    static Credential webLogin(String token) throws Exception {
        var redeemed = redeem(loginCode(token));
        assertThat(redeemed.statusCode()).as(redeemed.body()).isEqualTo(303);
        String cookie = redeemed.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
        String key = redeemed.headers().firstValue("Location").orElseThrow().replaceFirst(".*#key=", "");
        return new Credential(Optional.empty(), Optional.of(cookie), Optional.of(key));
    }

    static String loginCode(String token) throws Exception {
        var made = send(token, "POST", "/login/code", "");
        assertThat(made.statusCode()).as(made.body()).isEqualTo(200);
        return JSON.readTree(made.body()).path("code").asString();
    }

    static HttpResponse<String> redeem(String code) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(node.endpoint().url() + "/login")).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("code=" + URLEncoder.encode(code, StandardCharsets.UTF_8))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static int status(Credential who, String method, String pathAndQuery) throws Exception {
        return status(who, method, pathAndQuery, node.endpoint().url());
    }

    /** The status of one call with an empty JSON object as its body; a stream that starts counts as the 200 it is. */
    static int status(Credential who, String method, String pathAndQuery, String base) throws Exception {
        // an event stream that opens never ends: a few seconds tell it from a refusal
        Duration wait = pathAndQuery.startsWith("/events") ? Duration.ofSeconds(5) : Duration.ofSeconds(30);
        var b = who.on(HttpRequest.newBuilder(URI.create(base + pathAndQuery)).timeout(wait));
        b.header("Content-Type", "application/json").method(method, method.equals("GET") || method.equals("DELETE")
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString("{}"));
        try {
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (HttpTimeoutException e) {
            return 200;  // an event stream that opened and kept going
        }
    }

    static HttpResponse<String> send(String token, String method, String path, String body) throws Exception {
        var b = HttpRequest.newBuilder(URI.create(node.endpoint().url() + path)).timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + token);
        if (body != null && !body.isEmpty()) b.header("Content-Type", "application/json");
        b.method(method, body == null || body.isEmpty() ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String id(HttpResponse<String> made, int status) throws Exception {
        assertThat(made.statusCode()).as(made.body()).isEqualTo(status);
        return JSON.readTree(made.body()).path("id").asString();
    }

    static String awaitAsk(String session) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            for (JsonNode a : JSON.readTree(send(node.endpoint().token(), "GET", "/permissions", null).body())) {
                if (a.path("sessionId").asString().equals(session)) return a.path("id").asString();
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no permission ask in " + session);
    }

    static java.util.Set<String> sessionIds() throws Exception {
        var out = new java.util.TreeSet<String>();
        for (JsonNode s : JSON.readTree(send(node.endpoint().token(), "GET", "/sessions", null).body())) out.add(s.path("id").asString());
        return out;
    }

    static String fill(String template, Map<String, String> params) {
        String out = template;
        for (var p : params.entrySet()) out = out.replace("{" + p.getKey() + "}", URLEncoder.encode(p.getValue(), StandardCharsets.UTF_8));
        return out;
    }

    static String quoted(String s) {
        return JSON.writeValueAsString(s);
    }
}
