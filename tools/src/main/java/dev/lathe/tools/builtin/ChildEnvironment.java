package dev.lathe.tools.builtin;

import java.util.Locale;
import java.util.Map;

/**
 * The environment of every child process: the server's own, minus anything that looks like a credential, so provider
 * keys never reach commands the model runs.
 */
final class ChildEnvironment {
    private ChildEnvironment() {}

    static boolean isSecret(String name) {
        String n = name.toUpperCase(Locale.ROOT);
        return n.endsWith("_API_KEY") || n.endsWith("_TOKEN") || n.endsWith("_SECRET") || n.endsWith("_PASSWORD") || n.endsWith("_ACCESS_KEY")
                || n.endsWith("_SECRET_ACCESS_KEY") || n.equals("LATHE_CONFIG_CONTENT") || n.equals("LATHE_SERVER_TOKEN")
                || n.equals("AWS_SESSION_TOKEN") || n.endsWith("_AUTH_TOKEN");
    }

    static void scrub(Map<String, String> env) {
        env.keySet().removeIf(ChildEnvironment::isSecret);
        // keep git from opening an editor or pager that would wait for input nobody gives
        env.put("GIT_TERMINAL_PROMPT", "0");
        env.put("GIT_PAGER", "cat");
        env.put("PAGER", "cat");
    }
}
