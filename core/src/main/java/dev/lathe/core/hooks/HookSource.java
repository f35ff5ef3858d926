package dev.lathe.core.hooks;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where a hook was written: the file (as listings show it), whose names its handlers see, and, for a hook of a Claude
 * Code plugin, the plugin's folder ({@code CLAUDE_PLUGIN_ROOT} in the handler's environment and in its command).
 */
public record HookSource(String file, Dialect dialect, Optional<Path> pluginRoot) {
    public HookSource(String file, Dialect dialect) {
        this(file, dialect, Optional.empty());
    }

    /** Which tool's names and argument names a hook's handlers read and write. */
    public enum Dialect {
        /** {@code lathe.json}: Lathe's tool names ({@code bash}, {@code edit}) and argument names ({@code path}). */
        LATHE,
        /**
         * Claude Code's {@code .claude/settings*.json}, its plugins' hooks and Codex's {@code .codex/hooks.json}:
         * {@code Bash}, {@code Edit{file_path, old_string, new_string}}, {@code mcp__SERVER__TOOL}, ...
         */
        CLAUDE_CODE
    }
}
