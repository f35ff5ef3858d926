package dev.lathe.core.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Where Lathe keeps things, from the XDG variables with the usual {@code ~/.local/...} defaults: data (database,
 * tool output, auth), state (server.json, logs), config (global lathe.json) and cache; and {@code claude}, Claude
 * Code's folder in the user's home ({@code ~/.claude}), whose personal commands, skills and agents Lathe offers too,
 * as it does OpenCode's global ones ({@link #openCode}).
 */
public record LathePaths(Path data, Path state, Path config, Path cache, Path claude) {
    public static LathePaths fromEnvironment(Map<String, String> env) {
        Path home = Path.of(env.getOrDefault("HOME", System.getProperty("user.home")));
        return new LathePaths(
                xdg(env, "XDG_DATA_HOME", home.resolve(".local/share")),
                xdg(env, "XDG_STATE_HOME", home.resolve(".local/state")),
                xdg(env, "XDG_CONFIG_HOME", home.resolve(".config")),
                xdg(env, "XDG_CACHE_HOME", home.resolve(".cache")),
                home.toAbsolutePath().resolve(".claude"));
    }

    private static Path xdg(Map<String, String> env, String name, Path fallback) {
        String value = env.get(name);
        Path base = value == null || value.isBlank() ? fallback : Path.of(value);
        return base.toAbsolutePath().resolve("lathe");
    }

    public Path database() { return data.resolve("lathe.db"); }

    /** Keys saved by {@code lathe auth login} (mode 0600). */
    public Path authFile() { return data.resolve("auth.json"); }

    public Path toolOutput() { return data.resolve("tool-output"); }

    /** The audit logs, one file per project. */
    public Path audit() { return data.resolve("audit"); }

    /** The secret the audit chains are keyed with: hidden from sandboxed commands, refused to the file tools. */
    public Path auditKey() { return audit().resolve("chain.key"); }

    /** Claude Code plugins installed with {@code lathe plugin add}, one folder each, loaded in every project. */
    public Path claudePlugins() { return data.resolve("claude-plugins"); }

    public Path serverInfo() { return state.resolve("server.json"); }

    public Path globalConfig() { return config.resolve("lathe.json"); }

    /**
     * The user's own slash commands ({@code <name>.md}), offered in every project, in order of precedence (the first of
     * a name wins): Lathe's folder, OpenCode's global ones, then Claude Code's personal ones.
     */
    public List<Path> userCommands() {
        return List.of(config.resolve("commands"), openCode().resolve("commands"), openCode().resolve("command"), claude.resolve("commands"));
    }

    /**
     * The user's own skills ({@code <name>/SKILL.md}), offered in every project, in the same order as the commands, then
     * the open Agent Skills standard's {@code ~/.agents/skills}.
     */
    public List<Path> userSkills() {
        return List.of(config.resolve("skills"), openCode().resolve("skills"), openCode().resolve("skill"), claude.resolve("skills"),
                claude.resolveSibling(".agents").resolve("skills"));
    }

    /** OpenCode's global config folder ({@code $XDG_CONFIG_HOME/opencode}), beside Lathe's. */
    public Path openCode() { return config.resolveSibling("opencode"); }
}
