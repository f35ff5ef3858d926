package dev.lathe.core.permission;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RulesetTest {
    private static Ruleset rules(Rule... rules) { return new Ruleset(List.of(rules)); }

    @Test
    void denyAndAskPathRulesIgnoreCaseAllowRulesDoNot() {
        var r = rules(new Rule("read", "*", Action.ALLOW), new Rule("read", ".env", Action.DENY), new Rule("read", "keys/**", Action.ASK),
                new Rule("edit", "*", Action.ASK), new Rule("edit", "build/**", Action.ALLOW), new Rule("bash", "rm *", Action.DENY));
        assertThat(r.evaluate("read", "a/.ENV")).isEqualTo(Action.DENY);
        assertThat(r.evaluate("read", "KEYS/id")).isEqualTo(Action.ASK);
        assertThat(r.evaluate("edit", "build/x")).isEqualTo(Action.ALLOW);
        assertThat(r.evaluate("edit", "BUILD/x")).isEqualTo(Action.ASK); // a case variant gains no allow
        assertThat(r.evaluate("bash", "RM x")).isEqualTo(Action.ASK); // command rules stay exact
    }

    @Test
    void aWildcardToolKeyCoversAnMcpServersToolsAndTheToolsOwnKeyStillWins() {
        var r = rules(new Rule("*", "*", Action.ASK), new Rule("github_*", "*", Action.ALLOW), new Rule("github_delete_*", "*", Action.DENY),
                new Rule("github_delete_branch", "*", Action.ASK));
        assertThat(r.evaluate("github_list_issues", "*")).isEqualTo(Action.ALLOW);
        assertThat(r.evaluate("github_delete_repo", "*")).isEqualTo(Action.DENY); // the more literal key wins
        assertThat(r.evaluate("github_delete_branch", "*")).isEqualTo(Action.ASK); // the tool's own key first
        assertThat(r.evaluate("gitlab_list", "*")).isEqualTo(Action.ASK);
        assertThat(r.evaluate("bash", "ls")).isEqualTo(Action.ASK); // "*" still covers the rest
    }

    @Test
    void mostSpecificPatternWins() {
        var r = rules(new Rule("bash", "*", Action.ASK), new Rule("bash", "git status*", Action.ALLOW), new Rule("bash", "git *", Action.DENY));
        assertThat(r.evaluate("bash", "git status --short")).isEqualTo(Action.ALLOW);
        assertThat(r.evaluate("bash", "git push")).isEqualTo(Action.DENY);
        assertThat(r.evaluate("bash", "ls")).isEqualTo(Action.ASK);
    }

    @Test
    void tiesGoToTheStricterActionWhateverTheOrder() {
        var a = rules(new Rule("bash", "rm *", Action.ALLOW), new Rule("bash", "rm *", Action.DENY));
        var b = rules(new Rule("bash", "rm *", Action.DENY), new Rule("bash", "rm *", Action.ALLOW));
        assertThat(a.evaluate("bash", "rm -rf x")).isEqualTo(Action.DENY);
        assertThat(b.evaluate("bash", "rm -rf x")).isEqualTo(Action.DENY);
    }

    @Test
    void trailingSpaceStarAlsoMatchesTheBareCommand() {
        var r = rules(new Rule("bash", "*", Action.DENY), new Rule("bash", "ls *", Action.ALLOW));
        assertThat(r.evaluate("bash", "ls")).isEqualTo(Action.ALLOW);
        assertThat(r.evaluate("bash", "ls -la")).isEqualTo(Action.ALLOW);
        assertThat(r.evaluate("bash", "lsof")).isEqualTo(Action.DENY);
    }

    @Test
    void pathPatternsWithoutSlashMatchAtAnyDepth() {
        var r = rules(new Rule("read", "*", Action.ALLOW), new Rule("read", ".env", Action.DENY), new Rule("read", "secrets/**", Action.ASK));
        assertThat(r.evaluate("read", "a/b/.env")).isEqualTo(Action.DENY);
        assertThat(r.evaluate("read", ".env")).isEqualTo(Action.DENY);
        assertThat(r.evaluate("read", "secrets/x/y.txt")).isEqualTo(Action.ASK);
        assertThat(r.evaluate("read", "src/Main.java")).isEqualTo(Action.ALLOW);
    }

    @Test
    void singleStarStaysWithinAFolderInPathRules() {
        var r = rules(new Rule("edit", "*", Action.ASK), new Rule("edit", "src/*.java", Action.ALLOW), new Rule("edit", "docs/**", Action.ALLOW));
        assertThat(r.evaluate("edit", "src/A.java")).isEqualTo(Action.ALLOW);
        assertThat(r.evaluate("edit", "src/x/A.java")).isEqualTo(Action.ASK);
        assertThat(r.evaluate("edit", "docs/a/b.md")).isEqualTo(Action.ALLOW);
    }

    @Test
    void toolRulesBeatTheGlobalFallbackAndNoRuleMeansAsk() {
        var r = rules(new Rule("*", "*", Action.DENY), new Rule("bash", "git *", Action.ALLOW));
        assertThat(r.evaluate("bash", "git log")).isEqualTo(Action.ALLOW);
        assertThat(r.evaluate("bash", "make")).isEqualTo(Action.DENY);
        assertThat(rules().evaluate("webfetch", "https://x")).isEqualTo(Action.ASK);
    }

    @Test
    void laterRulesReplaceEarlierOnesForTheSameKeyAndPattern() {
        var r = rules(new Rule("bash", "npm *", Action.DENY)).plus(List.of(new Rule("bash", "npm *", Action.ALLOW)));
        assertThat(r.evaluate("bash", "npm test")).isEqualTo(Action.ALLOW);
    }

    @Test
    void aManagedRuleOverridesEvenAMoreSpecificProjectRule() {
        var rules = new Ruleset(List.of(new Rule("bash", "rm -rf build", Action.ALLOW), new Rule("bash", "*", Action.ALLOW)),
                List.of(new Rule("bash", "rm *", Action.DENY)));
        assertThat(rules.evaluate("bash", "rm -rf build")).isEqualTo(Action.DENY);
        assertThat(rules.evaluate("bash", "ls")).isEqualTo(Action.ALLOW);
        // a higher layer cannot lift the policy either
        assertThat(rules.plus(List.of(new Rule("bash", "rm -rf build", Action.ALLOW))).evaluate("bash", "rm -rf build")).isEqualTo(Action.DENY);
    }

    @Test
    void anAgentLayerThatDeniesAKeyOutrightClosesItToLowerLayersAndApprovals() {
        var project = new Ruleset(List.of(new Rule("edit", "*", Action.ASK), new Rule("edit", "src/**", Action.ALLOW), new Rule("edit", "secrets/**", Action.DENY),
                new Rule("bash", "*", Action.ASK), new Rule("bash", "npm test*", Action.ALLOW), new Rule("read", "*", Action.ALLOW)),
                List.of(new Rule("bash", "ls *", Action.DENY)));
        var agent = project.forAgent(List.of(new Rule("edit", "*", Action.DENY), new Rule("edit", "plans/**", Action.ALLOW),
                new Rule("bash", "ls *", Action.ALLOW), new Rule("bash", "git log *", Action.ALLOW)));

        assertThat(agent.closed()).containsExactlyInAnyOrder("edit");
        assertThat(agent.evaluate("edit", "src/A.java")).isEqualTo(Action.DENY);
        assertThat(agent.evaluate("edit", "plans/next.md")).isEqualTo(Action.ALLOW);
        assertThat(agent.evaluate("edit", "secrets/plans/x")).isEqualTo(Action.DENY);
        // bash is not denied outright: the project's rules still count, by specificity
        assertThat(agent.evaluate("bash", "npm test")).isEqualTo(Action.ALLOW);
        assertThat(agent.evaluate("bash", "git log -3")).isEqualTo(Action.ALLOW);
        // the managed policy stays on top of every layer
        assertThat(agent.evaluate("bash", "ls -la")).isEqualTo(Action.DENY);
        assertThat(agent.evaluate("read", "a.txt")).isEqualTo(Action.ALLOW);

        var approved = agent.plus(List.of(new Rule("edit", "src/**", Action.ALLOW), new Rule("bash", "make *", Action.ALLOW)));
        assertThat(approved.evaluate("edit", "src/A.java")).isEqualTo(Action.DENY);
        assertThat(approved.evaluate("bash", "make all")).isEqualTo(Action.ALLOW);
    }

    @Test
    void anAgentThatDeniesEveryKeyKeepsOnlyItsOwnAllowances() {
        var project = rules(new Rule("*", "*", Action.ASK), new Rule("read", "*", Action.ALLOW), new Rule("bash", "rm *", Action.DENY), new Rule("grep", "*", Action.ALLOW));
        var agent = project.forAgent(List.of(new Rule("*", "*", Action.DENY), new Rule("read", "*", Action.ALLOW)));
        assertThat(agent.evaluate("read", "a.txt")).isEqualTo(Action.ALLOW);
        assertThat(agent.evaluate("grep", "x")).isEqualTo(Action.DENY);
        assertThat(agent.evaluate("webfetch", "https://example.com")).isEqualTo(Action.DENY);
        assertThat(agent.evaluate("bash", "rm x")).isEqualTo(Action.DENY);
        assertThat(agent.plus(List.of(new Rule("grep", "*", Action.ALLOW))).evaluate("grep", "x")).isEqualTo(Action.DENY);
    }

    @Test
    void anApprovalNeverOutlivesADenyForTheSamePattern() {
        var rules = new Ruleset(List.of(new Rule("edit", "*", Action.DENY)));
        assertThat(rules.plus(List.of(new Rule("edit", "*", Action.ALLOW, RuleOrigin.APPROVAL))).evaluate("edit", "a.txt")).isEqualTo(Action.DENY);
        assertThat(new Ruleset(List.of(new Rule("edit", "*", Action.ASK))).plus(List.of(new Rule("edit", "*", Action.ALLOW, RuleOrigin.APPROVAL)))
                .evaluate("edit", "a.txt")).isEqualTo(Action.ALLOW);
    }

    @Test
    void aKeyThatIsAPatternOfToolNamesCoversAServersToolsBelowTheToolsOwnKey() {
        var r = rules(new Rule("*", "*", Action.ASK), new Rule("github_*", "*", Action.ALLOW), new Rule("github_delete_*", "*", Action.DENY),
                new Rule("github_delete_branch", "*", Action.ASK));
        assertThat(r.evaluate("github_create_issue", "*")).isEqualTo(Action.ALLOW);
        assertThat(r.evaluate("github_delete_repo", "*")).isEqualTo(Action.DENY);          // the more specific key
        assertThat(r.evaluate("github_delete_branch", "*")).isEqualTo(Action.ASK);         // the tool's own key first
        assertThat(r.evaluate("gitlab_create_issue", "*")).isEqualTo(Action.ASK);          // not covered: "*"
        assertThat(r.winner("github_create_issue", "*").orElseThrow().text()).isEqualTo("github_*: *");
        // a managed pattern key decides over every other layer
        var managed = new Ruleset(List.of(new Rule("github_create_issue", "*", Action.ALLOW)), List.of(new Rule("github_*", "*", Action.DENY)));
        assertThat(managed.evaluate("github_create_issue", "*")).isEqualTo(Action.DENY);
        assertThat(managed.evaluate("bash", "ls")).isEqualTo(Action.ASK);
    }
}
