package dev.lathe.core.hooks;

/**
 * Where a hook was written: the file (as listings show it) and whose names its handlers see.
 */
public record HookSource(String file, Dialect dialect) {
    /** Which tool's names and argument names a hook's handlers read and write. */
    public enum Dialect {
        /** {@code lathe.json}: Lathe's tool names ({@code bash}, {@code edit}) and argument names ({@code path}). */
        LATHE,
        /**
         * Claude Code's {@code .claude/settings*.json} and Codex's {@code .codex/hooks.json}: {@code Bash},
         * {@code Edit{file_path, old_string, new_string}}, {@code mcp__SERVER__TOOL}, ...
         */
        CLAUDE_CODE
    }
}
