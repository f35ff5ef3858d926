package dev.lathe.core.context;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Prompt texts shipped as Markdown resources beside the classes that send them (agent prompts, command templates). */
public final class PromptText {
    private PromptText() {}

    /**
     * The resource {@code name} in {@code owner}'s package, stripped; a missing one is a broken build, not a user error.
     */
    public static String load(Class<?> owner, String name) {
        try (InputStream in = owner.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("missing prompt resource " + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read prompt resource " + name, e);
        }
    }
}
