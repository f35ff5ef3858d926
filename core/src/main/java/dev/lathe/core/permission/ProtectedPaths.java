package dev.lathe.core.permission;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The one list of files and folders whose content makes Lathe run code or changes what it allows: a repository's
 * hooks and config ({@code .git/hooks/**}, {@code .git/config}: the next {@code git} command runs what they name),
 * Lathe's project config ({@code lathe.json}, {@code .lathe/**}: MCP and language servers, hooks, permission rules,
 * commands, agents, skills), Claude Code's ({@code .mcp.json}, {@code .claude/**}: settings with hooks, commands,
 * agents, skills), Codex's ({@code .codex/**}: {@code hooks.json}), OpenCode's ({@code .opencode/**}: agents,
 * commands, skills), and the user's own folders of the same ({@code $XDG_CONFIG_HOME/lathe}, {@code .../opencode},
 * {@code ~/.claude}, the installed Claude Code plugins).
 *
 * <p>Two layers read it, so they cannot drift apart: writing one through the file tools always asks, whatever an
 * {@code edit} rule or an "always" approval says ({@link GateDecision}; only a deny rule is stricter), and the OS
 * sandbox binds each read-only, including the ones that do not exist yet ({@code core.sandbox.SandboxLayout}).
 * {@code AGENTS.md}/{@code CLAUDE.md} are not here: they are prompt text, which runs nothing and changes no rule.
 *
 * <p>Matched on the patterns tools send, which name real paths (links resolved), at any depth (a nested repository's
 * hooks run as well, and commands, agents and skills are read from every folder between the repository and the
 * session's) and in any letter case (on a case-insensitive file system {@code .GIT/hooks} is the same folder).
 */
public final class ProtectedPaths {
    /** What an entry is relative to: the project's folder, or the repository's {@code .git} folder. */
    public enum Base { PROJECT, GIT_DIR }

    /** Whether an entry is a file or a folder (everything below a folder is protected). */
    public enum Kind { FILE, FOLDER }

    /** One protected name: {@code name} (no {@code /}) in {@code base}. */
    public record Entry(Base base, String name, Kind kind) {
        /** The entry as a project-relative suffix ({@code .git/hooks}, {@code .claude}). */
        String suffix() {
            return base == Base.GIT_DIR ? ".git/" + name : name;
        }
    }

    /** Every protected entry in a project; the single list both layers use. */
    public static final List<Entry> ENTRIES = List.of(
            new Entry(Base.GIT_DIR, "hooks", Kind.FOLDER),
            new Entry(Base.GIT_DIR, "config", Kind.FILE),
            new Entry(Base.GIT_DIR, "config.worktree", Kind.FILE),
            // names another folder as the repository's common one, whose config (core.fsmonitor) git would then run
            new Entry(Base.GIT_DIR, "commondir", Kind.FILE),
            // each linked worktree's admin folder: its config.worktree and commondir are what a plain git there runs
            new Entry(Base.GIT_DIR, "worktrees", Kind.FOLDER),
            // each submodule's git folder: its config and hooks are what git runs in the submodule, a plain git status in
            // the main checkout included (it recurses); one entry for all, so a submodule added later is covered too
            new Entry(Base.GIT_DIR, "modules", Kind.FOLDER),
            new Entry(Base.PROJECT, "lathe.json", Kind.FILE),
            new Entry(Base.PROJECT, ".lathe", Kind.FOLDER),
            new Entry(Base.PROJECT, ".mcp.json", Kind.FILE),
            // OpenCode's project config: Lathe reads its MCP servers, instructions, agents and commands
            new Entry(Base.PROJECT, "opencode.json", Kind.FILE),
            new Entry(Base.PROJECT, "opencode.jsonc", Kind.FILE),
            new Entry(Base.PROJECT, ".claude", Kind.FOLDER),
            new Entry(Base.PROJECT, ".codex", Kind.FOLDER),
            new Entry(Base.PROJECT, ".opencode", Kind.FOLDER));

    private final List<Path> configFolders;
    /** Lathe's own secrets (the audit chain's key, the saved provider keys): no tool may touch them, whatever a rule says. */
    private final List<Path> secrets;

    /** Protecting the user's config folders given (absolute). */
    public ProtectedPaths(List<Path> configFolders) {
        this(configFolders, List.of());
    }

    /** Protecting the user's config folders given and refusing every use of the {@code secrets} files (absolute). */
    public ProtectedPaths(List<Path> configFolders, List<Path> secrets) {
        this.configFolders = withRealPaths(configFolders);
        this.secrets = withRealPaths(secrets);
    }

    private static List<Path> withRealPaths(List<Path> paths) {
        return paths.stream().flatMap(p -> {
            Path abs = p.toAbsolutePath().normalize();
            try {
                Path real = abs.toRealPath();
                return real.equals(abs) ? Stream.of(abs) : Stream.of(abs, real);
            } catch (IOException e) {
                return Stream.of(abs);
            }
        }).toList();
    }

    /**
     * The user's folders of config that runs code, as {@code env} names them: Lathe's ({@code $XDG_CONFIG_HOME/lathe},
     * default {@code ~/.config/lathe}), OpenCode's beside it, Claude Code's {@code ~/.claude}, and the Claude Code
     * plugins Lathe installed ({@code $XDG_DATA_HOME/lathe/claude-plugins}).
     */
    public static List<Path> userFolders(Map<String, String> env) {
        Path home = Path.of(env.getOrDefault("HOME", System.getProperty("user.home"))).toAbsolutePath();
        Path config = xdg(env, "XDG_CONFIG_HOME", home.resolve(".config"));
        Path data = xdg(env, "XDG_DATA_HOME", home.resolve(".local/share"));
        return List.of(config.resolve("lathe"), config.resolve("opencode"), home.resolve(".claude"), data.resolve("lathe/claude-plugins"));
    }

    private static Path xdg(Map<String, String> env, String name, Path fallback) {
        String value = env.get(name);
        return (value == null || value.isBlank() ? fallback : Path.of(value)).toAbsolutePath();
    }

    /** Protecting the user's folders ({@link #userFolders}) as {@code env} names them. */
    public static ProtectedPaths fromEnvironment(Map<String, String> env) {
        Path data = xdg(env, "XDG_DATA_HOME", Path.of(env.getOrDefault("HOME", System.getProperty("user.home"))).resolve(".local/share")).resolve("lathe");
        // as LathePaths places them: the audit chain's key and the provider keys the user saved
        return new ProtectedPaths(userFolders(env), List.of(data.resolve("audit").resolve("chain.key"), data.resolve("auth.json")));
    }

    /**
     * Why {@code pattern} (relative to {@code projectRoot}, or absolute) names one of Lathe's secrets, which no tool may
     * read or write whatever the rules say; empty when it does not.
     */
    public Optional<String> secret(Path projectRoot, String pattern) {
        if (secrets.isEmpty() || pattern.isBlank()) return Optional.empty();
        Path p;
        try {
            p = projectRoot.resolve(pattern.strip()).toAbsolutePath().normalize();
        } catch (java.nio.file.InvalidPathException e) {
            return Optional.empty();
        }
        for (Path s : secrets) {
            if (!p.equals(s)) continue;
            return Optional.of(s.getFileName().toString().equals("auth.json")
                    ? pattern + " holds the provider keys Lathe saved, which no tool may use"
                    : pattern + " is Lathe's audit key, which no tool may use (it would let the audit log be forged)");
        }
        return Optional.empty();
    }

    /**
     * Why writing {@code pattern} (relative to the project with {@code /}, or absolute) must ask, or empty when it is
     * not protected.
     */
    public Optional<String> reason(String pattern) {
        if (pattern.startsWith("/")) {
            Path p = Path.of(pattern).normalize();
            for (Path c : configFolders) if (p.startsWith(c)) return Optional.of(pattern + " is in the user's config folder " + c);
        }
        String lower = "/" + pattern.replace('\\', '/').toLowerCase(Locale.ROOT);
        for (Entry e : ENTRIES) {
            String s = "/" + e.suffix().toLowerCase(Locale.ROOT);
            if (lower.endsWith(s) || e.kind() == Kind.FOLDER && lower.contains(s + "/")) {
                return Optional.of(pattern + (e.kind() == Kind.FOLDER ? " is under " : " is ") + e.suffix() + " (a protected path)");
            }
        }
        return Optional.empty();
    }

    /** Whether a request for {@code permission} on {@code pattern} writes a protected path. */
    public boolean protects(String permission, String pattern) {
        return permission.equals(WRITE_KEY) && reason(pattern).isPresent();
    }

    /** The rule key every file-writing tool asks with. */
    static final String WRITE_KEY = "edit";
}
