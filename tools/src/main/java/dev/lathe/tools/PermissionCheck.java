package dev.lathe.tools;

import dev.lathe.protocol.session.ToolDisplay;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a tool asks permission for. {@code permission} is the rule key ({@code read}, {@code edit}, {@code bash},
 * {@code external_directory}, ...), {@code patterns} the values matched against that key's globs (paths relative to
 * the project root, or commands), {@code always} the rules an "always" answer would store (e.g. {@code git status *}),
 * {@code display} what the user sees beside the question (the diff an edit would make), when there is something.
 */
public record PermissionCheck(String permission, List<String> patterns, List<String> always, String title,
        Map<String, String> metadata, Optional<ToolDisplay> display) {
    public PermissionCheck(String permission, List<String> patterns, List<String> always, String title, Map<String, String> metadata) {
        this(permission, patterns, always, title, metadata, Optional.empty());
    }

    public static PermissionCheck of(String permission, String pattern, String title) {
        return new PermissionCheck(permission, List.of(pattern), List.of(pattern), title, Map.of());
    }
}
