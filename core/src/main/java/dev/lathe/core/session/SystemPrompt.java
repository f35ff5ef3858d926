package dev.lathe.core.session;

import java.util.Map;

/**
 * System block A: the agent's base prompt, one Markdown resource per built-in agent ({@code build}, {@code plan},
 * {@code explore}, {@code general}). It holds no date, path or user name, so it is byte-identical for every session of
 * the agent on every project and day, and the provider's prompt cache can share it (DESIGN §7); the session's
 * environment goes into its first user message instead.
 */
final class SystemPrompt {
    static final String DEFAULT = "build";
    /** The built-in agents' prompts, loaded once. */
    static final Map<String, String> BUILTIN = Map.of(
            "build", PromptText.load("build.md"),
            "plan", PromptText.load("plan.md"),
            "explore", PromptText.load("explore.md"),
            "general", PromptText.load("general.md"));

    private SystemPrompt() {}

    /** The prompt of a built-in agent; any other name gets build's, so a session never runs without one. */
    static String forAgent(String agent) {
        return BUILTIN.getOrDefault(agent, BUILTIN.get(DEFAULT));
    }
}
