package dev.lathe.core.claudeplugin;

import java.nio.file.Path;
import java.util.List;

/**
 * The hooks one Claude Code plugin defines in one place ({@code source}: its {@code hooks/hooks.json}, the file its
 * manifest names, or the manifest itself when it writes them inline), handed to the hook engine as written: per event
 * (as the file names it, e.g. {@code PreToolUse}), the event's JSON array of matcher groups, unchanged
 * ({@code ${CLAUDE_PLUGIN_ROOT}} included: the engine expands it to {@code root} and sets it in the handler's
 * environment, as Claude Code does). A thin handoff: what the events, matchers and handlers mean is the hook engine's;
 * this record only says where they came from. Hooks from a plugin are the user's or a trusted folder's (an untrusted
 * folder's plugins are not loaded at all) and see Claude Code's tool names, as hooks from Claude Code's own files do.
 *
 * @param plugin the plugin's name (its manifest's {@code name})
 * @param root   the plugin's folder, the value of {@code ${CLAUDE_PLUGIN_ROOT}}
 * @param source the file the hooks were read from
 * @param events the events in the order the file lists them
 */
public record PluginHooks(String plugin, Path root, Path source, List<Event> events) {
    public PluginHooks {
        events = List.copyOf(events);
    }

    /**
     * One event's entry: its name, the compact JSON of its array of matcher groups ({@code [{"matcher": ..., "hooks":
     * [...]}]}), and the line of {@code source} where it starts (for the engine's messages).
     */
    public record Event(String name, String json, int line) {}
}
