package dev.lathe.core.permission;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RulesetTest {
    private static Ruleset rules(Rule... rules) { return new Ruleset(List.of(rules)); }

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
}
