package dev.lathe.lsp;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One language server: {@code name} (the key in config and status), {@code command} (the executable and its
 * arguments; the executable is a name looked up by {@link BuiltinServers#find} or a path), {@code extensions} (the file
 * name endings it serves, without the dot, lower case), {@code rootMarkers} (files or folders whose nearest folder
 * at or above a file, inside the project, is the server's workspace root; the project root when none is found),
 * {@code initializationOptionsJson} (sent as {@code initializationOptions}, a JSON value), {@code env} (added to the
 * environment it inherits), {@code enabled}.
 */
public record LspServerSpec(String name, List<String> command, Set<String> extensions, List<String> rootMarkers,
        Optional<String> initializationOptionsJson, Map<String, String> env, boolean enabled) {

    public LspServerSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(initializationOptionsJson, "initializationOptionsJson");
        command = List.copyOf(command);
        extensions = Set.copyOf(extensions.stream().map(e -> e.startsWith(".") ? e.substring(1) : e).map(String::toLowerCase).toList());
        rootMarkers = List.copyOf(rootMarkers);
        env = Map.copyOf(env);
    }

    /** Whether this server serves files named {@code fileName} (by its extension). */
    public boolean serves(String fileName) {
        int dot = fileName.lastIndexOf('.');
        return dot >= 0 && extensions.contains(fileName.substring(dot + 1).toLowerCase());
    }

    /** This server, turned off. */
    public LspServerSpec disabled() {
        return new LspServerSpec(name, command, extensions, rootMarkers, initializationOptionsJson, env, false);
    }
}
