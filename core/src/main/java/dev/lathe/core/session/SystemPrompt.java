package dev.lathe.core.session;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
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
            "build", load("build.md"),
            "plan", load("plan.md"),
            "explore", load("explore.md"),
            "general", load("general.md"));

    private SystemPrompt() {}

    /** The prompt of a built-in agent; any other name gets build's, so a session never runs without one. */
    static String forAgent(String agent) {
        return BUILTIN.getOrDefault(agent, BUILTIN.get(DEFAULT));
    }

    private static String load(String name) {
        try (InputStream in = SystemPrompt.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("missing prompt resource " + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read prompt resource " + name, e);
        }
    }
}
