package dev.lathe.core.permission;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Files whose change runs code or changes Lathe's own rules: a repository's hooks and config ({@code .git/hooks/**},
 * {@code .git/config}: the next {@code git} command would run what they name), Lathe's project config ({@code .lathe/**},
 * {@code lathe.json}) and the user's config folder ({@code $XDG_CONFIG_HOME/lathe}). Writing one always asks, whatever
 * an {@code edit} rule or an "always" approval says ({@link GateDecision}); only a deny rule is stricter.
 *
 * <p>Matched on the patterns tools send, which name real paths (links resolved), at any depth (a nested repository's
 * hooks run as well) and in any letter case (on a case-insensitive file system {@code .GIT/hooks} is the same folder).
 */
public final class ProtectedPaths {
    private static final List<String> FOLDERS = List.of(".git/hooks", ".lathe");
    private static final List<String> FILES = List.of(".git/config", "lathe.json");

    private final List<Path> configFolders;
    /** Lathe's own secrets (the audit chain's key): no tool may touch them, whatever a rule says. */
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
                return real.equals(abs) ? java.util.stream.Stream.of(abs) : java.util.stream.Stream.of(abs, real);
            } catch (IOException e) {
                return java.util.stream.Stream.of(abs);
            }
        }).toList();
    }

    /** Protecting {@code $XDG_CONFIG_HOME/lathe} (default {@code ~/.config/lathe}) as this process's environment names it. */
    public static ProtectedPaths fromEnvironment(Map<String, String> env) {
        String xdg = env.get("XDG_CONFIG_HOME");
        Path home = Path.of(env.getOrDefault("HOME", System.getProperty("user.home")));
        Path base = xdg == null || xdg.isBlank() ? home.resolve(".config") : Path.of(xdg);
        String xdgData = env.get("XDG_DATA_HOME");
        Path data = (xdgData == null || xdgData.isBlank() ? home.resolve(".local/share") : Path.of(xdgData)).resolve("lathe");
        // as LathePaths.auditKey() places it
        return new ProtectedPaths(List.of(base.resolve("lathe")), List.of(data.resolve("audit").resolve("chain.key")));
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
            if (p.equals(s)) return Optional.of(pattern + " is Lathe's audit key, which no tool may use (it would let the audit log be forged)");
        }
        return Optional.empty();
    }

    /** This process's: read once, as the environment does not change under a running server. */
    public static final ProtectedPaths STANDARD = fromEnvironment(System.getenv());

    /**
     * Why writing {@code pattern} (relative to the project with {@code /}, or absolute) must ask, or empty when it is
     * not protected.
     */
    public Optional<String> reason(String pattern) {
        if (pattern.startsWith("/")) {
            Path p = Path.of(pattern).normalize();
            for (Path c : configFolders) if (p.startsWith(c)) return Optional.of(pattern + " is in Lathe's own config folder " + c);
        }
        String lower = "/" + pattern.replace('\\', '/').toLowerCase(Locale.ROOT);
        for (String f : FOLDERS) {
            if (lower.endsWith("/" + f) || lower.contains("/" + f + "/")) return Optional.of(pattern + " is under " + f + " (a protected path)");
        }
        for (String f : FILES) {
            if (lower.endsWith("/" + f)) return Optional.of(pattern + " is " + f + " (a protected path)");
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
