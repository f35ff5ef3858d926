package dev.lathe.core.permission;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one decision the gate and {@code lathe debug permission} share. */
class GateDecisionTest {
    @TempDir Path project;

    @Test
    void theStrictestAnswerOverEveryRuleSetAndPatternWinsAndNamesItsRule() {
        var own = new Ruleset(List.of(new Rule("edit", "*", Action.ALLOW)));
        var parent = new Ruleset(List.of(new Rule("edit", "*", Action.ALLOW), new Rule("edit", "secrets/**", Action.DENY)));

        Decision d = GateDecision.decide(List.of(own, parent), project, "edit", GateDecision.Subject.VALUES, List.of("src/A.java", "secrets/key.pem"), project, dev.lathe.core.permission.ProtectedPaths.fromEnvironment(System.getenv()));

        assertThat(d.action()).isEqualTo(Action.DENY);
        assertThat(d.rule()).isEqualTo("edit: secrets/**");
        assertThat(d.reason()).isEqualTo("an edit rule matches");
        assertThat(GateDecision.decide(List.of(own), project, "edit", GateDecision.Subject.VALUES, List.of("secrets/key.pem"), project, dev.lathe.core.permission.ProtectedPaths.fromEnvironment(System.getenv())).action()).isEqualTo(Action.ALLOW);
    }

    @Test
    void withoutAMatchingRuleTheAnswerIsAskAndWithoutPatternsAllow() {
        var rules = new Ruleset(List.of(new Rule("read", "*", Action.ALLOW)));

        Decision none = GateDecision.decide(List.of(rules), project, "webfetch", GateDecision.Subject.VALUES, List.of("https://example.com"), project, dev.lathe.core.permission.ProtectedPaths.fromEnvironment(System.getenv()));

        assertThat(none.action()).isEqualTo(Action.ASK);
        assertThat(none.rule()).isEqualTo("default");
        assertThat(none.reason()).isEqualTo("no rule matches webfetch; the default is ask");
        assertThat(GateDecision.decide(List.of(rules), project, "read", GateDecision.Subject.VALUES, List.of("a"), project, dev.lathe.core.permission.ProtectedPaths.fromEnvironment(System.getenv())).reason())
                .isEqualTo("a read rule matches");
        assertThat(GateDecision.article("external_directory")).isEqualTo("an");
        assertThat(GateDecision.article("bash")).isEqualTo("a");
        assertThat(GateDecision.decide(List.of(rules), project, "webfetch", GateDecision.Subject.VALUES, List.of(), project, dev.lathe.core.permission.ProtectedPaths.fromEnvironment(System.getenv())).action()).isEqualTo(Action.ALLOW);
    }

    @Test
    void aBashLineIsDecidedByWhatItRuns() {
        var rules = new Ruleset(List.of(new Rule("bash", "*", Action.ASK), new Rule("bash", "git status *", Action.ALLOW),
                new Rule("bash", "rm *", Action.DENY), new Rule("read", "*", Action.ALLOW)));

        Decision d = GateDecision.decide(List.of(rules), project, "bash", GateDecision.Subject.COMMAND_LINES, List.of("git status && bash -c 'rm -rf build'"), project, dev.lathe.core.permission.ProtectedPaths.fromEnvironment(System.getenv()));

        assertThat(d.action()).isEqualTo(Action.DENY);
        assertThat(d.commands()).contains("git status", "rm -rf build");
        assertThat(d.rule()).isEqualTo("bash: rm *");
        assertThat(GateDecision.decide(List.of(rules), project, "bash", GateDecision.Subject.COMMAND_LINES, List.of("git status --short"), project, dev.lathe.core.permission.ProtectedPaths.fromEnvironment(System.getenv())).action()).isEqualTo(Action.ALLOW);
    }
}
