package dev.lathe.core.permission;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.tools.PermissionCheck;
import dev.lathe.tools.PermissionRejected;
import dev.lathe.tools.Permissions;
import dev.lathe.tools.ToolContext;
import dev.lathe.tools.ToolExecutor;
import dev.lathe.tools.ToolRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Protected paths ask whatever {@code edit} says: the real write tools, with {@code edit: allow}, decided by the
 * gate's own function ({@link GateDecision}); an ask is answered "reject" here, so nothing is written.
 */
class ProtectedPathsTest {
    @TempDir Path tmp;
    Path project;
    final List<Decision> decisions = new CopyOnWriteArrayList<>();
    final ToolExecutor executor = new ToolExecutor(ToolRegistry.builtins());
    final Ruleset editAllowed = new Ruleset(List.of(new Rule("*", "*", Action.ALLOW), new Rule("edit", "*", Action.ALLOW)));

    @BeforeEach
    void setUp() throws Exception {
        project = Files.createDirectories(tmp.resolve("project")).toRealPath();
        Files.createDirectories(project.resolve(".git/hooks"));
        Files.writeString(project.resolve(".git/config"), "[core]\n");
        Files.writeString(project.resolve("lathe.json"), "{}\n");
    }

    /** The gate's decision with the rules above; what would be asked is rejected (nobody answers in this test). */
    Permissions gate() {
        return (PermissionCheck check) -> {
            Decision d = GateDecision.decide(List.of(editAllowed), project, check.permission(), GateDecision.Subject.VALUES, check.patterns(), project, dev.lathe.core.permission.ProtectedPaths.fromEnvironment(System.getenv()));
            decisions.add(d);
            if (d.action() != Action.ALLOW) throw new PermissionRejected("asked: " + d.reason());
        };
    }

    String run(String tool, String json) {
        return executor.execute(tool, json, ToolContext.builder(project, gate()).session("s").call("c").output(tmp.resolve("out")).build())
                .output();
    }

    boolean asks(String tool, String json) {
        try {
            run(tool, json);
            return false;
        } catch (PermissionRejected e) {
            return decisions.getLast().rule().equals(GateDecision.PROTECTED_RULE);
        }
    }

    @Test
    void writesToProtectedPathsAskWithEditAllowed() throws Exception {
        assertThat(asks("write", "{\"path\":\".git/hooks/pre-commit\",\"content\":\"#!/bin/sh\\ncurl evil\"}")).isTrue();
        assertThat(asks("edit", "{\"path\":\".git/config\",\"oldString\":\"[core]\",\"newString\":\"[core]\\n\\tfsmonitor = evil\"}")).isTrue();
        assertThat(asks("write", "{\"path\":\".lathe/commands/x.md\",\"content\":\"!rm -rf ~\"}")).isTrue();
        assertThat(asks("apply_patch", "{\"patchText\":\"*** Begin Patch\\n*** Update File: lathe.json\\n@@\\n-{}\\n+{\\\"permission\\\":\\\"allow\\\"}\\n*** End Patch\"}"))
                .isTrue();
        // a nested repository's hooks, another letter case
        assertThat(asks("write", "{\"path\":\"vendor/lib/.GIT/hooks/post-checkout\",\"content\":\"x\"}")).isTrue();
        assertThat(project.resolve(".git/hooks/pre-commit")).doesNotExist();
        assertThat(project.resolve(".git/config")).hasContent("[core]");
        assertThat(project.resolve("lathe.json")).hasContent("{}");
        // an ordinary file is still allowed by the rule
        assertThat(run("write", "{\"path\":\"src/A.java\",\"content\":\"class A {}\"}")).startsWith("Created");
    }

    @Test
    void aLinkToAProtectedFolderIsThatFolder() throws Exception {
        Files.createSymbolicLink(project.resolve("hooks"), project.resolve(".git/hooks"));
        assertThat(asks("write", "{\"path\":\"hooks/pre-push\",\"content\":\"x\"}")).isTrue();
        assertThat(project.resolve(".git/hooks/pre-push")).doesNotExist();
    }

    @Test
    void aDenyRuleStaysStricterThanTheAsk() {
        var deny = new Ruleset(List.of(new Rule("edit", ".git/**", Action.DENY)));
        assertThat(GateDecision.decide(List.of(deny), project, "edit", GateDecision.Subject.VALUES, List.of(".git/config"), project, dev.lathe.core.permission.ProtectedPaths.fromEnvironment(System.getenv())).action())
                .isEqualTo(Action.DENY);
        // reading a protected path is not asked for: only writing it
        assertThat(GateDecision.decide(List.of(editAllowed), project, "read", GateDecision.Subject.VALUES, List.of(".git/config"), project, dev.lathe.core.permission.ProtectedPaths.fromEnvironment(System.getenv())).action())
                .isEqualTo(Action.ALLOW);
    }

    @Test
    void lathesOwnConfigFolderIsProtected() throws Exception {
        Path config = Files.createDirectories(tmp.resolve("xdg/lathe"));
        var paths = ProtectedPaths.fromEnvironment(java.util.Map.of("XDG_CONFIG_HOME", tmp.resolve("xdg").toString()));
        assertThat(paths.reason(config.resolve("lathe.json").toString())).isPresent();
        assertThat(paths.reason(config.resolve("agents/build.md").toString())).isPresent();
        assertThat(paths.reason(tmp.resolve("xdg/other/file").toString())).isEmpty();
        assertThat(paths.reason("src/Main.java")).isEmpty();
        assertThat(paths.reason("docs/lathe.json.md")).isEmpty();
        assertThat(paths.protects("edit", config.resolve("auth.json").toString())).isTrue();
        assertThat(paths.protects("read", config.resolve("auth.json").toString())).isFalse();
    }

    /**
     * Every entry of the one list the sandbox also binds read-only asks when written, with {@code edit: allow}, by each
     * write tool, at the project's root and nested (commands and agents are read from every folder down to the
     * session's), including ones whose folder does not exist yet ({@code .claude/settings.json} with no {@code .claude}).
     */
    @Test
    void everyEntryOfTheProtectedListAsksForEveryWriteToolAndNothingIsWritten() throws Exception {
        for (ProtectedPaths.Entry e : ProtectedPaths.ENTRIES) {
            String base = e.base() == ProtectedPaths.Base.GIT_DIR ? ".git/" + e.name() : e.name();
            String file = e.kind() == ProtectedPaths.Kind.FOLDER ? base + "/settings.json" : base;
            for (String target : List.of(file, "sub/dir/" + file)) {
                String json = dev.lathe.protocol.wire.WireJson.write(target);
                boolean existed = Files.exists(project.resolve(target));
                String before = existed ? Files.readString(project.resolve(target)) : null;
                assertThat(asks("write", "{\"path\":" + json + ",\"content\":\"{\\\"hooks\\\":1}\"}")).as("write %s", target).isTrue();
                if (!existed) {
                    assertThat(asks("apply_patch", "{\"patchText\":" + dev.lathe.protocol.wire.WireJson.write("*** Begin Patch\n*** Add File: " + target
                            + "\n+{}\n*** End Patch") + "}")).as("apply_patch %s", target).isTrue();
                    assertThat(project.resolve(target)).as(target).doesNotExist();
                } else {
                    assertThat(project.resolve(target)).as(target).hasContent(before.strip());
                }
            }
        }
        assertThat(project.resolve(".claude")).doesNotExist();
        assertThat(project.resolve(".mcp.json")).doesNotExist();
        Files.writeString(project.resolve(".mcp.json"), "{}");
        assertThat(asks("edit", "{\"path\":\".mcp.json\",\"oldString\":\"{}\",\"newString\":\"{\\\"mcpServers\\\":{}}\"}")).isTrue();
        assertThat(project.resolve(".mcp.json")).hasContent("{}");
    }

    @Test
    void theAuditKeyIsASecretByEveryNameAndNothingElseIs() throws Exception {
        Path project = Files.createDirectories(tmp.resolve("secret-project"));
        Path key = Files.createDirectories(tmp.resolve("data/lathe/audit")).resolve("chain.key");
        Files.writeString(key, "k");
        Path link = Files.createSymbolicLink(tmp.resolve("data-link"), tmp.resolve("data"));
        var paths = new ProtectedPaths(List.of(), List.of(link.resolve("lathe/audit/chain.key")));
        assertThat(paths.secret(project, key.toString())).hasValueSatisfying(why -> assertThat(why).contains("audit key"));
        assertThat(paths.secret(project, "../data/lathe/audit/chain.key")).isPresent();
        assertThat(paths.secret(project, link.resolve("lathe/audit/chain.key").toString())).isPresent();
        assertThat(paths.secret(project, key.getParent().resolve("other.jsonl").toString())).isEmpty();
        assertThat(paths.secret(project, "chain.key")).isEmpty();
    }
}
