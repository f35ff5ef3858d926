package dev.lathe.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Claude Code's rule syntax, each form as Claude Code's settings documentation writes it, mapped onto Lathe's rules;
 * what has no counterpart is named with its file and rule, never dropped silently.
 */
class ClaudePermissionsTest {
    private static final Path PROJECT = Path.of("/work/repo");
    private static final Path HOME = Path.of("/home/u");

    private static ClaudePermissions.Mapped map(String json) {
        return ClaudePermissions.mapped(LocatedJson.parse("/work/repo/.claude/settings.json", json),
                new ClaudePermissions.Place(PROJECT, PROJECT, HOME, ".claude/settings.json"));
    }

    private static String rules(String json) {
        return map(json).layer().root().toString();
    }

    @Test
    void pathRulesReadAsLatheReadsAPattern() {
        assertThat(rules("""
                {"permissions": {"deny": ["Read(./secret.txt)", "Read(./.env.*)", "Read(/build/**)", "Read(//etc/shadow)",
                  "Read(~/.ssh/**)", "Read(//work/repo/keys/a.pem)", "Edit(docs/)", "Write(*.lock)", "Read"]}}
                """)).isEqualTo("{\"permission\":{\"read\":{\"secret.txt\":\"deny\",\".env.*\":\"deny\",\"build/**\":\"deny\",\"/etc/shadow\":\"deny\","
                + "\"/home/u/.ssh/**\":\"deny\",\"keys/a.pem\":\"deny\",\"*\":\"deny\"},\"edit\":{\"docs/**\":\"deny\",\"*.lock\":\"deny\"}}}");
    }

    @Test
    void bashRulesInEveryForm() {
        assertThat(rules("""
                {"permissions": {"deny": ["Bash(rm:*)", "Bash(git push *)"], "ask": ["Bash(npm run test:*)", "Bash(make)"],
                  "allow": ["Bash(git status)", "Bash"]}}
                """)).isEqualTo("{\"permission\":{\"bash\":{\"rm *\":\"deny\",\"git push *\":\"deny\",\"npm run test *\":\"ask\",\"make\":\"ask\","
                + "\"git status\":\"allow\",\"*\":\"allow\"}}}");
    }

    @Test
    void webFetchAndMcpRules() {
        assertThat(rules("""
                {"permissions": {"deny": ["WebFetch(domain:evil.example)", "mcp__github__delete_repo"], "ask": ["mcp__slack", "mcp__jira__*"]}}
                """)).isEqualTo("{\"permission\":{\"webfetch\":{\"https://evil.example\":\"deny\",\"https://evil.example/*\":\"deny\","
                + "\"http://evil.example\":\"deny\",\"http://evil.example/*\":\"deny\"},\"github_delete_repo\":{\"*\":\"deny\"},"
                + "\"slack_*\":{\"*\":\"ask\"},\"jira_*\":{\"*\":\"ask\"}}}");
    }

    @Test
    void aLooserRuleOfTheSameFileNeverOutSpecifiesAStricterOne() {
        // Claude Code decides deny, then ask, then allow: an allow can carve nothing out of a deny
        assertThat(rules("""
                {"permissions": {"deny": ["Bash(rm:*)", "Read(./secrets/**)"], "allow": ["Bash(rm -rf build)", "Read(./secrets/public.txt)",
                  "Bash(ls:*)"], "ask": ["Bash(rm build)"]}}
                """)).isEqualTo("{\"permission\":{\"bash\":{\"rm *\":\"deny\",\"ls *\":\"allow\"},\"read\":{\"secrets/**\":\"deny\"}}}");
    }

    /** Claude Code's "deny instead of prompting" mode is Lathe's {@code unattended: deny} (DESIGN §26). */
    @Test
    void dontAskModeDeniesEveryAsk() {
        var mapped = map("{\"permissions\": {\"defaultMode\": \"dontAsk\", \"deny\": [\"Bash(curl:*)\"]}}");
        assertThat(mapped.layer().root().toString()).isEqualTo("{\"permission\":{\"unattended\":\"deny\",\"bash\":{\"curl *\":\"deny\"}}}");
        assertThat(mapped.unmapped()).isEmpty();
    }

    @Test
    void whatHasNoCounterpartIsNamedWithItsFileAndRule() {
        var mapped = map("""
                {"permissions": {"deny": ["SlashCommand", "Read(../outside.txt)", "Grep(src/**)", 42, ""], "allow": ["WebFetch(domain:*.example.com)"],
                  "defaultMode": "yolo", "additionalDirectories": "../other", "disableBypassPermissionsMode": "disable"}}
                """);
        assertThat(mapped.unmapped()).containsExactly(
                ".claude/settings.json: permissions.defaultMode: Lathe has no mode \"yolo\"; not applied",
                ".claude/settings.json: permissions.additionalDirectories: expected a list of folders; not applied",
                ".claude/settings.json: permissions.disableBypassPermissionsMode: Lathe does not apply it",
                ".claude/settings.json: deny SlashCommand: Lathe has no counterpart of SlashCommand",
                ".claude/settings.json: deny Read(../outside.txt): a path above the project is written //ABSOLUTE or ~/PATH for Lathe",
                ".claude/settings.json: deny Grep(src/**): Lathe's grep rules take no specifier; write the path as a Read rule",
                ".claude/settings.json: deny 42: expected a rule such as Read(./.env) or Bash(rm:*)",
                ".claude/settings.json: deny : expected a rule such as Read(./.env) or Bash(rm:*)",
                ".claude/settings.json: allow WebFetch(domain:*.example.com): an allow rule for every subdomain is not applied; name each host");
        assertThat(mapped.layer().root().toString()).isEqualTo("{}");
        // the websearch tool (DESIGN §29) is Claude Code's WebSearch: a project's deny of it holds here too
        assertThat(map("{\"permissions\": {\"deny\": [\"WebSearch\"]}}").layer().root().toString())
                .isEqualTo("{\"permission\":{\"websearch\":{\"*\":\"deny\"}}}");
    }

    /** DESIGN §27: the modes become Lathe's keys of the same names; bypassPermissions never, named by whose file it is. */
    @Test
    void modesAndFoldersBecomeLathesKeysButNeverBypass() {
        var mapped = map("{\"permissions\": {\"defaultMode\": \"acceptEdits\", \"additionalDirectories\": [\"../shared\", \"~/notes\"]}}");
        assertThat(mapped.layer().root().toString()).isEqualTo("{\"defaultMode\":\"acceptEdits\",\"additionalDirectories\":[\"../shared\",\"~/notes\"]}");
        assertThat(mapped.unmapped()).isEmpty();
        assertThat(map("{\"permissions\": {\"defaultMode\": \"plan\"}}").layer().root().toString()).isEqualTo("{\"defaultMode\":\"plan\"}");

        var bypass = map("{\"permissions\": {\"defaultMode\": \"bypassPermissions\"}}");
        assertThat(bypass.layer().root().toString()).isEqualTo("{}");
        assertThat(bypass.neverFromProject()).containsExactly("defaultMode bypassPermissions");
        var users = ClaudePermissions.mapped(LocatedJson.parse("/home/u/.claude/settings.json", "{\"permissions\": {\"defaultMode\": \"bypassPermissions\"}}"),
                new ClaudePermissions.Place(Path.of("/home/u"), Path.of("/work/repo"), Path.of("/home/u"), "~/.claude/settings.json"));
        assertThat(users.neverFromProject()).isEmpty();
        assertThat(users.unmapped()).containsExactly("~/.claude/settings.json: permissions.defaultMode: " + PermissionModes.NO_BYPASS);
    }
}
