package dev.lathe.tools;

import dev.lathe.protocol.session.ToolDisplay;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a tool asks permission for. {@code permission} is the rule key ({@code read}, {@code edit}, {@code bash},
 * {@code external_directory}, ...), {@code subject} what kind of value {@code patterns} are — it decides how they are
 * judged: {@link PermissionSource.Pattern#COMMAND} lines are split into simple commands and every one must pass,
 * whatever the key; any other kind is matched whole —, {@code patterns} the values matched against that key's globs
 * (paths relative to the project root, commands, URLs, names), {@code always} the rules an "always" answer would store
 * (e.g. {@code git status *}), {@code display} what the user sees beside the question (the diff an edit would make),
 * when there is something. {@code caller} is the tool call that asks ({@link CallAsking}), put on by the tool-call
 * pipeline; empty for a check made outside a call.
 */
public record PermissionCheck(String permission, PermissionSource.Pattern subject, List<String> patterns, List<String> always, String title,
        Map<String, String> metadata, Optional<ToolDisplay> display, Optional<CallAsking> caller) {
    public PermissionCheck(String permission, PermissionSource.Pattern subject, List<String> patterns, List<String> always, String title,
            Map<String, String> metadata, Optional<ToolDisplay> display) {
        this(permission, subject, patterns, always, title, metadata, display, Optional.empty());
    }

    public PermissionCheck(String permission, PermissionSource.Pattern subject, List<String> patterns, List<String> always, String title,
            Map<String, String> metadata) {
        this(permission, subject, patterns, always, title, metadata, Optional.empty());
    }

    /**
     * The metadata key a file tool's {@code external_directory} check carries when it would write there (DESIGN §26): an
     * answer given in advance ({@code --allow-all}) never lets such a write through; only a rule or a person may.
     */
    public static final String WRITES = "writes";

    /** Whether this is the check of a file tool's write outside the project ({@link #WRITES}). */
    public boolean writesOutside() {
        return permission.equals("external_directory") && metadata.containsKey(WRITES);
    }

    /** This check, made by the tool call {@code call}. */
    public PermissionCheck askedBy(CallAsking call) {
        return new PermissionCheck(permission, subject, patterns, always, title, metadata, display, Optional.of(call));
    }

    public static PermissionCheck of(String permission, PermissionSource.Pattern subject, String pattern, String title) {
        return new PermissionCheck(permission, subject, List.of(pattern), List.of(pattern), title, Map.of());
    }
}
