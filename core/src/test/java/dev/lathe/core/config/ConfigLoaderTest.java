package dev.lathe.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    @TempDir Path tmp;

    private Config load(Map<String, String> env, Path project) {
        var full = new HashMap<>(env);
        full.put("XDG_CONFIG_HOME", tmp.resolve("xdg-config").toString());
        full.put("HOME", tmp.toString());
        return new ConfigLoader(LathePaths.fromEnvironment(full), full, tmp.resolve("managed.json")).load(project);
    }

    @Test
    void layersMergeDeeplyInOrderWithLaterLayersWinning() throws IOException {
        Path global = tmp.resolve("xdg-config/lathe/lathe.json");
        Files.createDirectories(global.getParent());
        Files.writeString(global, """
                // global defaults, with comments and a trailing comma
                { "model": "a/one",
                  "provider": { "a": { "protocol": "openai-chat", "baseUrl": "http://127.0.0.1:1/v1", "models": {"one": {"context": 1000, "output": 100}} } },
                  "permission": { "bash": { "git status*": "allow", "rm *": "deny" } }, }
                """);
        Path project = Files.createDirectories(tmp.resolve("proj"));
        Files.writeString(project.resolve("lathe.json"), """
                { "permission": { "bash": { "rm *": "ask" } }, "instructions": ["a.md"] }
                """);
        Config c = load(Map.of("LATHE_CONFIG_CONTENT", "{\"model\": \"a/two\"}"), project);

        assertThat(c.model()).contains("a/two");
        assertThat(c.providers().get("a").models().get("one").context()).isEqualTo(1000);
        assertThat(c.permission()).contains(
                new Config.PermissionRuleConfig("bash", "git status*", "allow", new Config.RuleSource(Config.Layer.GLOBAL, global.toString())),
                new Config.PermissionRuleConfig("bash", "rm *", "ask",
                        new Config.RuleSource(Config.Layer.PROJECT, project.resolve("lathe.json").toString())));
        assertThat(c.permission()).noneMatch(r -> r.pattern().equals("rm *") && r.action().equals("deny"));
        // the entries keep the layer that wrote them: a project's reach out only as its imports do (decision 641)
        assertThat(c.instructions()).containsExactly(
                new Config.Instruction("a.md", new Config.RuleSource(Config.Layer.PROJECT, project.resolve("lathe.json").toString())));
        Files.writeString(global, "{\"instructions\": [\"~/notes.md\"]}");
        Files.delete(project.resolve("lathe.json"));
        assertThat(load(Map.of(), project).instructions()).singleElement().satisfies(i -> {
            assertThat(i.entry()).isEqualTo("~/notes.md");
            assertThat(i.fromProject()).isFalse();
        });
    }

    @Test
    void anUntrustedProjectLayerLosesWhatRunsCodeOrReachesSecretsAndATrustedOneKeepsIt() throws IOException {
        Path project = Files.createDirectories(tmp.resolve("proj"));
        Files.writeString(project.resolve("lathe.json"), """
                { "provider": { "corp": { "protocol": "openai-chat", "baseUrl": "http://127.0.0.1:1/v1", "headers": {"x-a": "1"},
                                          "apiKey": "{env:SECRET_KEY}" } },
                  "agent": { "build": { "prompt": "{file:~/.ssh/id_rsa}" } },
                  "sandbox": { "mode": "off" },
                  "instructions": ["a.md", "/etc/passwd", "~/.aws/credentials", "docs/../../up.md"] }
                """);
        Files.createDirectories(tmp.resolve(".ssh"));
        Files.writeString(tmp.resolve(".ssh/id_rsa"), "PRIVATE-KEY-TEXT");
        var env = new HashMap<String, String>(Map.of("SECRET_KEY", "sk-from-env", "XDG_CONFIG_HOME", tmp.resolve("xdg-config").toString(),
                "XDG_DATA_HOME", tmp.resolve("data").toString(), "HOME", tmp.toString()));
        var paths = LathePaths.fromEnvironment(env);
        var loader = new ConfigLoader(paths, env, tmp.resolve("managed.json"));

        Config untrusted = loader.load(project);

        assertThat(untrusted.providers().get("corp").baseUrl()).isEmpty();
        assertThat(untrusted.providers().get("corp").headers()).isEmpty();
        assertThat(untrusted.providers().get("corp").apiKey()).isEmpty();
        assertThat(untrusted.agents().get("build").prompt()).contains("");
        assertThat(untrusted.sandbox()).isEqualTo(SandboxConfig.DEFAULT);
        assertThat(untrusted.instructions()).extracting(Config.Instruction::entry).containsExactly("a.md");
        assertThat(untrusted.withheld()).extracting(w -> w.kind().id() + " " + w.items()).containsExactly(
                "provider-base-url [corp]", "provider-headers [corp.x-a]", "substitution [provider.corp.apiKey, agent.build.prompt]",
                "sandbox-settings [sandbox]", "instructions-outside [/etc/passwd, ~/.aws/credentials, docs/../../up.md]");
        assertThat(untrusted.toString()).doesNotContain("sk-from-env", "PRIVATE-KEY-TEXT");

        dev.lathe.core.info.TrustReview.approve(loader, project);
        Config trusted = loader.load(project);

        assertThat(trusted.withheld()).isEmpty();
        assertThat(trusted.providers().get("corp").baseUrl()).contains("http://127.0.0.1:1/v1");
        assertThat(trusted.providers().get("corp").apiKey()).contains("sk-from-env");
        assertThat(trusted.agents().get("build").prompt()).contains("PRIVATE-KEY-TEXT");
        assertThat(trusted.sandbox().mode()).isEqualTo(SandboxConfig.Mode.OFF);
        assertThat(trusted.instructions()).hasSize(4);
    }

    @Test
    void aTrustedProjectsFileSubstitutionSwappedForALinkOutIsRefusedNotFollowed() throws IOException {
        // issue 79's re-attack: trust pins the text {file:prompt.md}, not where prompt.md leads afterwards
        Path project = Files.createDirectories(tmp.resolve("proj"));
        Files.writeString(project.resolve("prompt.md"), "Be brief.");
        Files.writeString(tmp.resolve("token.txt"), "OUTSIDE-BY-NAME");
        Files.writeString(project.resolve("lathe.json"),
                "{\"agent\": {\"build\": {\"prompt\": \"{file:prompt.md}\"}, \"plan\": {\"prompt\": \"{file:~/token.txt}\"}}}");
        Files.createDirectories(tmp.resolve(".ssh"));
        Files.writeString(tmp.resolve(".ssh/id_rsa"), "PRIVATE-KEY-TEXT");
        var env = new HashMap<String, String>(Map.of("XDG_CONFIG_HOME", tmp.resolve("xdg-config").toString(),
                "XDG_DATA_HOME", tmp.resolve("data").toString(), "HOME", tmp.toString()));
        var loader = new ConfigLoader(LathePaths.fromEnvironment(env), env, tmp.resolve("managed.json"));
        dev.lathe.core.info.TrustReview.approve(loader, project);
        Config trusted = loader.load(project);
        assertThat(trusted.agents().get("build").prompt()).contains("Be brief.");
        // a path outside the project as written was shown and approved as such: it is read
        assertThat(trusted.agents().get("plan").prompt()).contains("OUTSIDE-BY-NAME");

        Files.delete(project.resolve("prompt.md"));
        Files.createSymbolicLink(project.resolve("prompt.md"), tmp.resolve(".ssh/id_rsa"));
        assertThatThrownBy(() -> loader.load(project)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("prompt.md").hasMessageNotContaining("PRIVATE-KEY-TEXT");
        // the user's own file follows its links, as before
        Files.createDirectories(tmp.resolve("xdg-config/lathe"));
        Files.writeString(tmp.resolve("xdg-config/lathe/lathe.json"), "{\"agent\": {\"general\": {\"prompt\": \"{file:~/mine.md}\"}}}");
        Files.createSymbolicLink(tmp.resolve("mine.md"), tmp.resolve("token.txt"));
        Files.delete(project.resolve("lathe.json"));
        assertThat(loader.load(project).agents().get("general").prompt()).contains("OUTSIDE-BY-NAME");
    }

    @Test
    void unknownKeyNamesFileLineAndKey() throws IOException {
        Path project = Files.createDirectories(tmp.resolve("p"));
        Files.writeString(project.resolve("lathe.json"), "{\n  \"model\": \"a/b\",\n  \"modle\": \"x\"\n}\n");
        assertThatThrownBy(() -> load(Map.of(), project))
                .isInstanceOf(ConfigException.class)
                .hasMessage(project.resolve("lathe.json") + ":3: modle: unknown key (did you mean 'model'?)");
    }

    /** DESIGN §18: an agent object's {@code background} is its launch by default; a bad value names file, line and key. */
    @Test
    void anAgentObjectsBackgroundIsBoundAndABadValueNamesFileLineAndKey() throws IOException {
        Path project = Files.createDirectories(tmp.resolve("bg"));
        Files.writeString(project.resolve("lathe.json"), "{\"agent\": {\"scout\": {\"mode\": \"subagent\", \"background\": true},\n  \"waiter\": {\"background\": false}}}\n");
        Config c = load(Map.of(), project);
        assertThat(c.agents().get("scout").background()).contains(true);
        assertThat(c.agents().get("waiter").background()).contains(false);
        Files.writeString(project.resolve("lathe.json"), "{\"agent\": {\"scout\": {\n  \"mode\": \"subagent\",\n  \"background\": \"sometimes\"}}}\n");
        assertThatThrownBy(() -> load(Map.of(), project))
                .isInstanceOf(ConfigException.class)
                .hasMessage(project.resolve("lathe.json") + ":3: agent.scout.background: expected true or false");
    }

    @Test
    void wrongTypeNamesNestedKeyAndLine() {
        String inline = "{\"provider\": {\"x\": {\n \"protocol\": \"openai-chat\",\n \"models\": {\"m\": {\"context\": \"big\"}}}}}";
        assertThatThrownBy(() -> load(Map.of("LATHE_CONFIG_CONTENT", inline), tmp))
                .hasMessage("LATHE_CONFIG_CONTENT:3: provider.x.models.m.context: expected a non-negative whole number");
    }

    @Test
    void aSubscriptionsOAuthUrlsAndPortAreCheckedWhenTheConfigLoads() {
        // a URL the pattern let through but no URI parses: refused here, not thrown at when a client starts a sign-in
        String spaced = "{\"provider\": {\"openai\": {\n \"oauth\": {\n  \"issuer\": \"https://auth openai.com\"}}}}";
        assertThatThrownBy(() -> load(Map.of("LATHE_CONFIG_CONTENT", spaced), tmp))
                .hasMessage("LATHE_CONFIG_CONTENT:3: provider.openai.oauth.issuer: must be an http:// or https:// URL with a host");
        String noHost = "{\"provider\": {\"github-copilot\": {\"oauth\": {\"api\": \"https:///copilot\"}}}}";
        assertThatThrownBy(() -> load(Map.of("LATHE_CONFIG_CONTENT", noHost), tmp)).hasMessageContaining("provider.github-copilot.oauth.api: must be");
        String port = "{\"provider\": {\"openai\": {\"oauth\": {\n  \"redirectPort\": 70000}}}}";
        assertThatThrownBy(() -> load(Map.of("LATHE_CONFIG_CONTENT", port), tmp))
                .hasMessage("LATHE_CONFIG_CONTENT:2: provider.openai.oauth.redirectPort: expected a port from 1 to 65535 (or 0: any free port)");
        String negative = "{\"provider\": {\"openai\": {\"oauth\": {\"redirectPort\": -1}}}}";
        assertThatThrownBy(() -> load(Map.of("LATHE_CONFIG_CONTENT", negative), tmp)).hasMessageContaining("provider.openai.oauth.redirectPort");

        String fine = "{\"provider\": {\"openai\": {\"oauth\": {\"issuer\": \"http://127.0.0.1:8080/\", \"redirectPort\": 0}}}}";
        assertThat(load(Map.of("LATHE_CONFIG_CONTENT", fine), tmp).providers().get("openai").oauth().redirectPort()).hasValue(0);
    }

    /**
     * {@code {env:…}} in an oauth URL is expanded after validation: the schema checks the URL around it, and a URL that
     * is all substitution is checked once expanded (the value itself is not repeated in the error).
     */
    @Test
    void aSubscriptionsOAuthUrlMayNameItsHostThroughTheEnvironment() {
        String hosted = "{\"provider\": {\"openai\": {\"oauth\": {\"issuer\": \"https://{env:AUTH_HOST}\"}},"
                + " \"github-copilot\": {\"oauth\": {\"api\": \"{env:COPILOT_API}\"}}}}";
        Config config = load(Map.of("LATHE_CONFIG_CONTENT", hosted, "AUTH_HOST", "auth.example.test:8443", "COPILOT_API", "http://127.0.0.1:9/api"), tmp);
        assertThat(config.providers().get("openai").oauth().issuer()).hasValue("https://auth.example.test:8443");
        assertThat(config.providers().get("github-copilot").oauth().api()).hasValue("http://127.0.0.1:9/api");

        String unset = "{\"provider\": {\"openai\": {\"oauth\": {\n  \"issuer\": \"https://{env:AUTH_HOST}\"}}}}";
        assertThatThrownBy(() -> load(Map.of("LATHE_CONFIG_CONTENT", unset), tmp)).hasMessage("LATHE_CONFIG_CONTENT:2: provider.openai.oauth.issuer: "
                + "must be an http:// or https:// URL with a host once {env:…}/{file:…} are expanded");
        String notAUrl = "{\"provider\": {\"openai\": {\"oauth\": {\"issuer\": \"{env:ISSUER}\"}}}}";
        assertThatThrownBy(() -> load(Map.of("LATHE_CONFIG_CONTENT", notAUrl, "ISSUER", "secret-ish words"), tmp))
                .hasMessageContaining("provider.openai.oauth.issuer: must be").hasMessageNotContaining("secret-ish");
        String spaced = "{\"provider\": {\"openai\": {\"oauth\": {\"issuer\": \"https://auth {env:DOMAIN}\"}}}}";
        assertThatThrownBy(() -> load(Map.of("LATHE_CONFIG_CONTENT", spaced, "DOMAIN", "openai.com"), tmp))
                .as("what is written around the substitution is still checked when the config loads").hasMessageContaining("must be an http");
    }

    @Test
    void serverLimitsDefaultWhenAbsentAndAreReadWhenGiven() {
        assertThat(load(Map.of(), tmp).serverLimits()).isEqualTo(Config.ServerLimits.DEFAULT);
        String inline = "{\"server\": {\"maxHeaderBytes\": 2048, \"headerReadTimeoutSeconds\": 2, \"bodyReadTimeoutSeconds\": 3,"
                + " \"maxBodyBytes\": 4096, \"maxEventStreams\": 5, \"maxEventStreamsPerToken\": 4, \"eventBufferBytes\": 65536}}";
        assertThat(load(Map.of("LATHE_CONFIG_CONTENT", inline), tmp).serverLimits())
                .isEqualTo(new Config.ServerLimits(2048, 2, 3, 4096, 5, 4, 65536));
    }

    @Test
    void aServerLimitOfZeroNamesFileLineAndKey() {
        String inline = "{\"server\": {\n \"maxEventStreams\": 10,\n \"headerReadTimeoutSeconds\": 0}}";
        assertThatThrownBy(() -> load(Map.of("LATHE_CONFIG_CONTENT", inline), tmp))
                .hasMessage("LATHE_CONFIG_CONTENT:3: server.headerReadTimeoutSeconds: expected a whole number from 1 to 2147483639");
        String tooBig = "{\"server\": {\"maxBodyBytes\": 9999999999}}";
        assertThatThrownBy(() -> load(Map.of("LATHE_CONFIG_CONTENT", tooBig), tmp))
                .hasMessageContaining("server.maxBodyBytes: expected a whole number from 1 to");
    }

    @Test
    void anUntrustedFoldersLimitsTightenTheUsersButNeverLoosenThem() throws IOException {
        Path project = Files.createDirectories(tmp.resolve("cloned"));
        Files.createDirectories(tmp.resolve("xdg-config/lathe"));
        Files.writeString(tmp.resolve("xdg-config/lathe/lathe.json"), "{\"limits\": {\"session\": {\"usd\": 5}, \"day\": {\"usd\": 20, \"tokens\": 1000}}}");
        Files.writeString(project.resolve("lathe.json"),
                "{\"limits\": {\"session\": {\"usd\": 500, \"tokens\": 50}, \"day\": {\"usd\": 2}}}");
        Config untrusted = load(Map.of(), project);
        // its higher session cap is lowered to the user's; it may add a cap and tighten one
        assertThat(untrusted.limits().session()).isEqualTo(new Config.SpendCap(5_000_000, 50));
        assertThat(untrusted.limits().day()).isEqualTo(new Config.SpendCap(2_000_000, 1000));

        var userEnv = Map.of("XDG_CONFIG_HOME", tmp.resolve("xdg-config").toString(), "HOME", tmp.toString());
        dev.lathe.core.info.TrustReview.approve(ConfigLoader.standard(LathePaths.fromEnvironment(userEnv), userEnv), project);
        Config trusted = load(Map.of(), project);
        assertThat(trusted.limits().session()).as("a trusted folder is the user's own config").isEqualTo(new Config.SpendCap(500_000_000, 50));
        assertThat(trusted.limits().day()).isEqualTo(new Config.SpendCap(2_000_000, 1000));
    }

    @Test
    void spendLimitsAreReadInMicroDollarsAndTokensAndBadOnesNamed() {
        assertThat(load(Map.of(), tmp).limits()).isEqualTo(new Config.LimitsConfig(Config.LimitsConfig.DEFAULT_MAX_ANSWER_BYTES));
        assertThat(load(Map.of(), tmp).limits().capsSpend()).isFalse();
        String inline = "{\"limits\": {\"session\": {\"usd\": 5, \"tokens\": 2000000}, \"day\": {\"usd\": 2.5}, \"project\": {\"tokens\": 9}}}";
        assertThat(load(Map.of("LATHE_CONFIG_CONTENT", inline), tmp).limits()).isEqualTo(new Config.LimitsConfig(Config.LimitsConfig.DEFAULT_MAX_ANSWER_BYTES,
                new Config.SpendCap(5_000_000, 2_000_000), new Config.SpendCap(2_500_000, 0), new Config.SpendCap(0, 9)));
        assertThatThrownBy(() -> load(Map.of("LATHE_CONFIG_CONTENT", "{\"limits\": {\"session\": {\n \"usd\": 0}}}"), tmp))
                .hasMessage("LATHE_CONFIG_CONTENT:2: limits.session.usd: expected an amount in US dollars from 0.000001 to 1000000000, e.g. 5 or 2.50");
        assertThatThrownBy(() -> load(Map.of("LATHE_CONFIG_CONTENT", "{\"limits\": {\"session\": {\"usd\": 2e9}}}"), tmp))
                .as("the message names the bound that was passed").hasMessageContaining("from 0.000001 to 1000000000");
        assertThatThrownBy(() -> load(Map.of("LATHE_CONFIG_CONTENT", "{\"limits\": {\"day\": {\"tokens\": 1.5}}}"), tmp))
                .hasMessageContaining("limits.day.tokens: expected a whole number of tokens from 1 to 1000000000000000");
        // a cap that a raise would overflow is refused here, not met as an ArithmeticException in a turn
        assertThatThrownBy(() -> load(Map.of("LATHE_CONFIG_CONTENT", "{\"limits\": {\"day\": {\"tokens\": 9223372036854775807}}}"), tmp))
                .hasMessageContaining("limits.day.tokens: expected a whole number of tokens from 1 to 1000000000000000");
        assertThatThrownBy(() -> load(Map.of("LATHE_CONFIG_CONTENT", "{\"limits\": {\"week\": {\"usd\": 1}}}"), tmp))
                .hasMessageContaining("limits.week: unknown key (expected one of day, maxAnswerBytes, project, session)");
        assertThatThrownBy(() -> load(Map.of("LATHE_CONFIG_CONTENT", "{\"limits\": {\"session\": {\"eur\": 1}}}"), tmp))
                .hasMessageContaining("limits.session.eur: unknown key (expected usd, tokens)");
    }

    @Test
    void anUnknownReasoningEffortIsRejectedWithTheChoices() {
        String inline = "{\"provider\": {\"x\": {\n \"models\": {\"m\": {\"reasoningEffort\": \"extreme\"}}}}}";
        assertThatThrownBy(() -> load(Map.of("LATHE_CONFIG_CONTENT", inline), tmp))
                .hasMessage("LATHE_CONFIG_CONTENT:2: provider.x.models.m.reasoningEffort: expected one of high, low, medium, got \"extreme\"");
    }

    @Test
    void managedPolicyAndAgentLayersArePartOfTheRules() throws IOException {
        Path managed = tmp.resolve("managed.json");
        Files.writeString(managed, "{\"permission\": {\"bash\": {\"curl *\": \"deny\"}}}");
        String inline = "{\"permission\": {\"bash\": {\"curl https://internal.example/*\": \"allow\"}, \"edit\": \"allow\"},"
                + " \"agent\": {\"plan\": {\"permission\": {\"edit\": \"deny\"}}}}";
        var env = Map.of("LATHE_CONFIG_CONTENT", inline, "XDG_CONFIG_HOME", tmp.resolve("cfg").toString(), "XDG_DATA_HOME", tmp.resolve("data").toString());
        Config config = new ConfigLoader(LathePaths.fromEnvironment(env), env, managed).load(tmp);

        assertThat(config.managedPermission()).containsExactly(new Config.PermissionRuleConfig("bash", "curl *", "deny",
                new Config.RuleSource(Config.Layer.MANAGED, managed.toString())));
        assertThat(config.agentPermission().get("plan")).containsExactly(new Config.PermissionRuleConfig("edit", "*", "deny", INLINE));
        assertThat(config.permission()).contains(new Config.PermissionRuleConfig("bash", "curl *", "deny",
                new Config.RuleSource(Config.Layer.MANAGED, managed.toString())));
    }

    @Test
    void invalidJsonIsAReadableError() {
        assertThatThrownBy(() -> load(Map.of("LATHE_CONFIG_CONTENT", "{\"model\": }"), tmp))
                .isInstanceOf(ConfigException.class)
                .hasMessageMatching("(?s)LATHE_CONFIG_CONTENT:1:1[01]: invalid JSON.*");
    }

    @Test
    void terminalUiThemeAndKeybindsTakeStringsOnly() {
        load(Map.of("LATHE_CONFIG_CONTENT", "{\"theme\": {\"accent\": \"bold #ff8800\"}, \"keybinds\": {\"newline\": \"alt+enter\"}}"), tmp);
        load(Map.of("LATHE_CONFIG_CONTENT", "{\"theme\": \"mono\"}"), tmp);
        assertThatThrownBy(() -> load(Map.of("LATHE_CONFIG_CONTENT", "{\"keybinds\": {\n\"submit\": 13}}"), tmp))
                .hasMessage("LATHE_CONFIG_CONTENT:2: keybinds.submit: expected a string");
        assertThatThrownBy(() -> load(Map.of("LATHE_CONFIG_CONTENT", "{\"theme\": 3}"), tmp))
                .hasMessage("LATHE_CONFIG_CONTENT:1: theme: expected a theme name or an object of role colours");
    }

    @Test
    void badPermissionActionIsRejected() {
        assertThatThrownBy(() -> load(Map.of("LATHE_CONFIG_CONTENT", "{\"permission\": {\"bash\": {\"*\": \"maybe\"}}}"), tmp))
                .hasMessageContaining("permission.bash.*: expected one of allow, ask, deny, got \"maybe\"");
    }

    @Test
    void aMistypedPermissionActionNamesFileLineKeyValueAndTheNearestAction() throws Exception {
        // issue 53: "permission.edit: expected one of …" did not echo the bad value or suggest one
        java.nio.file.Files.writeString(tmp.resolve("lathe.json"), "{\n  \"permission\": {\n    \"edit\": \"alow\"\n  }\n}\n");
        assertThatThrownBy(() -> load(Map.of(), tmp))
                .hasMessage(tmp.resolve("lathe.json") + ":3: permission.edit: expected one of allow, ask, deny, got \"alow\"; did you mean \"allow\"?");
        java.nio.file.Files.delete(tmp.resolve("lathe.json"));
        assertThatThrownBy(() -> load(Map.of("LATHE_CONFIG_CONTENT", "{\"permission\": {\"bash\": {\"rm *\": \"dny\"}}}"), tmp))
                .hasMessage("LATHE_CONFIG_CONTENT:1: permission.bash.rm *: expected one of allow, ask, deny, got \"dny\"; did you mean \"deny\"?");
        assertThatThrownBy(() -> load(Map.of("LATHE_CONFIG_CONTENT", "{\"permission\": {\"edit\": \"\\u001b[2Jx\"}}"), tmp))
                .as("a control character is shown escaped").hasMessageContaining("got \"\\u001B[2Jx\"").hasMessageNotContaining("\u001b");
    }

    @Test
    void envAndFileSubstitutionsResolveKeys() throws IOException {
        Files.writeString(tmp.resolve("key.txt"), "from-file\n");
        Path cfg = tmp.resolve("cfg.json");
        Files.writeString(cfg, """
                {"provider": {"a": {"protocol": "openai-chat", "baseUrl": "http://127.0.0.1:9/v1", "apiKey": "{env:MY_KEY}"},
                              "b": {"protocol": "anthropic-messages", "baseUrl": "http://127.0.0.1:9/v1", "apiKey": "{file:key.txt}"}}}
                """);
        Config c = load(Map.of("LATHE_CONFIG", cfg.toString(), "MY_KEY", "sk-env"), tmp);
        assertThat(c.providers().get("a").apiKey()).contains("sk-env");
        assertThat(c.providers().get("b").apiKey()).contains("from-file");
        assertThat(c.providers().get("a").toString()).doesNotContain("sk-env");
    }

    @Test
    void shorthandPermissionsBecomeWildcardRulesAndDefaultsApply() {
        Config c = load(Map.of("LATHE_CONFIG_CONTENT", "{\"permission\": {\"edit\": \"allow\"}}"), tmp);
        var defaults = new Config.RuleSource(Config.Layer.DEFAULTS, "built-in defaults");
        assertThat(c.permission()).contains(new Config.PermissionRuleConfig("edit", "*", "allow", INLINE),
                new Config.PermissionRuleConfig("read", ".env", "ask", defaults),
                new Config.PermissionRuleConfig("bash", "*", "ask", defaults));
        assertThat(c.permission()).noneMatch(r -> r.permission().equals("edit") && r.pattern().equals("*") && r.action().equals("ask"));
    }

    private static final Config.RuleSource INLINE = new Config.RuleSource(Config.Layer.ENVIRONMENT, "LATHE_CONFIG_CONTENT");

    @Test
    void eachRuleKeepsTheLayerAndFileThatWroteItLast() throws IOException {
        Path project = Files.createDirectories(tmp.resolve("layers"));
        Files.createDirectories(project.resolve(".lathe"));
        Files.writeString(project.resolve("lathe.json"), "{\"permission\": {\"bash\": {\"ls *\": \"ask\", \"make *\": \"ask\"}}}");
        Files.writeString(project.resolve(".lathe/lathe.json"), "{\"permission\": {\"bash\": {\"ls *\": \"allow\"}}}");
        Path named = tmp.resolve("named.json");
        Files.writeString(named, "{\"permission\": {\"bash\": {\"make *\": \"deny\"}, \"webfetch\": \"deny\"}}");

        // a project's allow rules apply once the folder is trusted (DESIGN §24), as trust pinned them (DESIGN §30)
        var full = new HashMap<String, String>(Map.of("LATHE_CONFIG", named.toString(), "XDG_CONFIG_HOME", tmp.resolve("xdg-config").toString(),
                "HOME", tmp.toString()));
        dev.lathe.core.info.TrustReview.approve(new ConfigLoader(LathePaths.fromEnvironment(full), full, tmp.resolve("managed.json")), project);
        Config c = load(Map.of("LATHE_CONFIG", named.toString()), project);

        assertThat(c.permission()).contains(
                new Config.PermissionRuleConfig("bash", "ls *", "allow",
                        new Config.RuleSource(Config.Layer.PROJECT, project.resolve(".lathe/lathe.json").toString())),
                new Config.PermissionRuleConfig("bash", "make *", "deny", new Config.RuleSource(Config.Layer.ENVIRONMENT, named.toString())),
                new Config.PermissionRuleConfig("webfetch", "*", "deny", new Config.RuleSource(Config.Layer.ENVIRONMENT, named.toString())));
    }

    @Test
    void anUntrustedFoldersAllowRulesAreWithheldBeforeTheyMergeSoTheRuleBelowHolds() throws IOException {
        Path project = Files.createDirectories(tmp.resolve("cloned"));
        Files.writeString(project.resolve("lathe.json"), "{\"permission\": {\"bash\": {\"rm *\": \"allow\", \"curl *\": \"deny\"}},"
                + " \"agent\": {\"build\": {\"permission\": {\"edit\": \"allow\", \"webfetch\": \"ask\"}}}}");
        Files.createDirectories(project.resolve(".claude"));
        Files.writeString(project.resolve(".claude/settings.json"), "{\"permissions\": {\"allow\": [\"Bash(npm test)\"], \"ask\": [\"Bash(git:*)\"]}}");

        Config c = load(Map.of("LATHE_CONFIG_CONTENT", "{\"permission\": {\"bash\": {\"rm *\": \"deny\"}}}"), project);

        assertThat(c.permission()).contains(new Config.PermissionRuleConfig("bash", "rm *", "deny", INLINE),
                new Config.PermissionRuleConfig("bash", "curl *", "deny", new Config.RuleSource(Config.Layer.PROJECT, project.resolve("lathe.json").toString())),
                new Config.PermissionRuleConfig("bash", "git *", "ask",
                        new Config.RuleSource(Config.Layer.PROJECT, project.resolve(".claude/settings.json").toString())));
        assertThat(c.permission()).noneMatch(r -> r.action().equals("allow") && r.origin().layer() == Config.Layer.PROJECT);
        assertThat(c.agentPermission().get("build")).extracting(Config.PermissionRuleConfig::action).containsExactly("ask");
        assertThat(c.withheldOf(dev.lathe.core.trust.Withheld.Kind.ALLOW_RULES)).extracting(w -> w.source() + ": " + w.items())
                .containsExactly(".claude/settings.json: [bash: npm test]", "lathe.json: [bash: rm *, agent build: edit: *]");
    }

    @Test
    void missingLatheConfigFileIsAnError() {
        assertThatThrownBy(() -> load(Map.of("LATHE_CONFIG", tmp.resolve("nope.json").toString()), tmp))
                .hasMessageContaining("LATHE_CONFIG: file not found");
    }

    @Test
    void agentObjectsAreBoundWithTheirToolFilters() {
        Config c = load(Map.of("LATHE_CONFIG_CONTENT", """
                {"agent": {"review": {"description": "Reviews", "mode": "subagent", "model": "a/b", "temperature": 0.2, "steps": 4,
                                      "prompt": "Be strict.", "permission": {"edit": "deny"}, "tools": {"*": false, "read": true, "grep": true}},
                           "docs": {"tools": ["read", "write"]}}}
                """), tmp);
        assertThat(c.agents().get("review")).isEqualTo(new Config.AgentConfig("review", java.util.Optional.of("Reviews"), java.util.Optional.of("subagent"),
                java.util.Optional.of("a/b"), java.util.Optional.of(0.2), java.util.Optional.of(4), java.util.Optional.of("Be strict."),
                java.util.List.of(new Config.PermissionRuleConfig("edit", "*", "deny", INLINE)), java.util.Optional.of(java.util.List.of("!*", "read", "grep"))));
        assertThat(c.agents().get("docs").tools()).contains(java.util.List.of("read", "write"));
        assertThat(c.agentSteps()).containsEntry("review", 4);
    }

    @Test
    void aBadAgentFieldNamesFileLineAndKey() {
        assertThatThrownBy(() -> load(Map.of("LATHE_CONFIG_CONTENT", "{\"agent\": {\"review\": {\n\"mode\": \"sometimes\"}}}"), tmp))
                .hasMessage("LATHE_CONFIG_CONTENT:2: agent.review.mode: expected one of all, primary, subagent, got \"sometimes\"");
        assertThatThrownBy(() -> load(Map.of("LATHE_CONFIG_CONTENT", "{\"agent\": {\"review\": {\n\"temprature\": 0.2}}}"), tmp))
                .hasMessage("LATHE_CONFIG_CONTENT:2: agent.review.temprature: unknown key (expected one of background, description, mode, model, permission,"
                        + " prompt, steps, temperature, tools)");
        assertThatThrownBy(() -> load(Map.of("LATHE_CONFIG_CONTENT", "{\"agent\": {\"review\": {\"temperature\": 7}}}"), tmp))
                .hasMessage("LATHE_CONFIG_CONTENT:1: agent.review.temperature: expected a number from 0 to 2");
        assertThatThrownBy(() -> load(Map.of("LATHE_CONFIG_CONTENT", "{\"agent\": {\"review\": {\"model\": \"sonnet\"}}}"), tmp))
                .hasMessage("LATHE_CONFIG_CONTENT:1: agent.review.model: expected provider/model");
        assertThatThrownBy(() -> load(Map.of("LATHE_CONFIG_CONTENT", "{\"agent\": {\"review\": {\"tools\": {\"write\": \"no\"}}}}"), tmp))
                .hasMessage("LATHE_CONFIG_CONTENT:1: agent.review.tools.write: expected true or false");
        assertThatThrownBy(() -> load(Map.of("LATHE_CONFIG_CONTENT", "{\"agent\": {\"review\": \"strict\"}}"), tmp))
                .hasMessage("LATHE_CONFIG_CONTENT:1: agent.review: expected an object");
    }
}
