package dev.lathe.core.config;

import dev.lathe.core.trust.KeyClass;
import static dev.lathe.core.trust.Reach.READS_OUTSIDE;
import static dev.lathe.core.trust.Reach.RUNS_CODE;
import static dev.lathe.core.trust.Reach.SENDS_DATA;
import static dev.lathe.core.trust.Reach.WIDENS_PERMISSIONS;
import static dev.lathe.core.trust.Reach.WRITES_OUTSIDE;

import java.util.List;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * What Lathe reads from other harnesses' files in a project (DESIGN §27, §30), each with its class: the keys of Claude
 * Code's settings, OpenCode's files and {@code .mcp.json} become the {@code lathe.json} keys they are read as (and are
 * held back by those keys' classes, {@link ReachGate}, or by the same gate where they are read apart: hooks, the status
 * line, MCP servers); memory imports, rules, skills, commands and agents are files with classes of their own. A key
 * these files are read for that is missing here fails {@code ConfigKeysRuleTest}.
 */
final class OtherHarnessKeys {
    private OtherHarnessKeys() {}

    /** One key (or kind of file) of another harness: where it is written, what Lathe reads it as, and its class. */
    record OtherKey(String file, String key, String readAs, KeyClass keyClass) {}

    private static final String CLAUDE_SETTINGS = ".claude/settings.json, .claude/settings.local.json";
    private static final String OPENCODE = String.join(", ", OpenCodeFile.NAMES);
    private static final KeyClass ALLOW_RULES = KeyClass.pinned(WIDENS_PERMISSIONS);

    static final List<OtherKey> KEYS = List.of(
            new OtherKey(CLAUDE_SETTINGS, "permissions.deny", "permission (deny rules): apply at once, trusted or not", KeyClass.NONE),
            new OtherKey(CLAUDE_SETTINGS, "permissions.ask", "permission (ask rules): apply at once, trusted or not", KeyClass.NONE),
            new OtherKey(CLAUDE_SETTINGS, "permissions.allow", "permission (allow rules)", ALLOW_RULES),
            new OtherKey(CLAUDE_SETTINGS, "permissions." + PermissionModes.MODE, "defaultMode (bypassPermissions never; dontAsk is permission.unattended deny)",
                    KeyClass.pinned(WIDENS_PERMISSIONS)),
            new OtherKey(CLAUDE_SETTINGS, "permissions." + PermissionModes.MODE + ": " + PermissionModes.AUTO,
                    "defaultMode auto (auto-approval from the start) only from the user's ~/.claude/settings.json, never a project's (DESIGN §31)",
                    KeyClass.userOnly(SENDS_DATA, WIDENS_PERMISSIONS)),
            new OtherKey(CLAUDE_SETTINGS, "autoMode", "not read: Lathe's classifier and its policy are permission.auto in the user's own config",
                    KeyClass.userOnly(SENDS_DATA, WIDENS_PERMISSIONS)),
            new OtherKey(CLAUDE_SETTINGS, "extraKnownMarketplaces",
                    "not added: lathe doctor suggests each to the user, who adds it with lathe plugin marketplace add (DESIGN §33)",
                    KeyClass.userOnly(RUNS_CODE, SENDS_DATA)),
            new OtherKey(CLAUDE_SETTINGS, "enabledPlugins", "not read: a plugin runs once the user installs it (lathe plugin install NAME@MARKETPLACE)",
                    KeyClass.userOnly(RUNS_CODE, SENDS_DATA)),
            new OtherKey(CLAUDE_SETTINGS, "permissions." + PermissionModes.DIRECTORIES, "additionalDirectories",
                    KeyClass.pinned(READS_OUTSIDE, WRITES_OUTSIDE, WIDENS_PERMISSIONS)),
            new OtherKey(CLAUDE_SETTINGS + ", .codex/hooks.json", "hooks", "hooks", KeyClass.pinned(RUNS_CODE, SENDS_DATA)),
            new OtherKey(CLAUDE_SETTINGS, StatusLineCommand.KEY, "statusLine", KeyClass.pinned(RUNS_CODE)),
            new OtherKey(McpJsonFile.NAME, "mcpServers", "mcp", KeyClass.pinned(RUNS_CODE, SENDS_DATA)),
            new OtherKey(OPENCODE, "$schema", "$schema", KeyClass.NONE),
            new OtherKey(OPENCODE, "mcp", "mcp", KeyClass.pinned(RUNS_CODE, SENDS_DATA)),
            new OtherKey(OPENCODE, "instructions", "instructions (outside the project; once trusted each file passes the external_directory rule as read does)", KeyClass.pinned(READS_OUTSIDE)),
            new OtherKey(OPENCODE, "agent", "agent (its permission allow rules pinned, the rest applied)", KeyClass.NONE),
            new OtherKey(OPENCODE, "command", "command", KeyClass.NONE),
            new OtherKey(OPENCODE, "permission", "permission (allow rules)", ALLOW_RULES),
            new OtherKey(OPENCODE, "tools", "permission (a switch turned on is an allow rule)", ALLOW_RULES),
            new OtherKey("CLAUDE.md, AGENTS.md and the memory files", "@path imports outside the project",
                    "the system prompt: withheld in an untrusted folder; once trusted each passes the external_directory rule as read does",
                    KeyClass.pinned(READS_OUTSIDE, SENDS_DATA)),
            new OtherKey(".claude/commands, .opencode/command, .lathe/commands", "!`cmd` in a command's text", "a shell command run when the command is used",
                    KeyClass.pinned(RUNS_CODE)),
            new OtherKey(".claude/agents, .opencode/agent, .lathe/agents", "tools, permission, permissionMode",
                    "an agent's rules: deny and ask at once, allow rules (acceptEdits, bypassPermissions) once trusted", ALLOW_RULES),
            new OtherKey(".claude/skills, .lathe/skills", "SKILL.md", "a skill's text, offered to the model as the skill tool", KeyClass.NONE),
            new OtherKey(".claude/rules, .cursor/rules", "rule files", "the system prompt (inside the project)", KeyClass.NONE),
            new OtherKey(".lathe/tools, node_modules/.bin", "script tools and plugin jars", "tools the model can call", KeyClass.pinned(RUNS_CODE)));

    /** {@code x-lathe-other-files}: per file, each key with its class. */
    static ObjectNode schema() {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        for (OtherKey k : KEYS) {
            ObjectNode entry = out.withObject(k.file()).putObject(k.key());
            entry.put("x-lathe-read-as", k.readAs());
            ReachSchema.annotated(entry, k.keyClass());
        }
        return out;
    }
}
