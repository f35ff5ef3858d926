package dev.lathe.core.config;

import dev.lathe.core.permission.ProtectedPaths;
import java.nio.file.Path;
import java.util.Map;

/**
 * The environment of the process Lathe runs in, as the composition root was given it ({@code LatheCore.open}): the one
 * value core code reads the process's variables from, since no code in core calls {@code System.getenv()} (issue 41;
 * {@code WiringTest} keeps it so). What is worked out of it once is kept here: the paths no tool may touch or must ask
 * for ({@link #protectedPaths}).
 */
public final class ServerEnvironment {
    private final Map<String, String> variables;
    private final ProtectedPaths protectedPaths;

    public ServerEnvironment(Map<String, String> variables) {
        this.variables = Map.copyOf(variables);
        this.protectedPaths = ProtectedPaths.fromEnvironment(this.variables);
    }

    /** The variables, as the process had them when Lathe started (they do not change under a running server). */
    public Map<String, String> variables() { return variables; }

    /** The user's global {@code lathe.json}, where these variables place it (named in errors as a path, not a variable). */
    public Path globalConfig() { return LathePaths.fromEnvironment(variables).globalConfig(); }

    /** The user's config folders that run code and Lathe's own secrets, as these variables place them. */
    public ProtectedPaths protectedPaths() { return protectedPaths; }

    /**
     * The user's git attributes file (git's default {@code core.attributesFile}): {@code $XDG_CONFIG_HOME/git/attributes},
     * else {@code ~/.config/git/attributes}.
     */
    public Path gitAttributes() {
        String xdg = variables.get("XDG_CONFIG_HOME");
        Path config = xdg != null && !xdg.isEmpty() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".config");
        return config.resolve("git").resolve("attributes");
    }
}
