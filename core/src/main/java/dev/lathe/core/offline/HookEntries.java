package dev.lathe.core.offline;

import dev.lathe.core.config.ConfigException;
import dev.lathe.core.config.ConfigLoader;
import dev.lathe.core.config.LathePaths;
import dev.lathe.core.info.HookListings;
import dev.lathe.core.project.ProjectRoot;
import dev.lathe.protocol.api.HookListing;
import java.nio.file.Path;
import java.util.Map;

/** {@code lathe hooks} without a server: the hooks a folder's configuration defines, read from the files now. */
public final class HookEntries {
    private HookEntries() {}

    /** @throws OfflineFailure when the configuration does not load (the file, line and key named) */
    public static HookListing list(Map<String, String> env, Path directory) {
        try {
            Path folder = ProjectRoot.normalise(directory.toAbsolutePath().toString());
            ConfigLoader loader = ConfigLoader.standard(LathePaths.fromEnvironment(env), env);
            return HookListings.of(loader.load(ProjectRoot.repoRoot(folder), loader.trustOf(folder)));
        } catch (ConfigException e) {
            throw new OfflineFailure(e.getMessage());
        }
    }
}
