package dev.lathe.tools.builtin;

import java.util.Locale;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The environment of every child process: the server's own, minus anything that looks like a credential by its name
 * and any variable whose value holds a known secret (a provider key referenced from config as {@code {env:ANY_NAME}}),
 * so provider keys never reach commands the model runs.
 */
public final class ChildEnvironment {
    private ChildEnvironment() {}

    public static boolean isSecret(String name) {
        String n = name.toUpperCase(Locale.ROOT);
        // names from the models.dev catalog included: AWS_BEARER_TOKEN_BEDROCK, CLARIFAI_PAT, AICORE_SERVICE_KEY, ...
        return n.contains("API_KEY") || n.contains("TOKEN") || n.contains("SECRET") || n.contains("PASSWORD") || n.endsWith("_KEY")
                || n.endsWith("_KEY_ID") || n.endsWith("_PAT") || n.endsWith("_CREDENTIALS") || n.equals("LATHE_CONFIG_CONTENT");
    }

    /**
     * {@code env} as a child process may see it (a copy): credentials by name and known secret values removed, git's
     * pager, prompts and repository-configured helpers neutralised. For processes the core starts outside a tool
     * (hooks).
     */
    public static Map<String, String> scrubbed(Map<String, String> env, Set<String> secrets) {
        Map<String, String> copy = new java.util.HashMap<>(env);
        scrub(copy, secrets);
        return copy;
    }

    static void scrub(Map<String, String> env, Set<String> secrets) {
        scrub(env, secrets, null);
    }

    /** Also neutralises the helpers the git repository around {@code dir} configures (see {@link GitHardening}). */
    public static void scrub(Map<String, String> env, Set<String> secrets, java.nio.file.Path dir) {
        env.keySet().removeIf(ChildEnvironment::isSecret);
        // short values would match by accident; real keys are long
        List<String> values = secrets.stream().filter(s -> s.length() >= 8).toList();
        env.values().removeIf(v -> values.stream().anyMatch(v::contains));
        // no pager or prompt that waits for input nobody gives, and no repository-configured helper runs
        GitHardening.apply(env, dir != null && GitHardening.isRepository(dir) ? dir : null);
    }
}
