package dev.lathe.core.project;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.core.agent.BuiltinAgents;
import dev.lathe.core.config.Config;
import dev.lathe.core.config.ConfigLoader;
import dev.lathe.core.config.LathePaths;
import dev.lathe.core.permission.Action;
import dev.lathe.core.permission.Decision;
import dev.lathe.core.permission.GateDecision;
import dev.lathe.core.permission.Rule;
import dev.lathe.core.permission.RuleOrigin;
import dev.lathe.core.permission.Ruleset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every decision names the layer (and file) of the rule that made it, through the real chain: config files of every
 * layer read by the loader, the project's rules, an agent's layer, an "always" approval on top, and the gate's one
 * decision; and what decided without a rule (a protected path, the analysis of a command, no rule at all).
 */
class RuleOriginsTest {
    @TempDir Path tmp;

    private Path project;
    private Path global;
    private Path managed;

    private Ruleset rules(Map<String, String> extraEnv) throws Exception {
        project = Files.createDirectories(tmp.resolve("project"));
        global = tmp.resolve("xdg/lathe/lathe.json");
        Files.createDirectories(global.getParent());
        Files.writeString(global, "{\"permission\": {\"bash\": {\"git status *\": \"allow\", \"make *\": \"allow\"}}}");
        Files.writeString(project.resolve("lathe.json"), "{\"permission\": {\"bash\": {\"make *\": \"ask\", \"rm *\": \"deny\"}}}");
        Files.createDirectories(project.resolve(".lathe"));
        Files.writeString(project.resolve(".lathe/lathe.json"), "{\"permission\": {\"edit\": {\"src/**\": \"allow\", \".lathe/**\": \"allow\"}}}");
        managed = tmp.resolve("managed.json");
        Files.writeString(managed, "{\"permission\": {\"bash\": {\"curl *\": \"deny\"}}}");
        var env = new java.util.HashMap<>(Map.of("HOME", tmp.toString(), "XDG_CONFIG_HOME", tmp.resolve("xdg").toString()));
        env.putAll(extraEnv);
        // the project's allow rules apply once it is trusted (DESIGN §24), as trust pinned them (DESIGN §30)
        ConfigLoader loader = new ConfigLoader(LathePaths.fromEnvironment(env), env, managed);
        dev.lathe.core.info.TrustReview.approve(loader, project);
        Config config = loader.load(project);
        return Project.rulesOf(config);
    }

    private Decision bash(Ruleset rules, String command) {
        return GateDecision.decide(List.of(rules), project, "bash", GateDecision.Subject.COMMAND_LINES, List.of(command), project, dev.lathe.core.permission.ProtectedPaths.fromEnvironment(System.getenv()));
    }

    private Decision value(Ruleset rules, String permission, String value) {
        return GateDecision.decide(List.of(rules), project, permission, GateDecision.Subject.VALUES, List.of(value), project, dev.lathe.core.permission.ProtectedPaths.fromEnvironment(System.getenv()));
    }

    @Test
    void eachConfigLayerIsNamedWithItsFile() throws Exception {
        Ruleset rules = rules(Map.of("LATHE_CONFIG_CONTENT", "{\"permission\": {\"webfetch\": {\"https://docs.example/*\": \"allow\"}}}"));

        assertThat(bash(rules, "git status --short").origin()).isEqualTo(new RuleOrigin(RuleOrigin.Layer.GLOBAL, global.toString()));
        // the project's file replaced the global rule for the same pattern
        assertThat(bash(rules, "make test")).extracting(Decision::action, Decision::origin)
                .containsExactly(Action.ASK, new RuleOrigin(RuleOrigin.Layer.PROJECT, project.resolve("lathe.json").toString()));
        assertThat(value(rules, "edit", "src/Main.java").origin())
                .isEqualTo(new RuleOrigin(RuleOrigin.Layer.PROJECT, project.resolve(".lathe/lathe.json").toString()));
        assertThat(value(rules, "webfetch", "https://docs.example/a").origin())
                .isEqualTo(new RuleOrigin(RuleOrigin.Layer.ENVIRONMENT, "LATHE_CONFIG_CONTENT"));
        assertThat(value(rules, "read", ".env")).extracting(Decision::action, Decision::origin)
                .containsExactly(Action.ASK, new RuleOrigin(RuleOrigin.Layer.DEFAULTS, "built-in defaults"));
        assertThat(bash(rules, "curl https://example.com")).extracting(Decision::action, Decision::origin)
                .containsExactly(Action.DENY, new RuleOrigin(RuleOrigin.Layer.MANAGED, managed.toString()));
    }

    @Test
    void theAgentsLayerAndApprovalsAreNamed() throws Exception {
        Ruleset base = rules(Map.of());
        Ruleset plan = base.forAgent(BuiltinAgents.ALL.stream().filter(a -> a.name().equals("plan")).findFirst().orElseThrow().permission());

        assertThat(bash(plan, "make test")).extracting(Decision::action, Decision::origin)
                .containsExactly(Action.DENY, RuleOrigin.agent("plan", "built-in"));

        Ruleset approved = base.plus(List.of(new Rule("bash", "make *", Action.ALLOW, RuleOrigin.APPROVAL)));
        assertThat(bash(approved, "make test")).extracting(Decision::action, Decision::origin).containsExactly(Action.ALLOW, RuleOrigin.APPROVAL);
        assertThat(RuleOrigin.APPROVAL.layer().wire()).isEqualTo("approval");
    }

    @Test
    void whatDecidesWithoutARuleIsNamedToo() throws Exception {
        Ruleset rules = rules(Map.of());

        // an allow rule for .lathe/** cannot open a protected path
        assertThat(value(rules, "edit", ".lathe/lathe.json")).extracting(Decision::action, Decision::origin)
                .containsExactly(Action.ASK, RuleOrigin.PROTECTED_PATH);
        Decision prefixed = bash(rules, "PYTHONPATH=/tmp git status");
        assertThat(prefixed.action()).isEqualTo(Action.ASK);
        assertThat(prefixed.origin().layer()).isEqualTo(RuleOrigin.Layer.ANALYSIS);
        assertThat(prefixed.origin().source()).isEqualTo(prefixed.reason()).contains("PYTHONPATH");
        assertThat(value(new Ruleset(List.of()), "webfetch", "https://example.com").origin()).isEqualTo(RuleOrigin.NO_RULE);
        assertThat(RuleOrigin.PROTECTED_PATH.layer().wire()).isEqualTo("protected-path");
    }
}
