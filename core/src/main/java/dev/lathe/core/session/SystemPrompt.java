package dev.lathe.core.session;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * System block A: the agent's base prompt. It holds no date, path or user name, so it is byte-identical for every
 * session of the agent on every project and day, and the provider's prompt cache can share it (DESIGN §7).
 */
final class SystemPrompt {
    private static final String BUILD = load("build.md");

    private SystemPrompt() {}

    static String forAgent(String agent) {
        return BUILD;
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
