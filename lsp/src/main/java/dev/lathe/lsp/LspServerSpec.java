package dev.lathe.lsp;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One language server (DESIGN §14): its {@code name}, the {@code command} that starts it (speaking LSP on stdio), the
 * file {@code extensions} it serves (without the dot), the {@code rootMarkers} that mark a workspace folder for it, the
 * {@code initializationOptionsJson} sent in {@code initialize}, the {@code env} added to its environment, and whether it
 * is {@code enabled}. A config entry that only disables or adjusts a built-in leaves the fields it does not set empty.
 */
public record LspServerSpec(String name, List<String> command, Set<String> extensions, List<String> rootMarkers,
        Optional<String> initializationOptionsJson, Map<String, String> env, boolean enabled) {
    public LspServerSpec {
        command = List.copyOf(command);
        extensions = Set.copyOf(extensions);
        rootMarkers = List.copyOf(rootMarkers);
        env = Map.copyOf(env);
    }
}
