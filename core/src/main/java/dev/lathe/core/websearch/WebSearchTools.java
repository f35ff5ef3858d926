package dev.lathe.core.websearch;

import dev.lathe.core.auth.AuthStore;
import dev.lathe.core.config.Config;
import dev.lathe.core.config.WebSearchConfig;
import dev.lathe.core.project.Project;
import dev.lathe.core.project.Projects;
import dev.lathe.core.toolcall.ExtensionTools;
import dev.lathe.tools.Tool;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Offers {@code websearch} to the sessions of each project whose configuration sets {@code "websearch"}, and to no
 * other (a session that does not configure it sends the same first request as before). In local-only mode it is offered
 * only when the backend is on loopback (a SearXNG on this machine). Kept per project root as its configuration is read
 * ({@link #lifecycle}), so a change of {@code lathe.json} offers or withdraws it from the next step.
 */
public final class WebSearchTools implements ExtensionTools {
    private final Map<Path, WebSearchTool> byRoot = new ConcurrentHashMap<>();
    private final AuthStore auth;

    /** @param auth where a key the config does not give is looked up, by the provider's name ({@code lathe auth login brave}) */
    public WebSearchTools(AuthStore auth) {
        this.auth = auth;
    }

    /** The tool for a project configured so, or empty when it is not offered there. */
    Optional<WebSearchTool> toolFor(Config config) {
        Optional<WebSearchConfig> search = config.websearch();
        if (search.isEmpty()) return Optional.empty();
        String provider = search.get().provider();
        var tool = new WebSearchTool(search.get(), () -> auth.key(provider), WebSearchTool.TIMEOUT);
        if (config.network() == Config.NetworkMode.LOCAL && !tool.endpoint().map(WebSearchTools::onLoopback).orElse(false)) return Optional.empty();
        return Optional.of(tool);
    }

    private static boolean onLoopback(URI endpoint) {
        String host = endpoint.getHost();
        if (host == null) return false;
        if (host.equalsIgnoreCase("localhost")) return true;
        try {
            // a literal address only: a name is not resolved (its answer could change after this check)
            return (host.matches("[0-9.]+") || host.startsWith("[")) && InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    @Override
    public List<Tool<?>> offered(Path projectDir, String sessionId) {
        WebSearchTool tool = byRoot.get(normal(projectDir));
        return tool == null ? List.of() : List.of(tool);
    }

    @Override
    public Optional<Tool<?>> find(Path projectDir, String name) {
        return name.equals(WebSearchTool.NAME) ? Optional.ofNullable(byRoot.get(normal(projectDir))) : Optional.empty();
    }

    /** Follows each project's configuration as it is read and closed. */
    public Projects.Lifecycle lifecycle() {
        return new Projects.Lifecycle() {
            @Override
            public void read(Project project) {
                Path root = normal(project.directory());
                toolFor(project.config()).ifPresentOrElse(t -> byRoot.put(root, t), () -> byRoot.remove(root));
            }

            @Override
            public void closed(Path directory) {
                byRoot.remove(normal(directory));
            }
        };
    }

    private static Path normal(Path p) {
        return p.toAbsolutePath().normalize();
    }
}
