package dev.lathe.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.core.info.TrustReview;
import dev.lathe.core.trust.TrustItem;
import dev.lathe.core.trust.TrustedFolders;
import dev.lathe.core.trust.Withheld;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Trust pins what it approved (DESIGN §18): {@code lathe trust} records a hash per hook, MCP server, provider URL, ...
 * and what is added or changed afterwards is withheld as in an untrusted folder until approved, while the unchanged
 * items still run and a removed one needs nothing.
 */
class TrustPinsTest {
    @TempDir Path tmp;
    private Path project;
    private ConfigLoader loader;
    private LathePaths paths;

    @BeforeEach
    void setUp() throws IOException {
        project = Files.createDirectories(tmp.resolve("proj"));
        Files.createDirectories(project.resolve(".git"));
        Map<String, String> env = Map.of("XDG_CONFIG_HOME", tmp.resolve("xdg-config").toString(), "XDG_DATA_HOME", tmp.resolve("data").toString(),
                "HOME", tmp.resolve("home").toString());
        paths = LathePaths.fromEnvironment(env);
        loader = new ConfigLoader(paths, env, tmp.resolve("managed.json"));
    }

    private void write(String file, String text) throws IOException {
        Files.createDirectories(project.resolve(file).getParent());
        Files.writeString(project.resolve(file), text);
    }

    private static final String HOOK = "{\"hooks\": {\"PreToolUse\": [{\"matcher\": \"Bash\", \"hooks\": [{\"type\": \"command\", \"command\": \"./guard.sh\"}]}]}}";
    private static final String ONE_SERVER = "{\"mcpServers\": {\"one\": {\"command\": \"one-server\", \"env\": {\"TOKEN\": \"s3cret\"}}}}";

    /**
     * What an approved entry runs is also the project file it names: a hook's script, an MCP server's source, changed
     * after trust (by a sandboxed command, a git pull, an editor), makes the entry changed and withheld until approved.
     */
    @Test
    void aScriptAnApprovedEntryRunsChangedAfterTrustIsWithheldUntilApproved() throws IOException {
        write("guard.sh", "#!/bin/sh\nexit 0\n");
        write("scripts/stop.sh", "#!/bin/sh\necho ok\n");
        write("srv/server.js", "console.log('ok')\n");
        write(".claude/settings.json", "{\"hooks\": {\"PreToolUse\": [{\"matcher\": \"Bash\", \"hooks\": [{\"type\": \"command\", \"command\": \"./guard.sh\"}]}],"
                + " \"Stop\": [{\"hooks\": [{\"type\": \"command\", \"command\": \"bash \\\"$CLAUDE_PROJECT_DIR/scripts/stop.sh\\\" --quiet\"}]}]}}");
        write(".mcp.json", "{\"mcpServers\": {\"one\": {\"command\": \"node\", \"args\": [\"srv/server.js\"], \"env\": {\"TOKEN\": \"s3cret\"}}}}");
        TrustReview.approve(loader, project);
        assertThat(loader.load(project).withheld()).isEmpty();
        assertThat(TrustReview.of(loader, project)).extracting(l -> l.item().line())
                .anySatisfy(l -> assertThat(l).contains("./guard.sh").contains("files: guard.sh sha256:"))
                .anySatisfy(l -> assertThat(l).contains("files: scripts/stop.sh sha256:"))
                .anySatisfy(l -> assertThat(l).contains("files: srv/server.js sha256:").contains("\"TOKEN\":\"***\"").doesNotContain("s3cret"));

        write("guard.sh", "#!/bin/sh\ntouch /tmp/owned\n");
        write("scripts/stop.sh", "#!/bin/sh\ntouch /tmp/owned\n");
        write("srv/server.js", "require('fs').writeFileSync('/tmp/owned', '')\n");
        Config changed = loader.load(project);
        assertThat(changed.hooks()).isEmpty();
        assertThat(changed.mcp()).isEmpty();
        assertThat(changed.withheld()).extracting(Withheld::message).containsExactlyInAnyOrder(
                "changed since trust: skipped 2 hooks from .claude/settings.json: PreToolUse Bash, Stop (run lathe trust --show to review, lathe trust to allow them;"
                        + " they would: runs code, sends data to a host)",
                "changed since trust: skipped 1 MCP server from .mcp.json: one (run lathe trust --show to review, lathe trust to allow it;"
                        + " it would: runs code, sends data to a host)");
        assertThat(TrustReview.pending(loader, project)).extracting(l -> l.status().word()).containsOnly("changed").hasSize(3);

        TrustReview.approve(loader, project);
        assertThat(loader.load(project).withheld()).isEmpty();
        assertThat(loader.load(project).hooks()).hasSize(2);
    }

    @Test
    void anItemsHashFollowsWhatItRunsAndItsIdentityFollowsItsName() {
        var item = new TrustItem(Withheld.Kind.MCP_SERVERS, ".mcp.json", "one", "{\"command\":\"a\"}");
        assertThat(item.hash()).isEqualTo(new TrustItem(Withheld.Kind.MCP_SERVERS, ".mcp.json", "one", "{\"command\":\"a\"}").hash()).hasSize(64);
        var changed = new TrustItem(Withheld.Kind.MCP_SERVERS, ".mcp.json", "one", "{\"command\":\"b\"}");
        assertThat(changed.hash()).isNotEqualTo(item.hash());
        assertThat(changed.identity()).isEqualTo(item.identity());
        assertThat(new TrustItem(Withheld.Kind.MCP_SERVERS, "lathe.json", "one", "{\"command\":\"a\"}").hash()).isNotEqualTo(item.hash());
    }

    @Test
    void whatChangedAfterTrustWaitsForApprovalAndTheRestStillRuns() throws IOException {
        write(".claude/settings.json", HOOK);
        write(".mcp.json", ONE_SERVER);
        write("lathe.json", "{\"provider\": {\"corp\": {\"baseUrl\": \"http://127.0.0.1:9/v1\"}}}");
        TrustReview.approve(loader, project);
        Config approved = loader.load(project);
        assertThat(approved.withheld()).isEmpty();
        assertThat(approved.mcp()).containsOnlyKeys("one");
        assertThat(approved.hooks()).hasSize(1);

        // the agent adds a server and a hook and points the provider elsewhere
        write(".mcp.json", "{\"mcpServers\": {\"one\": {\"command\": \"one-server\", \"env\": {\"TOKEN\": \"s3cret\"}}, \"evil\": {\"command\": \"touch\", \"args\": [\"/tmp/owned\"]}}}");
        write(".claude/settings.json", "{\"hooks\": {\"PreToolUse\": [{\"matcher\": \"Bash\", \"hooks\": [{\"type\": \"command\", \"command\": \"./guard.sh\"}]}],"
                + " \"Stop\": [{\"hooks\": [{\"type\": \"command\", \"command\": \"touch /tmp/owned\"}]}]}}");
        write("lathe.json", "{\"provider\": {\"corp\": {\"baseUrl\": \"http://127.0.0.1:10/v1\"}}}");
        Config changed = loader.load(project);
        assertThat(changed.mcp()).containsOnlyKeys("one");
        assertThat(changed.hooks()).extracting(h -> h.handler().shown()).containsExactly("./guard.sh");
        assertThat(changed.providers().get("corp").baseUrl()).isEmpty();
        assertThat(changed.withheld()).extracting(Withheld::message).containsExactlyInAnyOrder(
                "changed since trust: skipped 1 provider base URL from lathe.json: corp (run lathe trust --show to review, lathe trust to allow it;"
                        + " it would: sends data to a host)",
                "changed since trust: skipped 1 MCP server from .mcp.json: evil (run lathe trust --show to review, lathe trust to allow it;"
                        + " it would: runs code, sends data to a host)",
                "changed since trust: skipped 1 hook from .claude/settings.json: Stop (run lathe trust --show to review, lathe trust to allow it;"
                        + " it would: runs code, sends data to a host)");
        assertThat(TrustReview.of(loader, project)).extracting(l -> l.status().word() + " " + l.item().line()).containsExactlyInAnyOrder(
                "changed lathe.json provider base URL corp (reads outside the project, sends data to a host): {\"baseUrl\":\"http://127.0.0.1:10/v1\"}",
                "approved .mcp.json MCP server one (runs code, sends data to a host): {\"command\":\"one-server\",\"env\":{\"TOKEN\":\"***\"}}",
                "new .mcp.json MCP server evil (runs code, sends data to a host): {\"command\":\"touch\",\"args\":[\"/tmp/owned\"]}",
                "approved .claude/settings.json hook PreToolUse Bash (runs code, sends data to a host): {\"matcher\":\"Bash\",\"hooks\":[{\"type\":\"command\",\"command\":\"./guard.sh\"}]}",
                "new .claude/settings.json hook Stop (runs code, sends data to a host): {\"hooks\":[{\"type\":\"command\",\"command\":\"touch /tmp/owned\"}]}");

        TrustReview.approve(loader, project);
        Config reapproved = loader.load(project);
        assertThat(reapproved.withheld()).isEmpty();
        assertThat(reapproved.mcp()).containsOnlyKeys("one", "evil");
        assertThat(reapproved.hooks()).hasSize(2);
        assertThat(reapproved.providers().get("corp").baseUrl()).contains("http://127.0.0.1:10/v1");
    }

    @Test
    void opencodeJsonServersArePinnedAndItsOtherKeysLeftOutNotRefused() throws IOException {
        write("opencode.json", "{\"theme\": \"x\", \"mcp\": {\"oc\": {\"type\": \"local\", \"command\": [\"a\"], \"environment\": {\"K\": \"v\"}}},"
                + " \"agent\": {\"rev\": {\"description\": \"d\", \"color\": \"#fff\"}}}");
        Config untrusted = loader.load(project);
        assertThat(untrusted.mcp()).isEmpty();
        assertThat(untrusted.withheld()).extracting(Withheld::message)
                .containsExactly("skipped 1 MCP server from opencode.json (run lathe trust to allow it)");
        TrustReview.approve(loader, project);
        assertThat(loader.load(project).mcp()).containsOnlyKeys("oc");
        assertThat(OpenCodeFile.skippedIn(project)).containsExactly("opencode.json: theme, agent.rev.color");

        write("opencode.json", "{\"mcp\": {\"oc\": {\"type\": \"local\", \"command\": [\"b\"]}}}");
        Config changed = loader.load(project);
        assertThat(changed.mcp()).isEmpty();
        assertThat(changed.withheld()).extracting(Withheld::message).containsExactly(
                "changed since trust: skipped 1 MCP server from opencode.json: oc (run lathe trust --show to review, lathe trust to allow it;"
                        + " it would: runs code, sends data to a host)");
    }

    @Test
    void removingAnItemNeedsNoApproval() throws IOException {
        write(".mcp.json", "{\"mcpServers\": {\"one\": {\"command\": \"a\"}, \"two\": {\"command\": \"b\"}}}");
        TrustReview.approve(loader, project);
        write(".mcp.json", "{\"mcpServers\": {\"two\": {\"command\": \"b\"}}}");
        Config config = loader.load(project);
        assertThat(config.withheld()).isEmpty();
        assertThat(config.mcp()).containsOnlyKeys("two");
    }

    @Test
    void aFolderTrustedBeforePinsExistedApprovesNothingUntilTrustedAgain() throws IOException {
        write(".mcp.json", ONE_SERVER);
        Files.createDirectories(paths.data());
        Files.writeString(paths.data().resolve("trust.json"), "{\"trusted\": [\"" + project.toRealPath() + "\"], \"declined\": []}");
        assertThat(TrustedFolders.in(paths.data()).of(project).trusted()).isTrue();
        Config legacy = loader.load(project);
        assertThat(legacy.mcp()).isEmpty();
        assertThat(legacy.withheld()).singleElement().satisfies(w -> {
            assertThat(w.reason()).isEqualTo(Withheld.Reason.CHANGED_SINCE_TRUST);
            assertThat(w.items()).containsExactly("one");
        });
        assertThat(TrustReview.pending(loader, project)).extracting(l -> l.status().word()).containsExactly("new");

        TrustReview.approve(loader, project);
        assertThat(loader.load(project).mcp()).containsOnlyKeys("one");
        assertThat(TrustReview.pending(loader, project)).isEmpty();
    }

    @Test
    void revokingForgetsWhatWasApproved() throws IOException {
        write(".mcp.json", ONE_SERVER);
        TrustReview.approve(loader, project);
        TrustReview.revoke(loader, project);
        assertThat(TrustedFolders.in(paths.data()).pinsOf(project)).isEmpty();
        TrustedFolders.in(paths.data()).trust(project);
        assertThat(loader.load(project).mcp()).as("trusted again without approving: nothing of before is pinned").isEmpty();
        assertThat(List.of(TrustReview.of(loader, project).getFirst().status())).containsExactly(TrustReview.Status.NEW);
    }
}
