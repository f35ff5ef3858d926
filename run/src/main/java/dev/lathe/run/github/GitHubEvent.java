package dev.lathe.run.github;

import dev.lathe.protocol.wire.WireJson;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * What an Actions event's payload ({@code GITHUB_EVENT_PATH}) asks, in the shapes {@code lathe github run} acts on: a
 * request on an issue, a request on a pull request, a pull request to review, a {@code workflow_dispatch} prompt, or
 * something it leaves alone. Each names the repository the payload is about (compared with {@code GITHUB_REPOSITORY}
 * before anything is done) and the actor whose permission decides.
 */
public sealed interface GitHubEvent {
    /** The payload's {@code repository.full_name}. */
    String repository();

    /** Who asked: the comment's author, the issue's opener, the dispatcher. */
    Actor actor();

    /** The user or app behind an event; {@code bot} when GitHub says {@code "type": "Bot"} or the login ends {@code [bot]}. */
    record Actor(String login, long id, boolean bot) {}

    /**
     * An issue comment, an opened or assigned issue: the work goes on branch {@code lathe/issue-N} and a pull request.
     * {@code issueAuthor} wrote the title and body (the prompt names them), who may not be the {@code actor}.
     */
    record IssueRequest(String repository, String defaultBranch, Actor actor, int number, String title, String issueBody, String issueAuthor,
            String request) implements GitHubEvent {}

    /** A comment on a pull request (conversation or diff line): the work goes on the PR's branch, or into a patch for a fork. */
    record PullRequestComment(String repository, String defaultBranch, Actor actor, int number, String request) implements GitHubEvent {}

    /** A pull request opened or updated: a review when {@code "github": {"reviewOnOpen": true}}. */
    record PullRequestOpened(String repository, Actor actor, int number, String baseSha, String headSha, String headRepository) implements GitHubEvent {}

    /** {@code workflow_dispatch} with a {@code prompt} input: answered in the job's log and the exported session. */
    record Dispatch(String repository, Actor actor, String request) implements GitHubEvent {}

    /** An event or action {@code lathe github run} does nothing for (an edited comment, a closed issue, a label). */
    record Ignored(String repository, Actor actor, String why) implements GitHubEvent {}

    /** The actions of {@code pull_request} that ask for a review. */
    Set<String> REVIEWED = Set.of("opened", "reopened", "synchronize", "ready_for_review");

    /** The event {@code name} ({@code GITHUB_EVENT_NAME}) whose payload is {@code json}. */
    static GitHubEvent of(String name, String json) {
        JsonNode p = WireJson.mapper().readTree(json);
        String repository = p.path("repository").path("full_name").asString("");
        String defaultBranch = p.path("repository").path("default_branch").asString("");
        String action = p.path("action").asString("");
        Actor sender = actor(p.path("sender"));
        return switch (name) {
            case "issue_comment" -> {
                if (!action.equals("created")) yield new Ignored(repository, sender, "a comment " + action + ", not created");
                JsonNode issue = p.path("issue");
                Actor author = actor(p.path("comment").path("user"));
                String request = p.path("comment").path("body").asString("");
                yield issue.has("pull_request") ? new PullRequestComment(repository, defaultBranch, author, issue.path("number").asInt(), request)
                        : new IssueRequest(repository, defaultBranch, author, issue.path("number").asInt(), issue.path("title").asString(""),
                                issue.path("body").asString(""), actor(issue.path("user")).login(), request);
            }
            case "pull_request_review_comment" -> action.equals("created")
                    ? new PullRequestComment(repository, defaultBranch, actor(p.path("comment").path("user")), p.path("pull_request").path("number").asInt(),
                            p.path("comment").path("body").asString(""))
                    : new Ignored(repository, sender, "a review comment " + action + ", not created");
            case "issues" -> {
                if (!action.equals("opened") && !action.equals("assigned")) yield new Ignored(repository, sender, "an issue " + action);
                JsonNode issue = p.path("issue");
                String body = issue.path("body").asString("");
                // the body is the request, opened or assigned: its author's permission decides, never the assigner's (a
                // writer assigning an outsider's issue must not run the outsider's words with write rights)
                Actor opener = actor(issue.path("user"));
                yield new IssueRequest(repository, defaultBranch, opener, issue.path("number").asInt(), issue.path("title").asString(""), body, opener.login(), body);
            }
            case "pull_request" -> {
                if (!REVIEWED.contains(action)) yield new Ignored(repository, sender, "a pull request " + action);
                JsonNode pr = p.path("pull_request");
                yield new PullRequestOpened(repository, sender, pr.path("number").asInt(p.path("number").asInt()), pr.path("base").path("sha").asString(""),
                        pr.path("head").path("sha").asString(""), pr.path("head").path("repo").path("full_name").asString(""));
            }
            case "workflow_dispatch" -> {
                String prompt = p.path("inputs").path("prompt").asString("");
                yield prompt.isBlank() ? new Ignored(repository, sender, "a dispatch without a prompt input") : new Dispatch(repository, sender, prompt);
            }
            default -> new Ignored(repository, sender, "the " + name + " event");
        };
    }

    private static Actor actor(JsonNode user) {
        String login = user.path("login").asString("");
        return new Actor(login, user.path("id").asLong(0), user.path("type").asString("").equals("Bot") || login.endsWith("[bot]"));
    }

    /** The text that carries the trigger, when this event has one. */
    default Optional<String> triggerText() {
        return switch (this) {
            case IssueRequest i -> Optional.of(i.request());
            case PullRequestComment c -> Optional.of(c.request());
            // a dispatch is its own trigger: only someone with write permission can start a workflow by hand
            case Dispatch d -> Optional.empty();
            case PullRequestOpened o -> Optional.empty();
            case Ignored i -> Optional.empty();
        };
    }
}
