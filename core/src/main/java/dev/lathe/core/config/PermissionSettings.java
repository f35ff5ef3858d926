package dev.lathe.core.config;

import dev.lathe.core.permission.PermissionPolicy;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * How {@code permission.onDeny} and {@code permission.unattended} merge over the layers (DESIGN §26, decision 468): not
 * as other keys, where the later layer wins, but the strictest any layer sets holds ({@code stop} over {@code deny}
 * over {@code wait}; {@code stop} over {@code continue}). A layer may make them stricter, never looser: a cloned
 * project's {@code lathe.json} or {@code .claude/settings.json} cannot undo the user's {@code "onDeny": "stop"}, nor
 * a {@code LATHE_CONFIG_CONTENT} the managed policy's. A project's own files may not set {@code "unattended": "wait"}
 * either: that would let a repository keep the work nobody watches waiting forever, against the default {@code deny};
 * only the user's layers choose it.
 */
final class PermissionSettings {
    private static final System.Logger LOG = System.getLogger(PermissionSettings.class.getName());

    private PermissionSettings() {}

    /**
     * Sets each setting of {@code layer}'s {@code permission} to the strictest of its value and {@code merged}'s (the
     * layers below), before the layer merges; {@code project}: the file's name when it is a project's own layer.
     */
    static void strictest(ObjectNode layer, JsonNode merged, Optional<String> project) {
        if (!(layer.get("permission") instanceof ObjectNode permission)) return;
        for (String key : List.of(PermissionPolicy.ON_DENY, PermissionPolicy.UNATTENDED)) {
            JsonNode mine = permission.get(key);
            if (mine == null || !mine.isString()) continue;
            if (project.isPresent() && key.equals(PermissionPolicy.UNATTENDED) && mine.asString().equals("wait")) {
                permission.remove(key);
                LOG.log(System.Logger.Level.WARNING, "lathe: " + project.get() + ": \"permission\": {\"unattended\": \"wait\"} ignored: a project may make"
                        + " unattended asks stricter, never keep them waiting; set it in your own config");
                continue;
            }
            JsonNode below = merged.path("permission").path(key);
            if (below.isString()) permission.put(key, PermissionPolicy.strictest(key, below.asString(), mine.asString()));
        }
    }
}
