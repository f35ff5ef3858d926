package dev.lathe.core.offline;

import dev.lathe.core.config.ConfigException;
import dev.lathe.core.config.ConfigLoader;
import dev.lathe.core.config.LathePaths;
import dev.lathe.core.config.ManagedPolicy;
import dev.lathe.core.network.NetworkPolicy;
import dev.lathe.core.network.Purpose;
import dev.lathe.core.project.ProjectRoot;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Whether {@code lathe upgrade} may reach a release site (issue 79): decided by the configuration every other
 * connection obeys — the merged layers of the folder it runs in, {@code "network": "local"} in any of them or
 * {@code LATHE_NETWORK=local} — and by the one loopback test of local-only mode ({@link NetworkPolicy}, whose
 * {@code Loopback} takes a literal address or {@code localhost}, never a name such as {@code 127.evil.com}).
 */
public final class DownloadNetwork {
    /** How a refusal names who would have connected. */
    static final Purpose UPGRADE = Purpose.tool("lathe upgrade");

    private DownloadNetwork() {}

    /**
     * Why {@code lathe upgrade} run in {@code directory} under {@code env} may not connect to {@code target}, or empty
     * when it may. A configuration that does not load refuses: its mode is unknown. The managed
     * {@code requiredMinimumVersion} is not checked here: it is what tells the user to upgrade.
     */
    public static Optional<String> refusal(Map<String, String> env, Path directory, URI target) {
        var paths = LathePaths.fromEnvironment(env);
        Path project = ProjectRoot.normalise(directory.toAbsolutePath().toString());
        ConfigLoader loader = ConfigLoader.standard(paths, env);
        NetworkPolicy policy;
        try {
            policy = NetworkPolicy.of(ScopedValue.where(ManagedPolicy.UPGRADING, true).call(() -> loader.load(ProjectRoot.repoRoot(project), loader.trustOf(project))));
        } catch (ConfigException e) {
            return Optional.of("the configuration does not load, so whether it is local-only is not known; nothing was sent: " + e.getMessage());
        }
        if (policy.allows(UPGRADE, target)) return Optional.empty();
        return Optional.of(NetworkPolicy.refusal(UPGRADE, target) + " (set LATHE_DOWNLOAD_URL to a mirror on this machine)");
    }
}
