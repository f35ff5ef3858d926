package dev.lathe.run.github;

import dev.lathe.protocol.wire.WireJson;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * The one client of GitHub's REST API (JDK {@link HttpClient}), bound to one repository: every path it builds starts
 * {@code /repos/OWNER/REPO/} of {@code GITHUB_REPOSITORY}, so nothing it sends can reach another repository. The token
 * goes in the {@code Authorization} header only; a failure names the call and GitHub's status and message, never the
 * token.
 */
public final class GitHubRest {
    /** A call GitHub refused or that did not reach it. */
    public static sealed class Failure extends Exception permits NotFound {
        Failure(String message) { super(message); }
    }

    /** A comment made: its id for the update, its page. */
    public record Comment(long id, String htmlUrl) {}

    /** A pull request as {@code lathe github run} needs it: where its head is and whether that is this repository. */
    public record PullRequest(int number, String headRef, String headSha, String headRepository, String baseRef, String baseSha, String htmlUrl) {}

    /** One inline comment of a review: a line of the new side of {@code path}'s diff. */
    public record ReviewComment(String path, int line, String body) {}

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** The most of an answer read: GitHub's own answers to these calls are a few kilobytes. */
    private static final int MAX_ANSWER = 4 << 20;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).followRedirects(HttpClient.Redirect.NEVER).build();
    private final URI api;
    private final String repository;
    private final String token;

    public GitHubRest(URI api, String repository, String token) {
        this.api = api;
        this.repository = repository;
        this.token = token;
    }

    /** The actor's permission on this repository: {@code admin}, {@code maintain}, {@code write}, {@code triage}, {@code read} or {@code none}. */
    public String permission(String login) throws Failure {
        if (!login.matches("[A-Za-z0-9-]+(\\[bot\\])?")) return "none";
        JsonNode answer;
        try {
            answer = call("GET", "collaborators/" + URLEncoder.encode(login, StandardCharsets.UTF_8) + "/permission", Optional.empty());
        } catch (NotFound e) {
            return "none";
        }
        // role_name tells maintain and triage apart; permission folds them into write and read
        String role = answer.path("role_name").asString("");
        return role.isEmpty() ? answer.path("permission").asString("none") : role;
    }

    public Comment comment(int issue, String body) throws Failure {
        JsonNode answer = call("POST", "issues/" + issue + "/comments", Optional.of(Map.of("body", body)));
        return new Comment(answer.path("id").asLong(), answer.path("html_url").asString(""));
    }

    public void updateComment(long id, String body) throws Failure {
        call("PATCH", "issues/comments/" + id, Optional.of(Map.of("body", body)));
    }

    public PullRequest pullRequest(int number) throws Failure {
        JsonNode pr = call("GET", "pulls/" + number, Optional.empty());
        return new PullRequest(pr.path("number").asInt(), pr.path("head").path("ref").asString(""), pr.path("head").path("sha").asString(""),
                pr.path("head").path("repo").path("full_name").asString(""), pr.path("base").path("ref").asString(""),
                pr.path("base").path("sha").asString(""), pr.path("html_url").asString(""));
    }

    /** Opens a pull request of {@code head} (a branch of this repository) into {@code base}; answers its page. */
    public String openPullRequest(String title, String head, String base, String body) throws Failure {
        JsonNode pr = call("POST", "pulls", Optional.of(Map.of("title", title, "head", head, "base", base, "body", body)));
        return pr.path("html_url").asString("");
    }

    /** One review of {@code commit} with the inline comments, as a comment (neither approval nor change request). */
    public void review(int number, String commit, String body, List<ReviewComment> comments) throws Failure {
        List<Map<String, Object>> inline = comments.stream()
                .map(c -> Map.<String, Object>of("path", c.path(), "line", c.line(), "side", "RIGHT", "body", c.body())).toList();
        call("POST", "pulls/" + number + "/reviews", Optional.of(Map.of("commit_id", commit, "body", body, "event", "COMMENT", "comments", inline)));
    }

    private static final class NotFound extends Failure {
        NotFound(String message) { super(message); }
    }

    private JsonNode call(String method, String path, Optional<Object> body) throws Failure {
        String what = method + " /repos/" + repository + "/" + path;
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(api + "/repos/" + repository + "/" + path)).timeout(TIMEOUT)
                .header("Accept", "application/vnd.github+json").header("X-GitHub-Api-Version", "2022-11-28").header("User-Agent", "lathe")
                .header("Authorization", "Bearer " + token);
        if (body.isPresent()) {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(WireJson.write(body.get())));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<byte[]> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new Failure(what + ": GitHub did not answer (" + e.getClass().getSimpleName() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure(what + ": interrupted");
        }
        byte[] bytes = response.body();
        String text = new String(bytes, 0, Math.min(bytes.length, MAX_ANSWER), StandardCharsets.UTF_8);
        JsonNode answer;
        try {
            answer = text.isBlank() ? WireJson.mapper().createObjectNode() : WireJson.mapper().readTree(text);
        } catch (RuntimeException e) {
            answer = WireJson.mapper().createObjectNode();
        }
        int status = response.statusCode();
        if (status == 404) throw new NotFound(what + ": 404 Not Found");
        if (status / 100 != 2) {
            // GitHub's message is its words, made printable: nothing of the request (the token) is in it
            String message = answer.path("message").asString("").replaceAll("\\p{Cntrl}", " ");
            throw new Failure(what + ": " + status + (message.isEmpty() ? "" : " " + message.substring(0, Math.min(message.length(), 200))));
        }
        return answer;
    }
}
