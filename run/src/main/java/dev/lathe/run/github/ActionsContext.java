package dev.lathe.run.github;

import java.net.URI;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code GITHUB_*} variables of an Actions job that {@code lathe github run} reads (DESIGN §18). {@code apiUrl} is
 * the REST base ({@code https://api.github.com}, or a GitHub Enterprise one, or a test's fake on loopback); {@code
 * runId} makes the link to the run. {@link #toString} never shows the token.
 */
public record ActionsContext(String eventName, String eventPath, String repository, String token, URI apiUrl, String serverUrl,
        Optional<String> runId, Optional<String> artifactDir, Optional<String> outputFile, Optional<String> summaryFile) {

    /** A variable the job lacks or holds in a form that cannot be right. */
    public static final class Missing extends Exception {
        Missing(String message) { super(message); }
    }

    /** The context of {@code env}, or what is missing. */
    public static ActionsContext of(Map<String, String> env) throws Missing {
        ActionsContext c = of(env, "");
        return new ActionsContext(c.eventName, c.eventPath, c.repository, required(env, "GITHUB_TOKEN"), c.apiUrl, c.serverUrl, c.runId, c.artifactDir,
                c.outputFile, c.summaryFile);
    }

    /**
     * The context of the agent's step, which must hold no token: the model's commands run there, and any process of the
     * job's user can read the environment of Lathe's own process.
     */
    public static ActionsContext withoutToken(Map<String, String> env) throws Missing {
        for (String name : env.keySet()) {
            if (name.equals("GITHUB_TOKEN") || name.equals("GH_TOKEN") || name.equals("ACTIONS_RUNTIME_TOKEN")) {
                throw new Missing(name + " is set in the agent's step: the model's commands could read it there; give the token to the gate and publish steps only");
            }
        }
        return of(env, "");
    }

    private static ActionsContext of(Map<String, String> env, String token) throws Missing {
        String repository = required(env, "GITHUB_REPOSITORY");
        if (!repository.matches("[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+")) throw new Missing("GITHUB_REPOSITORY is not OWNER/REPO");
        String api = env.getOrDefault("GITHUB_API_URL", "https://api.github.com").strip();
        URI apiUrl;
        try {
            apiUrl = URI.create(api.endsWith("/") ? api.substring(0, api.length() - 1) : api);
        } catch (IllegalArgumentException e) {
            throw new Missing("GITHUB_API_URL is not a URL");
        }
        if (!"https".equals(apiUrl.getScheme()) && !"http".equals(apiUrl.getScheme())) throw new Missing("GITHUB_API_URL is not an http(s) URL");
        String server = env.getOrDefault("GITHUB_SERVER_URL", "https://github.com").strip();
        return new ActionsContext(required(env, "GITHUB_EVENT_NAME"), required(env, "GITHUB_EVENT_PATH"), repository, token,
                apiUrl, server.endsWith("/") ? server.substring(0, server.length() - 1) : server,
                Optional.ofNullable(env.get("GITHUB_RUN_ID")).filter(id -> id.matches("[0-9]+")),
                Optional.ofNullable(env.get("RUNNER_TEMP")).filter(t -> !t.isBlank()), Optional.ofNullable(env.get("GITHUB_OUTPUT")).filter(t -> !t.isBlank()),
                Optional.ofNullable(env.get("GITHUB_STEP_SUMMARY")).filter(t -> !t.isBlank()));
    }

    private static String required(Map<String, String> env, String name) throws Missing {
        String value = env.get(name);
        if (value == null || value.isBlank()) throw new Missing(name + " is not set: lathe github run runs inside a GitHub Actions job");
        return value.strip();
    }

    /** The page of this run ({@code GITHUB_SERVER_URL/REPO/actions/runs/ID}), when the job has a run id. */
    public Optional<String> runLink() { return runId.map(id -> serverUrl + "/" + repository + "/actions/runs/" + id); }

    @Override
    public String toString() {
        return "ActionsContext[" + eventName + ", " + repository + ", " + apiUrl + ", token=***]";
    }
}
