package dev.lathe.core.trust;

import java.util.List;

/**
 * What an untrusted folder defined of one {@link Kind} in one {@code source} file or folder (relative to the project
 * root, e.g. {@code lathe.json} or {@code .lathe/commands}) and that was skipped: {@code items} name each one (a
 * provider id, a command name, a key path), so a caller can say why something it looks for is missing.
 */
public record Withheld(Kind kind, String source, List<String> items, Reason reason, java.util.Set<Reach> reach) {
    public Withheld {
        items = List.copyOf(items);
        reach = java.util.Set.copyOf(reach);
    }

    /** Withheld because the folder is not trusted. */
    public Withheld(Kind kind, String source, List<String> items) {
        this(kind, source, items, Reason.UNTRUSTED);
    }

    /** Withheld for {@code reason}, what it reaches not said. */
    public Withheld(Kind kind, String source, List<String> items, Reason reason) {
        this(kind, source, items, reason, java.util.Set.of());
    }

    /**
     * {@code "; it would: runs code"}, or nothing when the reach is not known here: said of what changed since trust
     * (the untrusted folder's line is a contract of DESIGN §18 and stays as it is).
     */
    private String reaching() {
        java.util.Set<Reach> known = reach.isEmpty() ? kind.reach() : reach;
        return known.isEmpty() ? "" : "; " + (count() == 1 ? "it" : "they") + " would: " + Reach.words(known);
    }

    /**
     * Why it was withheld: the folder is not trusted, or it is but these items were added or changed since the user
     * trusted it ({@link TrustGate}).
     */
    public enum Reason {
        UNTRUSTED,
        CHANGED_SINCE_TRUST,
        /** Never taken from a project's file, trusted or not: Claude Code's {@code bypassPermissions} (DESIGN §27). */
        NEVER_FROM_PROJECT,
        /** An installed plugin whose files are not the ones {@code lathe-plugins.lock} holds: not started (DESIGN §33). */
        NOT_AS_LOCKED
    }

    /** What was withheld, with the words a warning uses for one and for several. */
    public enum Kind {
        PROVIDER_BASE_URL("provider-base-url", "provider base URL", "provider base URLs", Reach.READS_OUTSIDE, Reach.SENDS_DATA),
        PROVIDER_HEADERS("provider-headers", "provider header", "provider headers", Reach.SENDS_DATA),
        SUBSTITUTION("substitution", "{env:...}/{file:...} substitution", "{env:...}/{file:...} substitutions", Reach.READS_OUTSIDE, Reach.SENDS_DATA),
        SANDBOX_SETTINGS("sandbox-settings", "sandbox setting", "sandbox settings", Reach.WRITES_OUTSIDE, Reach.SENDS_DATA, Reach.WIDENS_PERMISSIONS),
        INSTRUCTIONS_OUTSIDE("instructions-outside", "instruction file outside the project", "instruction files outside the project", Reach.READS_OUTSIDE),
        LINKS_OUTSIDE("links-outside", "file linking outside the project", "files linking outside the project", Reach.READS_OUTSIDE),
        /** A Claude Code memory file's {@code @path} import of a file outside the project (DESIGN §27). */
        IMPORTS_OUTSIDE("imports-outside", "import from outside the project", "imports from outside the project", Reach.READS_OUTSIDE),
        MCP_SERVERS("mcp-servers", "MCP server", "MCP servers", Reach.RUNS_CODE, Reach.SENDS_DATA),
        /** A project's {@code websearch} backend: it is sent the user's search key and the model's queries (DESIGN §30). */
        WEB_SEARCH("websearch", "web search backend", "web search backends", Reach.SENDS_DATA),
        LSP_SERVERS("lsp-servers", "language server", "language servers", Reach.RUNS_CODE),
        ACP_AGENTS("acp-agents", "ACP agent", "ACP agents", Reach.RUNS_CODE, Reach.WIDENS_PERMISSIONS),
        HOOKS("hooks", "hook", "hooks", Reach.RUNS_CODE, Reach.SENDS_DATA),
        COMMAND_SHELL("command-shell", "!`cmd` shell command in a custom command", "!`cmd` shell commands in custom commands", Reach.RUNS_CODE),
        SCRIPT_TOOLS("script-tools", "script tool", "script tools", Reach.RUNS_CODE),
        PLUGIN_JARS("plugin-jars", "plugin jar", "plugin jars", Reach.RUNS_CODE),
        PLUGINS("plugins", "Claude Code plugin", "Claude Code plugins", Reach.RUNS_CODE),
        /** A project's permission rules that allow: only a trusted folder may open what the user's rules ask about (DESIGN §24). */
        ALLOW_RULES("allow-rules", "allow rule", "allow rules", Reach.WIDENS_PERMISSIONS),
        /**
         * A project's {@code defaultMode} and {@code additionalDirectories} (its own or Claude Code's): they widen what
         * runs without an ask, so they are gated as allow rules are (DESIGN §27).
         */
        PERMISSION_MODES("permission-modes", "permission mode setting", "permission mode settings", Reach.READS_OUTSIDE, Reach.WRITES_OUTSIDE, Reach.WIDENS_PERMISSIONS),
        /** A project's status line command (DESIGN §27): it runs code, as a hook does. */
        STATUS_LINE("status-line", "status line command", "status line commands", Reach.RUNS_CODE),
        /** A project's value of a key the table of DESIGN §30 classes as reaching, with no kind of its own. */
        SETTINGS("settings", "setting", "settings"),
        /** A key the table of DESIGN §30 does not know: withheld as if it reached everything (fail closed). */
        UNCLASSED("unclassed", "unclassified key", "unclassified keys", Reach.READS_OUTSIDE, Reach.WRITES_OUTSIDE, Reach.RUNS_CODE, Reach.SENDS_DATA, Reach.WIDENS_PERMISSIONS);

        private final String id;
        private final String one;
        private final String many;
        private final java.util.Set<Reach> reach;

        Kind(String id, String one, String many, Reach... reach) {
            this.id = id;
            this.one = one;
            this.many = many;
            this.reach = java.util.Set.of(reach);
        }

        /**
         * What an item of this kind can reach at most (DESIGN §30): a key of the table that makes items of this kind
         * reaches no more ({@code ConfigKeysRuleTest}); said of an item put to trust outside the table (a hook of
         * {@code .claude/settings.json}, a server of {@code .mcp.json}).
         */
        public java.util.Set<Reach> reach() { return reach; }

        /** The stable name clients and scripts see ({@code provider-base-url}, ...). */
        public String id() { return id; }

        String words(int count) { return count == 1 ? one : many; }

        /** The words for one, e.g. {@code MCP server}. */
        public String one() { return one; }
    }

    public int count() { return items.size(); }

    /**
     * {@link #message()} with what was skipped named, for {@code lathe doctor} (issue 53: a count where {@code /mcp}
     * shows the servers), e.g. {@code skipped 1 MCP server from .mcp.json: evil (run lathe trust to allow it)}.
     */
    public String detail() {
        if (reason != Reason.UNTRUSTED || items.isEmpty() || kind == Kind.PERMISSION_MODES) return message();
        return "skipped " + count() + " " + kind.words(count()) + " from " + source + ": " + String.join(", ", items)
                + " (run lathe trust to allow " + (count() == 1 ? "it" : "them") + ")";
    }

    /**
     * The warning's words after {@code lathe: untrusted folder: } (DESIGN §18), e.g. {@code skipped 1 provider base URL
     * from lathe.json (run lathe trust to allow it)}; for items changed since trust, after {@code lathe: }, e.g.
     * {@code changed since trust: skipped 1 MCP server from .mcp.json: evil (run lathe trust --show to review, ...)}.
     */
    public String message() {
        if (reason == Reason.NEVER_FROM_PROJECT) {
            return "not applied: " + String.join(", ", items) + " from " + source + " (never taken from a project's file; lathe run --allow-all"
                    + " answers asks for one run)";
        }
        if (reason == Reason.NOT_AS_LOCKED) return "not applied: " + kind.words(count()) + " " + String.join("; ", items);
        if (reason == Reason.CHANGED_SINCE_TRUST) {
            return "changed since trust: skipped " + count() + " " + kind.words(count()) + " from " + source + ": " + String.join(", ", items)
                    + " (run lathe trust --show to review, lathe trust to allow " + (count() == 1 ? "it" : "them") + reaching() + ")";
        }
        // a mode is named where it is skipped (lathe run, the terminal UI), not only counted: it changes what asks
        String what = kind == Kind.PERMISSION_MODES ? String.join(", ", items) : count() + " " + kind.words(count());
        return "skipped " + what + " from " + source + " (run lathe trust to allow " + (count() == 1 ? "it" : "them") + ")";
    }
}
