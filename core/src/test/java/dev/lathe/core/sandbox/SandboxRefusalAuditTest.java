package dev.lathe.core.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.core.audit.AuditChain;
import dev.lathe.core.audit.AuditFiles;
import dev.lathe.core.audit.AuditReader;
import dev.lathe.core.audit.ProjectAuditLog;
import dev.lathe.core.config.SandboxConfig;
import dev.lathe.core.permission.Ruleset;
import dev.lathe.core.toolcall.Origin;
import dev.lathe.core.toolcall.PartRecorder;
import dev.lathe.core.toolcall.ToolCall;
import dev.lathe.core.toolcall.ToolCallPipeline;
import dev.lathe.core.toolcall.ToolCallSeams;
import dev.lathe.tools.Permissions;
import dev.lathe.tools.ProcessLauncher;
import dev.lathe.tools.ToolContext;
import dev.lathe.tools.ToolFailure;
import dev.lathe.tools.ToolRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A command the sandbox refuses ({@code on}, no working bubblewrap) is written to the project's real audit file as a
 * {@code refusal} entry of its own, naming the call and the command with credential values blanked, chained like every
 * other entry; a command that runs (here under {@code auto}) leaves no refusal.
 */
class SandboxRefusalAuditTest {
    @TempDir Path tmp;

    private static final String SECRET = "sk-test-SECRET-1234567890";

    private static final String FETCH = "curl -H 'Authorization: Bearer " + SECRET + "' https://example.com > fetched.txt";

    private String run(SandboxConfig.Mode mode, ProjectAuditLog audit, String session, String command) {
        Path project = tmp.resolve("project");
        var launcher = new SandboxLauncher(new SandboxConfig(mode, new SandboxConfig.Network.Off(), List.of()),
                TestLayouts.of(project, project, tmp.resolve("cfg")), () -> List.of(new Ruleset(List.of())), session, ProcessLauncher.DIRECT,
                () -> Optional.of("bubblewrap (bwrap) is not installed"), audit);
        var ctx = ToolContext.builder(project, Permissions.ALLOW_ALL).session(session).call("call_r").output(tmp.resolve("out"))
                .secrets(Set.of(SECRET)).launcher(launcher).build();
        var pipeline = new ToolCallPipeline(ToolRegistry.builtins(), ToolCallSeams.DEFAULT.withAudit(audit));
        return pipeline.run(ToolCall.of("bash", "{\"command\":" + dev.lathe.protocol.wire.WireJson.write(command) + ",\"timeout\":5000}", ctx,
                Origin.MODEL), PartRecorder.NONE).output();
    }

    @Test
    void aRefusedCommandIsAuditedAsARefusalWithoutItsSecrets() throws Exception {
        Path project = Files.createDirectories(tmp.resolve("project"));
        var files = new AuditFiles(tmp.resolve("audit"));
        try (var audit = new ProjectAuditLog(files, id -> Optional.of(project.toString()), dir -> java.util.Set.of())) {
            assertThatThrownBy(() -> run(SandboxConfig.Mode.ON, audit, "ses_on", FETCH)).isInstanceOf(ToolFailure.class)
                    .hasMessageContaining("sandbox is \"on\"");
        }
        var reader = new AuditReader(files, project);
        List<String> json = reader.json(Optional.of("ses_on"));
        assertThat(json).hasSize(2);
        assertThat(json.getFirst()).contains("\"kind\":\"refusal\"", "\"call\":\"call_r\"", "\"by\":\"sandbox\"",
                "\"reason\":\"bubblewrap (bwrap) is not installed\"", "https://example.com > fetched.txt", "Bearer ***");
        assertThat(json.get(1)).contains("\"kind\":\"call\"", "\"verdict\":\"failed\"");
        assertThat(reader.human(Optional.of("ses_on")).getFirst())
                .contains("refusal call_r by sandbox: [setsid, bash, -c, curl -H 'Authorization: Bearer ***' https://example.com > fetched.txt]");
        assertThat(Files.readString(reader.file())).doesNotContain(SECRET);
        assertThat(reader.verify()).isEqualTo(new AuditChain.Verification.Intact(2, List.of()));
        assertThat(project.resolve("fetched.txt")).doesNotExist();
    }

    @Test
    void aCommandThatRunsLeavesNoRefusal() throws Exception {
        Path project = Files.createDirectories(tmp.resolve("project"));
        var files = new AuditFiles(tmp.resolve("audit"));
        try (var audit = new ProjectAuditLog(files, id -> Optional.of(project.toString()), dir -> java.util.Set.of())) {
            assertThat(run(SandboxConfig.Mode.AUTO, audit, "ses_auto_" + System.nanoTime(), "echo ran")).startsWith("ran\n");
        }
        assertThat(new AuditReader(files, project).json(Optional.empty())).noneSatisfy(l -> assertThat(l).contains("\"kind\":\"refusal\""));
    }
}
