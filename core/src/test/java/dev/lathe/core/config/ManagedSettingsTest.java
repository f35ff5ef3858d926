package dev.lathe.core.config;

import dev.lathe.core.trust.AdmittedUrl;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.core.auth.AuthStore;
import dev.lathe.core.model.CatalogSource;
import dev.lathe.core.model.ModelException;
import dev.lathe.core.model.ModelResolver;
import dev.lathe.core.model.ProviderSources;
import dev.lathe.core.offline.Checkup;
import dev.lathe.core.offline.PermissionProbe;
import dev.lathe.core.permission.Action;
import dev.lathe.llm.Protocols;
import dev.lathe.llm.catalog.Catalog;
import dev.lathe.mcp.McpServerSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Managed settings (DESIGN §29) read from real files in a folder {@code LATHE_MANAGED_DIR} names, against a user whose
 * own config, project files, environment and Claude Code settings all try to allow what the policy forbids.
 */
class ManagedSettingsTest {
    @TempDir Path tmp;
    Path managed;
    Path project;
    Map<String, String> env;

    /** A user who allows everything everywhere they can: their global file, the project's files, the environment. */
    @BeforeEach
    void userWhoAllowsEverything() throws IOException {
        managed = Files.createDirectories(tmp.resolve("etc-lathe"));
        project = Files.createDirectories(tmp.resolve("project"));
        env = new HashMap<>(Map.of("HOME", tmp.toString(), "XDG_CONFIG_HOME", tmp.resolve("config").toString(),
                "XDG_DATA_HOME", tmp.resolve("data").toString(), "XDG_STATE_HOME", tmp.resolve("state").toString(),
                ManagedFiles.DIR_VARIABLE, managed.toString(),
                "LATHE_CONFIG_CONTENT", "{\"permission\": {\"bash\": {\"*\": \"allow\", \"rm *\": \"allow\"}}}"));
        Files.createDirectories(tmp.resolve("config/lathe"));
        Files.writeString(tmp.resolve("config/lathe/lathe.json"), """
                {"permission": "allow",
                 "provider": {"openai": {"protocol": "openai-chat", "baseUrl": "http://127.0.0.1:9/v1", "apiKey": "k",
                                         "models": {"gpt-x": {}}},
                              "corp": {"protocol": "openai-chat", "baseUrl": "http://127.0.0.1:9/v1", "apiKey": "k",
                                       "models": {"good": {}, "banned-large": {}}}}}""");
        Files.writeString(project.resolve("lathe.json"), "{\"permission\": {\"bash\": {\"rm *\": \"allow\"}}}");
        Files.createDirectories(project.resolve(".claude"));
        Files.writeString(project.resolve(".claude/settings.json"), "{\"permissions\": {\"allow\": [\"Bash(rm:*)\"], \"defaultMode\": \"bypassPermissions\"}}");
        // the user trusts the folder, so its allow rules would apply
        dev.lathe.core.info.TrustReview.approve(ConfigLoader.standard(LathePaths.fromEnvironment(env), env), project);
    }

    private Config load() {
        return ConfigLoader.standard(LathePaths.fromEnvironment(env), env).load(project);
    }

    private ModelResolver models(Config config) {
        var paths = LathePaths.fromEnvironment(env);
        return new ModelResolver(config, Protocols.standard(java.net.http.HttpClient.newHttpClient()), new ProviderSources(CatalogSource.of(Catalog.bundled()), new AuthStore(paths.authFile()), env));
    }

    @Test
    void aManagedDenyRuleHoldsOverEveryLayerThatAllowsAndTheRefusalNamesItsFile() throws IOException {
        Files.createDirectories(managed.resolve("managed.d"));
        Path dropIn = Files.writeString(managed.resolve("managed.d/10-no-rm.json"), "{\"permission\": {\"bash\": {\"rm *\": \"deny\"}}}");

        var probe = PermissionProbe.open(env, project, "build", w -> {});
        var decision = probe.decide(new PermissionProbe.Request.Command("bash", "rm -rf build", Optional.empty()));
        var other = probe.decide(new PermissionProbe.Request.Command("bash", "ls", Optional.empty()));

        assertThat(decision.action()).isEqualTo(Action.DENY);
        assertThat(decision.origin().source()).isEqualTo(dropIn.toString());
        assertThat(other.action()).as("what the policy does not name stays the user's").isEqualTo(Action.ALLOW);
    }

    @Test
    void anAdministratorsClaudeCodePolicyNarrowsLatheToo() throws IOException {
        // /etc/claude-code/managed-settings.json, as an administrator writes it for Claude Code (issue 82)
        Path claude = Files.writeString(tmp.resolve("managed-settings.json"), """
                {"permissions": {"deny": ["Bash(curl:*)"], "ask": ["Bash(git push:*)"], "allow": ["Bash(sudo:*)"],
                                 "defaultMode": "bypassPermissions", "additionalDirectories": ["/"]}}""");
        env.put(ManagedFiles.CLAUDE_VARIABLE, claude.toString());

        var probe = PermissionProbe.open(env, project, "build", w -> {});
        var curl = probe.decide(new PermissionProbe.Request.Command("bash", "curl -s https://example.com", Optional.empty()));
        var push = probe.decide(new PermissionProbe.Request.Command("bash", "git push origin main", Optional.empty()));

        assertThat(curl.action()).as("the user allows bash *; the Claude Code policy denies curl").isEqualTo(Action.DENY);
        assertThat(curl.origin().source()).isEqualTo(claude.toString());
        assertThat(push.action()).isEqualTo(Action.ASK);
        Config config = load();
        assertThat(config.managedPermission()).extracting(r -> r.permission() + " " + r.pattern() + " " + r.action())
                .containsExactlyInAnyOrder("bash curl * deny", "bash git push * ask");
        assertThat(config.sandbox().writable()).as("its folders never widen Lathe").doesNotContain("/");
        var doctor = Checkup.of(env, project).stream().filter(c -> c.name().equals("managed")).findFirst().orElseThrow();
        assertThat(doctor.detail()).contains(claude.toString()).contains("bash curl * deny").contains("bash git push * ask").doesNotContain("sudo");
    }

    @Test
    void allowedProvidersAndModelListsRefuseWhatTheUsersConfigDefinesNamingTheSetting() throws IOException {
        Path policy = Files.writeString(managed.resolve("managed.json"), """
                {"allowedProviders": ["corp"],
                 "allowedBaseUrls": {"corp": ["http://127.0.0.1:9/v1"]},
                 "models": {"deny": ["corp/banned-*"]}}""");
        var resolver = models(load());

        assertThatThrownBy(() -> resolver.resolve("openai/gpt-x")).isInstanceOf(ModelException.class)
                .hasMessageContaining("provider 'openai' is not allowed by the managed setting allowedProviders (" + policy + ")");
        assertThatThrownBy(() -> resolver.resolve("corp/banned-large")).isInstanceOf(ModelException.class)
                .hasMessageContaining("managed setting models (" + policy + ")").hasMessageContaining("deny corp/banned-*");
        assertThat(resolver.resolve("corp/good").model().id()).isEqualTo("good");
    }

    /**
     * Issue 79: once a policy names providers, each reaches only the hosts allowedBaseUrls lists for it, or else the
     * URLs of Lathe's own catalog; the user's baseUrl for an allowed name is refused naming the file and the hosts, and
     * lathe doctor says which hosts the policy admits.
     */
    @Test
    void allowedProvidersFixEachProvidersHostsAndDoctorSaysWhichHosts() throws IOException {
        Path policy = Files.writeString(managed.resolve("managed.json"), """
                {"allowedProviders": ["openai", "corp", "anthropic"],
                 "allowedBaseUrls": {"corp": ["http://127.0.0.1:9"]}}""");
        env.put("ANTHROPIC_API_KEY", "sk-ant-user");
        var resolver = models(load());

        assertThatThrownBy(() -> resolver.resolve("openai/gpt-x")).isInstanceOf(ModelException.class)
                .hasMessage("provider 'openai' at http://127.0.0.1:9/v1 is refused by the managed setting allowedProviders (" + policy + "), which admits"
                        + " only the URLs Lathe's catalog gives a provider that managed setting allowedBaseUrls (" + policy + ") does not list:"
                        + " allowed are https://api.openai.com/v1, https://chatgpt.com/backend-api/codex; nothing was sent");
        assertThat(resolver.resolve("corp/good").provider().baseUrl()).hasToString("http://127.0.0.1:9/v1");
        assertThat(resolver.resolve("anthropic/claude-sonnet-4-5").provider().baseUrl().getHost()).isEqualTo("api.anthropic.com");

        var doctor = Checkup.of(env, project).stream().filter(c -> c.name().equals("managed")).findFirst().orElseThrow();
        assertThat(doctor.detail()).contains("allowedBaseUrls corp: http://127.0.0.1:9", "provider openai reaches https://api.openai.com/v1, https://chatgpt.com/backend-api/codex (Lathe's own URLs for it)",
                "provider corp reaches http://127.0.0.1:9;", "provider anthropic reaches https://api.anthropic.com/v1 (Lathe's own URLs for it)");

        // a later drop-in fixes openai's host too; a provider not in the catalog and not listed reaches nothing
        Files.createDirectories(managed.resolve("managed.d"));
        Files.writeString(managed.resolve("managed.d/20-more.json"), """
                {"allowedProviders": ["openai", "corp", "inhouse"], "allowedBaseUrls": {"openai": ["http://127.0.0.1:9/v1"]}}""");
        var later = models(load());
        assertThat(later.resolve("openai/gpt-x").provider().baseUrl()).hasToString("http://127.0.0.1:9/v1");
        assertThat(later.resolve("corp/good").provider().baseUrl()).hasToString("http://127.0.0.1:9/v1");
        assertThat(Checkup.of(env, project).stream().filter(c -> c.name().equals("managed")).findFirst().orElseThrow().detail())
                .contains("provider inhouse reaches no host (not in the catalog: list it under allowedBaseUrls)");

        Files.writeString(managed.resolve("managed.d/20-more.json"), "{\"allowedBaseUrls\": {\"openai\": [\"api.openai.com\"]}}");
        assertThatThrownBy(this::load).hasMessageContaining("allowedBaseUrls.openai: expected an http:// or https:// URL with a host");
    }

    /** Issue 79: what an admitted URL admits: the same scheme, host and port, and its path or below, nothing that only looks alike. */
    @Test
    void anAdmittedUrlAdmitsItsHostAndPathOnly() {
        var corp = AdmittedUrl.of("https://llm.corp.example/v1").orElseThrow();
        assertThat(corp.admits(java.net.URI.create("https://llm.corp.example/v1"))).isTrue();
        assertThat(corp.admits(java.net.URI.create("https://LLM.corp.example:443/v1/chat/"))).isTrue();
        for (String other : java.util.List.of("http://llm.corp.example/v1", "https://llm.corp.example:8443/v1", "https://llm.corp.example.evil.com/v1",
                "https://llm.corp.example@evil.com/v1", "https://llm.corp.example/v10", "https://llm.corp.example/v1/../../x", "https://llm.corp.example/",
                "https://evil.com/llm.corp.example/v1")) {
            assertThat(corp.admits(java.net.URI.create(other))).as(other).isFalse();
        }
        var bedrock = AdmittedUrl.of("https://bedrock-runtime.${AWS_REGION}.amazonaws.com").orElseThrow();
        assertThat(bedrock.admits(java.net.URI.create("https://bedrock-runtime.eu-west-1.amazonaws.com"))).isTrue();
        assertThat(bedrock.admits(java.net.URI.create("https://bedrock-runtime.evil.com.amazonaws.com.evil.com"))).isFalse();
        assertThat(AdmittedUrl.of("https://${DATABRICKS_HOST}/ai-gateway")).as("a host that is all variable admits nothing").isEmpty();
    }

    @Test
    void modelsAllowAdmitsOnlyItsPatterns() throws IOException {
        Files.writeString(managed.resolve("managed.json"), "{\"models\": {\"allow\": [\"corp/go*\"]}}");
        var resolver = models(load());

        assertThat(resolver.resolve("corp/good").model().id()).isEqualTo("good");
        assertThatThrownBy(() -> resolver.resolve("corp/banned-large")).hasMessageContaining("not allowed by the managed setting models");
    }

    @Test
    void dropInsMergeAfterManagedJsonInNameOrderAndDoctorListsEachFileAndWhatItEnforces() throws IOException {
        Files.writeString(managed.resolve("managed.json"), "{\"allowedProviders\": [\"openai\"], \"telemetry\": true}");
        Files.createDirectories(managed.resolve("managed.d"));
        Path late = Files.writeString(managed.resolve("managed.d/20-late.json"), "{\"allowedProviders\": [\"corp\"]}");
        Files.writeString(managed.resolve("managed.d/10-early.json"), "{\"disableAllowAll\": true, \"telemetry\": {\"enabled\": false},"
                + " \"permission\": {\"webfetch\": \"deny\"}}");
        Files.writeString(managed.resolve("managed.d/notes.txt"), "not a policy file");

        Config config = load();

        assertThat(config.managed().files()).containsExactly(managed.resolve("managed.json").toString(),
                managed.resolve("managed.d/10-early.json").toString(), late.toString());
        assertThat(config.managed().allowedProviders()).contains(java.util.List.of("corp"));
        assertThat(config.managed().named("allowedProviders")).isEqualTo("managed setting allowedProviders (" + late + ")");
        assertThat(config.managed().telemetry()).as("the OTel decision reads this: forced off by the later file").contains(false);
        assertThat(config.managed().refusalOfAllowAll()).hasValueSatisfying(why -> assertThat(why).contains("disableAllowAll"));
        var doctor = Checkup.of(env, project).stream().filter(c -> c.name().equals("managed")).findFirst().orElseThrow();
        assertThat(doctor.detail()).contains("10-early.json", "20-late.json", "webfetch * deny", "allowedProviders corp", "disableAllowAll",
                "telemetry off");
    }

    @Test
    void aSyntaxErrorInAManagedFileStopsEveryLoadWithFileLineAndKey() throws IOException {
        Files.createDirectories(managed.resolve("managed.d"));
        Path broken = Files.writeString(managed.resolve("managed.d/50-broken.json"), "{\n  \"models\": {\"deny\": [\"x\"]},\n  \"disableAllowAll\": tru\n}");
        assertThatThrownBy(this::load).isInstanceOf(ConfigException.class).hasMessageStartingWith(broken + ":3:");

        Files.writeString(broken, "{\n  \"models\": {\"deny\": [\"x\"]},\n  \"disableAllowAll\": \"yes\"\n}");
        assertThatThrownBy(this::load).hasMessage(broken + ":3: disableAllowAll: expected true or false");
        Files.writeString(broken, "{\"models\": {\"denny\": []}}");
        assertThatThrownBy(this::load).hasMessageContaining(broken + ":1: models.denny: unknown key");
    }

    @Test
    void aRequiredMinimumVersionAboveThisLatheRefusesToLoadNamingIt() throws IOException {
        Path policy = Files.writeString(managed.resolve("managed.json"), "{\n\"requiredMinimumVersion\": \"999.0\"\n}");
        assertThatThrownBy(this::load).isInstanceOf(ConfigException.class)
                .hasMessageContaining(policy + ":2: requiredMinimumVersion: this Lathe is ")
                .hasMessageContaining("older than the managed setting requiredMinimumVersion (" + policy + ") of 999.0");

        Files.writeString(policy, "{\"requiredMinimumVersion\": \"0.0.1\"}");
        assertThat(load().managed().requiredMinimumVersion()).contains("0.0.1");
        assertThat(ManagedPolicy.compare("0.10.0-SNAPSHOT", "0.9")).isPositive();
        assertThat(ManagedPolicy.compare("dev", "0.1")).as("a version that is not numbers is not new enough").isNegative();
    }

    @Test
    void noOtherLayerCanSetOrLoosenAManagedOnlyKey() throws IOException {
        Files.writeString(managed.resolve("managed.json"), "{\"disableAllowAll\": true}");
        env.put("LATHE_CONFIG_CONTENT", "{\"disableAllowAll\": false}");
        assertThatThrownBy(this::load).hasMessageContaining("LATHE_CONFIG_CONTENT:1: disableAllowAll: a managed setting");
        env.remove("LATHE_CONFIG_CONTENT");
        Files.writeString(project.resolve("lathe.json"), "{\"allowedProviders\": [\"openai\"]}");
        assertThatThrownBy(this::load).hasMessageContaining("allowedProviders: a managed setting");
    }

    @Test
    void aSymlinkedOrOthersWritableDropInFailsClosedAndAHugeOneIsRefused() throws IOException {
        Path dropIns = Files.createDirectories(managed.resolve("managed.d"));
        Path userOwned = Files.writeString(tmp.resolve("mine.json"), "{\"models\": {\"deny\": []}}");
        Path link = Files.createSymbolicLink(dropIns.resolve("30-link.json"), userOwned);
        assertThatThrownBy(this::load).hasMessageContaining(link + ": managed settings not read (a symbolic link");
        assertThat(ManagedFiles.watched(managed.resolve("managed.json"))).as("still watched, so a fix is seen").contains(link);
        Files.delete(link);

        Path loose = Files.writeString(dropIns.resolve("40-loose.json"), "{}");
        Files.setPosixFilePermissions(loose, PosixFilePermissions.fromString("rw-rw-rw-"));
        assertThatThrownBy(this::load).hasMessageContaining(loose + ": managed settings not read (writable by other users");
        Files.delete(loose);

        Path huge = dropIns.resolve("50-huge.json");
        try (var out = Files.newBufferedWriter(huge)) {
            out.write("{\"x\": \"");
            for (int i = 0; i < 5 * 1024; i++) out.write("a".repeat(1024));
            out.write("\"}");
        }
        assertThatThrownBy(this::load).hasMessageContaining(huge.toString()).hasMessageContaining("cannot read");
    }

    /** The doctor's lines that failed, each "name: detail". */
    private java.util.List<String> doctorFailures() {
        return Checkup.of(env, project).stream().filter(c -> c.status() == Checkup.Status.FAIL).map(c -> c.name() + ": " + c.detail()).toList();
    }

    /**
     * Issue 79: a {@code managed.json} that is a link to a file the user may edit, a managed folder others may write, and
     * (run as root) a file another user owns each stop the load, and {@code lathe doctor} says which and why.
     */
    @Test
    void aLinkedManagedJsonALooseFolderOrAnotherUsersFileFailsClosedAndDoctorSaysSo() throws IOException {
        Path mine = Files.writeString(tmp.resolve("mine.json"), "{}");
        Path policy = Files.createSymbolicLink(managed.resolve("managed.json"), mine);
        assertThatThrownBy(this::load).hasMessageContaining(policy + ": managed settings not read (a symbolic link; managed.json must be a regular file");
        assertThat(doctorFailures()).anySatisfy(line -> assertThat(line).startsWith("config").contains(policy + ": managed settings not read (a symbolic link"));
        Files.delete(policy);

        Files.writeString(policy, "{\"disableAllowAll\": true}");
        Files.setPosixFilePermissions(managed, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThatThrownBy(this::load).hasMessageContaining(managed + ": managed settings not read (writable by other users");
        assertThat(doctorFailures()).anySatisfy(line -> assertThat(line).contains(managed + ": managed settings not read (writable by other users"));
        Files.setPosixFilePermissions(managed, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertThat(load().managed().refusalOfAllowAll()).as("the same files, made safe, apply").isPresent();

        if (System.getProperty("user.name").equals("root")) {
            var nobody = managed.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
            Files.setOwner(policy, nobody);
            assertThatThrownBy(this::load).hasMessageContaining(policy + ": managed settings not read (owned by nobody, neither root nor root");
        }
    }

    @Test
    void hooksAndLocalMcpServersOutsideAllowedCommandsAreDropped() throws IOException {
        Files.writeString(managed.resolve("managed.json"), "{\"allowedCommands\": [\"/opt/corp/bin/*\"]}");
        env.put("LATHE_CONFIG_CONTENT", """
                {"mcp": {"corp": {"type": "local", "command": ["/opt/corp/bin/mcp", "--stdio"]},
                         "chained": {"type": "local", "command": ["/opt/corp/bin/x;", "curl", "evil"]},
                         "other": {"type": "local", "command": ["npx", "-y", "something"]}},
                 "hooks": {"PreToolUse": [{"matcher": "*", "hooks": [{"type": "command", "command": "/opt/corp/bin/audit"},
                                                                      {"type": "command", "command": "/opt/corp/bin/audit && curl x"},
                                                                      {"type": "command", "command": "/home/me/hook.sh"}]}]}}""");

        Config config = load();

        assertThat(config.mcp().keySet()).containsExactly("corp");
        assertThat(config.mcp().get("corp")).isInstanceOf(McpServerSpec.Local.class);
        assertThat(config.hooks()).extracting(h -> ((dev.lathe.core.hooks.HookHandler.Command) h.handler()).command())
                .containsExactly("/opt/corp/bin/audit");
        assertThat(config.managed().refusalOfCommand("hook", "/home/me/hook.sh")).hasValueSatisfying(why ->
                assertThat(why).contains("managed setting allowedCommands (" + managed.resolve("managed.json") + ")"));
    }

    @Test
    void theFolderVariableCannotReplaceAnAdministeredSystemFolder() throws IOException {
        Path system = Files.createDirectories(tmp.resolve("system"));
        Map<String, String> escape = Map.of(ManagedFiles.DIR_VARIABLE, tmp.resolve("empty").toString());
        assertThat(ManagedFiles.policyFile(escape, system)).isEqualTo(tmp.resolve("empty/managed.json"));
        Files.createDirectories(system.resolve("managed.d"));
        assertThat(ManagedFiles.policyFile(escape, system)).isEqualTo(system.resolve("managed.json"));
    }

    @Test
    void withoutManagedFilesNothingIsEnforced() {
        Config config = load();
        assertThat(config.managed().present()).isFalse();
        assertThat(config.managed().refusalOf("openai", "gpt-x")).isEmpty();
        assertThat(config.managed().refusalOfAllowAll()).isEmpty();
        assertThat(ManagedFiles.systemDir("Mac OS X")).isEqualTo(Path.of("/Library/Application Support/Lathe"));
        assertThat(ManagedFiles.policyFile(Map.of())).isEqualTo(Path.of("/etc/lathe/managed.json"));
    }

    @Test
    void disableAutoApprovalDropsEveryLayersClassifierAndTheUserCannotSetIt() throws IOException {
        // the user's own file names a classifier and starts every session with it; the environment names another
        Files.writeString(tmp.resolve("config/lathe/lathe.json"), """
                {"defaultMode": "auto", "permission": {"auto": {"model": "openai/gpt-x"}},
                 "provider": {"openai": {"protocol": "openai-chat", "baseUrl": "http://127.0.0.1:9/v1", "apiKey": "k", "models": {"gpt-x": {}}}}}""");
        env.put("LATHE_CONFIG_CONTENT", "{\"permission\": {\"auto\": {\"model\": \"openai/gpt-x\"}}}");
        assertThat(load().permissionPolicy().auto()).isPresent();

        Files.writeString(managed.resolve("managed.json"), "{\"disableAutoApproval\": true}");
        Config config = load();
        assertThat(config.permissionPolicy().auto()).isEmpty();
        assertThat(config.managed().refusalOfAuto()).get().asString().contains("managed setting disableAutoApproval (" + managed.resolve("managed.json"));
        assertThat(config.managed().enforced()).contains("disableAutoApproval");

        Files.writeString(managed.resolve("managed.json"), "{\"disableAutoApproval\": \"yes\"}");
        assertThatThrownBy(this::load).hasMessageContaining("disableAutoApproval").hasMessageContaining("expected true or false");
        Files.delete(managed.resolve("managed.json"));
        env.put("LATHE_CONFIG_CONTENT", "{\"disableAutoApproval\": false}");
        assertThatThrownBy(this::load).hasMessageContaining("disableAutoApproval: a managed setting");
    }
}
