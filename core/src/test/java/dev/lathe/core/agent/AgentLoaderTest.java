package dev.lathe.core.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.core.config.Config;
import dev.lathe.core.config.ConfigLoader;
import dev.lathe.core.config.LathePaths;
import dev.lathe.core.permission.Action;
import dev.lathe.core.permission.PermissionDecider;
import dev.lathe.core.permission.Rule;
import dev.lathe.core.permission.RuleOrigin;
import dev.lathe.core.permission.Ruleset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Agents from config and agent files on disk: sources, precedence, the Claude Code and OpenCode dialects, bad files. */
class AgentLoaderTest {
    @TempDir Path tmp;
    Path globalConfig;
    Path repo;
    Path work;

    @BeforeEach
    void folders() throws Exception {
        globalConfig = tmp.resolve("xdg/lathe");
        repo = Files.createDirectories(tmp.resolve("repo"));
        work = Files.createDirectories(repo.resolve("sub/dir"));
    }

    private Map<String, String> env(String json) {
        return Map.of("HOME", tmp.toString(), "XDG_CONFIG_HOME", tmp.resolve("xdg").toString(), "LATHE_CONFIG_CONTENT", json);
    }

    private Config config(String json) {
        return new ConfigLoader(LathePaths.fromEnvironment(env(json)), env(json), tmp.resolve("managed.json")).load(repo);
    }

    private AgentLoader.Loaded load(String json) {
        return AgentLoader.load(config(json), AgentLoader.userFolders(LathePaths.fromEnvironment(env(json))), repo, work);
    }

    private void write(Path file, String text) throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    @Test
    void aBypassModeIsIgnoredWhereTheManagedSettingsDisableAllowAllNamingTheSetting() throws Exception {
        write(tmp.resolve(".claude/agents/yolo.md"), "---\nname: yolo\ndescription: Anything\npermissionMode: bypassPermissions\n---\nGo.\n");
        Path managed = Files.writeString(tmp.resolve("managed.json"), "{\"disableAllowAll\": true}");

        var loaded = load("{}");

        assertThat(loaded.agents().find("yolo").orElseThrow().permission()).isEmpty();
        assertThat(loaded.warnings()).singleElement().asString()
                .endsWith("yolo.md: permissionMode bypassPermissions ignored: the managed setting disableAllowAll (" + managed + ") turns it off");
    }

    /** A subagent as people write them for Claude Code (fields and body as in its documentation's examples). */
    static final String CLAUDE_REVIEWER = """
            ---
            name: code-reviewer
            description: Expert code review specialist. Proactively reviews code for quality, security, and maintainability. Use immediately after writing or modifying code.
            tools: Read, Grep, Glob, Bash
            model: haiku
            color: blue
            ---

            You are a senior code reviewer ensuring high standards of code quality and security.

            When invoked:
            1. Run git diff to see recent changes
            2. Focus on modified files
            3. Begin review immediately
            """;

    @Test
    void onlyTheBuiltInsWithoutConfigOrFiles() {
        var loaded = load("{}");
        assertThat(loaded.agents().names()).containsExactly("build", "plan", "review", "explore", "general");
        assertThat(loaded.warnings()).isEmpty();
        assertThat(loaded.agents().find("explore").orElseThrow().model()).isEmpty();
    }

    @Test
    void configDefinesNewAgentsAndChangesBuiltInsFieldByField() throws Exception {
        write(repo.resolve("review.md"), "Review carefully.\n");
        var loaded = load("""
                {"smallModel": "fake/small",
                 "agent": {
                   "plan": {"steps": 7, "model": "fake/big", "permission": {"bash": {"make check": "allow"}}},
                   "reviewer": {"description": "Reviews", "mode": "subagent", "prompt": "{file:review.md}", "temperature": 0.1,
                              "tools": {"write": false, "edit": false}},
                   "docs": {"prompt": "Write docs.", "tools": ["read", "write"]}}}
                """.replace("review.md", repo.resolve("review.md").toString()));
        Agent plan = loaded.agents().find("plan").orElseThrow();
        assertThat(plan.prompt()).isEqualTo(BuiltinAgents.ALL.get(1).prompt());
        assertThat(plan.steps()).contains(7);
        assertThat(plan.model()).contains("fake/big");
        // each rule says where it was written: the config's agent section, or the built-in agent
        assertThat(plan.permission()).contains(new Rule("bash", "make check", Action.ALLOW, RuleOrigin.agent("plan", "LATHE_CONFIG_CONTENT")),
                new Rule("edit", "*", Action.DENY, RuleOrigin.agent("plan", "built-in")));
        assertThat(plan.source()).isEqualTo("config");

        Agent review = loaded.agents().find("reviewer").orElseThrow();
        assertThat(review).isEqualTo(new Agent("reviewer", "Reviews", Agent.Mode.SUBAGENT, Optional.empty(), Optional.of(0.1), Optional.empty(),
                "Review carefully.", List.of(), Optional.of(List.of("*", "!edit", "!write")), "config"));
        assertThat(review.allowsTool("read")).isTrue();
        assertThat(review.allowsTool("write")).isFalse();

        Agent docs = loaded.agents().find("docs").orElseThrow();
        assertThat(docs.mode()).isEqualTo(Agent.Mode.ALL);
        assertThat(docs.allowsTool("write")).isTrue();
        assertThat(docs.allowsTool("bash")).isFalse();
        // explore runs on the small model
        assertThat(loaded.agents().find("explore").orElseThrow().model()).contains("fake/small");
    }

    @Test
    void laterSourcesWinByNameAndConfigPermissionStaysOnTop() throws Exception {
        write(globalConfig.resolve("agents/helper.md"), "---\ndescription: global\nmodel: fake/global\n---\nGlobal prompt.\n");
        write(repo.resolve(".claude/agents/helper.md"), "---\nname: helper\ndescription: claude\n---\nClaude prompt.\n");
        write(repo.resolve(".lathe/agents/helper.md"), "---\ndescription: repo lathe\npermission:\n  bash: allow\n---\nRepo prompt.\n");
        write(work.resolve(".opencode/agent/helper.md"), "---\ndescription: deep opencode\nmode: primary\n---\nDeep prompt.\n");
        var loaded = load("{\"agent\": {\"helper\": {\"description\": \"config\", \"temperature\": 0.5, \"permission\": {\"bash\": \"ask\"}}}}");

        Agent helper = loaded.agents().find("helper").orElseThrow();
        assertThat(loaded.warnings()).isEmpty();
        assertThat(helper.description()).isEqualTo("deep opencode");
        assertThat(helper.prompt()).isEqualTo("Deep prompt.");
        assertThat(helper.mode()).isEqualTo(Agent.Mode.PRIMARY);
        assertThat(helper.model()).contains("fake/global");
        assertThat(helper.temperature()).contains(0.5);
        // the repo's file said allow, config says ask: config has the last word on permissions
        assertThat(helper.permission()).containsExactly(new Rule("bash", "*", Action.ASK, RuleOrigin.agent("helper", "LATHE_CONFIG_CONTENT")));
        assertThat(helper.source()).isEqualTo(work.resolve(".opencode/agent/helper.md").toString());
        assertThat(loaded.agents().names()).containsExactly("build", "plan", "review", "explore", "general", "helper");
    }

    @Test
    void theUsersClaudeCodeAndOpenCodeAgentsLoadInTheirDialectsBeneathLathesAndTheProjects() throws Exception {
        write(tmp.resolve(".claude/agents/code-reviewer.md"), CLAUDE_REVIEWER);
        write(tmp.resolve(".claude/agents/helper.md"), "---\nname: helper\ndescription: Claude Code's helper\n---\nHelp.\n");
        write(tmp.resolve("xdg/opencode/agent/docs.md"), "---\ndescription: Writes docs\nmode: subagent\ntools:\n  write: false\n---\nDocument.\n");
        write(tmp.resolve("xdg/opencode/agents/helper.md"), "---\ndescription: OpenCode's helper\nmode: subagent\n---\nHelp.\n");
        write(globalConfig.resolve("agents/helper.md"), "---\ndescription: Lathe's helper\nmode: subagent\n---\nHelp more.\n");
        write(repo.resolve(".lathe/agents/code-reviewer.md"), "---\ndescription: The project's reviewer\n---\n");
        var loaded = load("{\"smallModel\": \"fake/small\"}");
        assertThat(loaded.warnings()).isEmpty();

        // mapped as Claude Code's: its tool names and the haiku alias (to the small model)
        Agent reviewer = loaded.agents().find("code-reviewer").orElseThrow();
        assertThat(reviewer.tools()).contains(List.of("read", "grep", "glob", "bash", "bash_output", "bash_kill"));
        assertThat(reviewer.model()).contains("fake/small");
        // fields a later layer sets win, the rest stays
        assertThat(reviewer.description()).isEqualTo("The project's reviewer");
        assertThat(reviewer.prompt()).startsWith("You are a senior code reviewer");
        assertThat(loaded.agents().find("helper").orElseThrow().description()).isEqualTo("Lathe's helper");
        Agent docs = loaded.agents().find("docs").orElseThrow();
        assertThat(docs.mode()).isEqualTo(Agent.Mode.SUBAGENT);
        assertThat(docs.allowsTool("write")).isFalse();
        assertThat(loaded.read()).containsKeys(tmp.resolve(".claude/agents"), tmp.resolve("xdg/opencode/agent"), tmp.resolve("xdg/opencode/agents"));
    }

    @Test
    void aClaudeCodeSubagentFileIsMapped() throws Exception {
        write(repo.resolve(".claude/agents/code-reviewer.md"), CLAUDE_REVIEWER);
        write(repo.resolve(".claude/agents/planner.md"), """
                ---
                name: planner
                description: Plans
                tools:
                  - Read
                  - MultiEdit
                  - WebSearch
                  - Bash(git diff:*)
                disallowedTools: Bash
                model: anthropic/claude-opus-4-5
                permissionMode: plan
                maxTurns: 12
                ---
                Plan it.
                """);
        write(repo.resolve(".claude/agents/editor.md"), "---\nname: editor\ndescription: Edits\nmodel: inherit\npermissionMode: acceptEdits\n---\nEdit.\n");
        write(repo.resolve(".claude/agents/yolo.md"), "---\nname: yolo\ndescription: Anything\nmodel: sonnet\npermissionMode: bypassPermissions\n---\nGo.\n");
        var loaded = load("{\"smallModel\": \"fake/small\"}");
        assertThat(loaded.warnings()).isEmpty();

        Agent reviewer = loaded.agents().find("code-reviewer").orElseThrow();
        assertThat(reviewer.mode()).isEqualTo(Agent.Mode.SUBAGENT);
        assertThat(reviewer.description()).startsWith("Expert code review specialist.");
        assertThat(reviewer.prompt()).startsWith("You are a senior code reviewer").endsWith("3. Begin review immediately");
        assertThat(reviewer.tools()).contains(List.of("read", "grep", "glob", "bash", "bash_output", "bash_kill"));
        assertThat(reviewer.model()).contains("fake/small");
        assertThat(reviewer.permission()).isEmpty();

        Agent planner = loaded.agents().find("planner").orElseThrow();
        assertThat(planner.tools()).contains(List.of("read", "edit", "apply_patch", "websearch", "bash", "bash_output", "bash_kill", "!bash", "!bash_output", "!bash_kill"));
        assertThat(planner.allowsTool("edit")).isTrue();
        assertThat(planner.allowsTool("bash")).isFalse();
        assertThat(planner.model()).contains("anthropic/claude-opus-4-5");
        assertThat(planner.steps()).contains(12);
        String plannerFile = repo.resolve(".claude/agents/planner.md").toString();
        assertThat(planner.permission()).isEqualTo(BuiltinAgents.READ_ONLY_RULES.stream().map(r -> r.from(RuleOrigin.agent("planner", plannerFile))).toList());

        Agent editor = loaded.agents().find("editor").orElseThrow();
        assertThat(editor.model()).isEmpty();
        assertThat(editor.tools()).isEmpty();
        assertThat(editor.permission()).containsExactly(new Rule("edit", "*", Action.ALLOW,
                RuleOrigin.agent("editor", repo.resolve(".claude/agents/editor.md").toString())));

        Agent yolo = loaded.agents().find("yolo").orElseThrow();
        var rules = new Ruleset(List.of(new Rule("*", "*", Action.ASK), new Rule("bash", "*", Action.ASK), new Rule("edit", "*", Action.ASK),
                new Rule("bash", "rm -rf /*", Action.DENY)), List.of(new Rule("webfetch", "*", Action.DENY))).forAgent(yolo.permission());
        assertThat(rules.evaluate("bash", "make")).isEqualTo(Action.ALLOW);
        assertThat(rules.evaluate("edit", "src/A.java")).isEqualTo(Action.ALLOW);
        assertThat(rules.evaluate("anything", "x")).isEqualTo(Action.ALLOW);
        // the config's own denials and the managed policy still hold
        assertThat(rules.evaluate("bash", "rm -rf /tmp")).isEqualTo(Action.DENY);
        assertThat(rules.evaluate("webfetch", "https://example.com")).isEqualTo(Action.DENY);
    }

    @Test
    void anOpenCodeAgentFileIsMapped() throws Exception {
        write(repo.resolve(".opencode/agents/docs-writer.md"), """
                ---
                description: Writes and maintains project documentation
                mode: subagent
                model: anthropic/claude-sonnet-4-20250514
                temperature: 0.3
                maxSteps: 9
                tools:
                  bash: false
                  patch: false
                permission:
                  edit: ask
                  webfetch: deny
                ---
                You are a technical writer.
                """);
        write(repo.resolve(".opencode/agent/off.md"), "---\ndescription: off\ndisable: true\n---\nNope.\n");
        var loaded = load("{}");

        Agent docs = loaded.agents().find("docs-writer").orElseThrow();
        assertThat(docs).isEqualTo(new Agent("docs-writer", "Writes and maintains project documentation", Agent.Mode.SUBAGENT,
                Optional.of("anthropic/claude-sonnet-4-20250514"), Optional.of(0.3), Optional.of(9), "You are a technical writer.",
                // OpenCode: patch is its edit permission, which covers write, edit and patch; a switch off denies (the file's own
                // permission entry for edit wins, as in OpenCode)
                List.of(new Rule("edit", "*", Action.ASK), new Rule("webfetch", "*", Action.DENY), new Rule("bash", "*", Action.DENY)),
                Optional.of(List.of("*", "!bash", "!edit", "!write", "!apply_patch")), repo.resolve(".opencode/agents/docs-writer.md").toString()));
        assertThat(loaded.agents().find("off")).isEmpty();
    }

    @Test
    void aMalformedFileIsSkippedWithAWarningNamingFileAndLineAndTheOthersLoad() throws Exception {
        Path bad = repo.resolve(".lathe/agents/bad.md");
        write(bad, "---\ndescription: fine\ntemprature: 0.3\n---\nPrompt.\n");
        Path broken = repo.resolve(".claude/agents/broken.md");
        write(broken, "---\nname: broken\ntools: [Read, Grep\n---\nPrompt.\n");
        write(repo.resolve(".lathe/agents/mode.md"), "---\nmode: sometimes\n---\nPrompt.\n");
        write(repo.resolve(".lathe/agents/good.md"), "---\ndescription: Good\nmode: primary\ntools: [read, grep]\n---\nGood prompt.\n");
        var loaded = load("{}");

        assertThat(loaded.agents().names()).containsExactly("build", "plan", "review", "explore", "general", "good");
        assertThat(loaded.warnings()).containsExactlyInAnyOrder(
                bad + ":3: agent skipped: unknown key 'temprature' (expected one of background, description, isolation, mode, model, name, permission, steps,"
                        + " temperature, tools; the prompt is the text after the front matter)",
                broken + ":3: agent skipped: a [ ] or { } value must close on its own line",
                repo.resolve(".lathe/agents/mode.md") + ":2: agent skipped: mode: expected primary, subagent or all, not 'sometimes'");
    }

    @Test
    void backgroundTrueInFrontMatterMakesTheAgentABackgroundTaskByDefaultAndAnotherValueIsRefused() throws Exception {
        write(repo.resolve(".claude/agents/watcher.md"), "---\nname: watcher\ndescription: Watches\nbackground: true\n---\nWatch.\n");
        write(repo.resolve(".lathe/agents/scout.md"), "---\ndescription: Scouts\nmode: subagent\nbackground: yes\n---\nScout.\n");
        write(repo.resolve(".lathe/agents/waiter.md"), "---\ndescription: Waits\nmode: subagent\nbackground: false\n---\nWait.\n");
        Path odd = repo.resolve(".lathe/agents/odd.md");
        write(odd, "---\ndescription: Odd\nbackground: sometimes\n---\nWork.\n");
        var loaded = load("{}");
        assertThat(loaded.agents().find("watcher").orElseThrow().launchMode()).isEqualTo(Agent.Launch.BACKGROUND);
        assertThat(loaded.agents().find("scout").orElseThrow().launchMode()).isEqualTo(Agent.Launch.BACKGROUND);
        assertThat(loaded.agents().find("waiter").orElseThrow().launchMode()).isEqualTo(Agent.Launch.BLOCKING);
        assertThat(loaded.agents().find("general").orElseThrow().launchMode()).isEqualTo(Agent.Launch.BLOCKING);
        assertThat(loaded.agents().find("odd")).isEmpty();
        assertThat(loaded.warnings()).containsExactly(odd + ":3: agent skipped: background: expected true or false");
    }

    @Test
    void backgroundInAConfigAgentObjectIsTheAgentsDefaultLaunch() throws Exception {
        write(repo.resolve(".lathe/agents/scout.md"), "---\ndescription: Scouts\nmode: subagent\nbackground: true\n---\nScout.\n");
        var loaded = load("{\"agent\": {\"general\": {\"background\": true}, \"scout\": {\"background\": false},"
                + " \"watcher\": {\"description\": \"Watches\", \"mode\": \"subagent\", \"background\": true}}}");
        assertThat(loaded.agents().find("general").orElseThrow().launchMode()).isEqualTo(Agent.Launch.BACKGROUND);
        assertThat(loaded.agents().find("watcher").orElseThrow().launchMode()).isEqualTo(Agent.Launch.BACKGROUND);
        // an agent file of the same name is read after the config and wins, as for the other fields but permission
        assertThat(loaded.agents().find("scout").orElseThrow().launchMode()).isEqualTo(Agent.Launch.BACKGROUND);
        assertThat(loaded.agents().find("explore").orElseThrow().launchMode()).isEqualTo(Agent.Launch.BLOCKING);
    }

    @Test
    void isolationWorktreeInFrontMatterRunsTheAgentInItsOwnWorktreeAndAnotherValueIsRefused() throws Exception {
        write(repo.resolve(".claude/agents/apart.md"), "---\nname: apart\ndescription: Apart\nisolation: worktree\n---\nWork apart.\n");
        write(repo.resolve(".lathe/agents/own.md"), "---\ndescription: Own\nmode: subagent\nisolation: worktree\n---\nWork apart.\n");
        Path odd = repo.resolve(".claude/agents/odd.md");
        write(odd, "---\nname: odd\ndescription: Odd\nisolation: container\n---\nWork.\n");
        var loaded = load("{}");
        assertThat(loaded.agents().find("apart").orElseThrow().isolation()).isEqualTo(Agent.Isolation.WORKTREE);
        assertThat(loaded.agents().find("own").orElseThrow().isolation()).isEqualTo(Agent.Isolation.WORKTREE);
        assertThat(loaded.agents().find("general").orElseThrow().isolation()).isEqualTo(Agent.Isolation.NONE);
        assertThat(loaded.agents().find("odd")).isEmpty();
        assertThat(loaded.warnings()).containsExactly(odd + ":4: agent skipped: isolation: expected worktree (or leave it out), not 'container'");
    }

    @Test
    void theDefaultAgentStaysPrimary() throws Exception {
        write(repo.resolve(".lathe/agents/build.md"), "---\nmode: subagent\n---\nMy own build prompt.\n");
        var loaded = load("{}");
        Agent build = loaded.agents().find("build").orElseThrow();
        assertThat(build.mode()).isEqualTo(Agent.Mode.PRIMARY);
        assertThat(build.prompt()).isEqualTo("My own build prompt.");
        assertThat(loaded.warnings()).singleElement().asString().contains("must stay a primary agent");
    }

    @Test
    void knowsWhenAnAgentFileWasAddedChangedOrRemoved() throws Exception {
        var loaded = load("{}");
        assertThat(loaded.isCurrent()).isTrue();
        Path file = work.resolve(".lathe/agents/new.md");
        write(file, "New.\n");
        assertThat(loaded.isCurrent()).isFalse();
        var again = load("{}");
        assertThat(again.agents().find("new")).isPresent();
        Files.writeString(file, "Changed, and longer.\n");
        assertThat(again.isCurrent()).isFalse();
        var third = load("{}");
        Files.delete(file);
        assertThat(third.isCurrent()).isFalse();
    }

    @Test
    void planChangesNothingWhatEverTheProjectAllows() throws Exception {
        Path project = Files.createDirectories(tmp.resolve("p"));
        Files.writeString(project.resolve("a.txt"), "x");
        Agent plan = load("{}").agents().find("plan").orElseThrow();
        var projectRules = new Ruleset(List.of(new Rule("*", "*", Action.ASK), new Rule("read", "*", Action.ALLOW),
                new Rule("edit", "*", Action.ALLOW), new Rule("edit", "src/**", Action.ALLOW), new Rule("bash", "*", Action.ASK),
                new Rule("bash", "npm test*", Action.ALLOW), new Rule("bash", "rm *", Action.ALLOW)));
        Ruleset rules = projectRules.forAgent(plan.permission())
                // "always" answers given to another agent do not open what plan closed
                .plus(List.of(new Rule("bash", "make *", Action.ALLOW), new Rule("edit", "docs/**", Action.ALLOW)));
        var decider = new PermissionDecider(rules, project, tmp);

        assertThat(decider.bash("ls -la", project).action()).isEqualTo(Action.ALLOW);
        assertThat(decider.bash("git status --short && git log -3 | head", project).action()).isEqualTo(Action.ALLOW);
        assertThat(decider.bash("cat a.txt", project).action()).isEqualTo(Action.ALLOW);
        assertThat(decider.bash("rm a.txt", project).action()).isEqualTo(Action.DENY);
        assertThat(decider.bash("npm test", project).action()).isEqualTo(Action.DENY);
        assertThat(decider.bash("make build", project).action()).isEqualTo(Action.DENY);
        assertThat(decider.bash("ls > listing.txt", project).action()).isEqualTo(Action.DENY);
        assertThat(decider.bash("find . -name '*.tmp' -delete", project).action()).isEqualTo(Action.DENY);
        assertThat(decider.bash("find . -exec rm {} ;", project).action()).isEqualTo(Action.DENY);
        assertThat(decider.bash("rg --pre ./evil foo", project).action()).isEqualTo(Action.DENY);
        assertThat(decider.bash("git diff --output=patch.txt", project).action()).isEqualTo(Action.DENY);
        assertThat(decider.bash("bash -c 'rm -rf src'", project).action()).isEqualTo(Action.DENY);
        assertThat(decider.path("edit", project.resolve("src/A.java")).action()).isEqualTo(Action.DENY);
        assertThat(decider.path("edit", project.resolve("docs/x.md")).action()).isEqualTo(Action.DENY);
        assertThat(decider.path("read", project.resolve("a.txt")).action()).isEqualTo(Action.ALLOW);

        // the config's agent.plan.permission can still open something on purpose
        Agent opened = load("{\"agent\": {\"plan\": {\"permission\": {\"edit\": {\"docs/plans/**\": \"allow\"}}}}}").agents().find("plan").orElseThrow();
        var withPlans = new PermissionDecider(projectRules.forAgent(opened.permission()), project, tmp);
        assertThat(withPlans.path("edit", project.resolve("docs/plans/next.md")).action()).isEqualTo(Action.ALLOW);
        assertThat(withPlans.path("edit", project.resolve("src/A.java")).action()).isEqualTo(Action.DENY);
    }
}
