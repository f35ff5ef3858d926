package dev.lathe.testkit;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The real servers from the npm registry the end-to-end tests run, installed by {@code .ci/run} (or by hand:
 * {@code npm ci --prefix testkit/npm}) into {@code testkit/npm/node_modules}: {@code mcp-server-everything},
 * {@code mcp-server-filesystem}, the language servers, the ACP client library, pinned in {@code testkit/npm/package.json}.
 */
public final class NpmServers {
    private NpmServers() {}

    /** The executable {@code name} in {@code testkit/npm/node_modules/.bin}; fails with how to install it when absent. */
    public static Path bin(String name) {
        Path bin = root().resolve("testkit/npm/node_modules/.bin").resolve(name);
        if (!Files.isExecutable(bin)) {
            throw new IllegalStateException(bin + " is not installed: run `npm ci --prefix testkit/npm` (.ci/run does)");
        }
        return bin;
    }

    /**
     * A file of an installed package, e.g. {@code @agentclientprotocol/sdk/dist/v1/stable/acp.js} (an ES module is
     * imported by its path: ES modules ignore {@code NODE_PATH}); fails with how to install it when absent.
     */
    public static Path module(String relative) {
        Path file = root().resolve("testkit/npm/node_modules").resolve(relative);
        if (!Files.exists(file)) throw new IllegalStateException(file + " is not installed: run `npm ci --prefix testkit/npm` (.ci/run does)");
        return file;
    }

    /** A script of the tests' own kept beside the packages ({@code testkit/npm/NAME}), so its imports resolve to them. */
    public static Path script(String name) {
        Path file = root().resolve("testkit/npm").resolve(name);
        if (!Files.isRegularFile(file)) throw new IllegalStateException(file + " is missing from the checkout");
        module(".package-lock.json");  // its packages installed, or how to install them
        return file;
    }

    /** The repository's root: the nearest folder above the working folder that holds {@code testkit/npm}. */
    static Path root() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("testkit/npm"))) return dir;
        }
        throw new IllegalStateException("no testkit/npm above " + Path.of("").toAbsolutePath());
    }
}
