package dev.lathe.mcp.stateless;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a 2026-07-28 server said of itself in answer to {@code server/discover}: the versions it speaks, its
 * capabilities (as sent), its name and version when it gave them, and its instructions for the model.
 */
public record Discovery(List<String> supportedVersions, Map<String, Object> capabilities, Optional<String> serverName,
                        Optional<String> instructions) {
    public Discovery {
        supportedVersions = List.copyOf(supportedVersions);
        capabilities = Map.copyOf(capabilities);
    }

    /** Whether the server announces {@code notifications/tools/list_changed} ({@code capabilities.tools.listChanged}). */
    public boolean toolsListChanged() {
        return capabilities.get("tools") instanceof Map<?, ?> tools && Boolean.TRUE.equals(tools.get("listChanged"));
    }

    @SuppressWarnings("unchecked")
    static Discovery from(Map<String, Object> result) {
        List<String> versions = result.get("supportedVersions") instanceof List<?> l
                ? l.stream().map(String::valueOf).toList() : List.of();
        Map<String, Object> capabilities = result.get("capabilities") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        Optional<String> name = Optional.empty();
        if (result.get("_meta") instanceof Map<?, ?> meta && meta.get(Stateless.META_SERVER_INFO) instanceof Map<?, ?> info) {
            name = Optional.ofNullable(info.get("name")).map(n -> n + (info.get("version") == null ? "" : " " + info.get("version")));
        }
        Optional<String> instructions = result.get("instructions") instanceof String s ? Optional.of(s) : Optional.empty();
        return new Discovery(versions, capabilities, name, instructions);
    }
}
