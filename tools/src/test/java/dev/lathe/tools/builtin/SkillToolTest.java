package dev.lathe.tools.builtin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.tools.PermissionCheck;
import dev.lathe.tools.PermissionRejected;
import dev.lathe.tools.RecordingPermissions;
import dev.lathe.tools.Skills;
import dev.lathe.tools.ToolContext;
import dev.lathe.tools.ToolExecutor;
import dev.lathe.tools.ToolFailure;
import dev.lathe.tools.ToolRegistry;
import dev.lathe.tools.ToolResult;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SkillToolTest {
    @TempDir Path tmp;
    final ToolExecutor executor = new ToolExecutor(ToolRegistry.builtins());

    private final Skills skills = name -> {
        if (!name.equals("release")) throw new ToolFailure("There is no skill named '" + name + "'. The skills are: release.");
        return new Skills.Loaded("release", "Tag the version.", Path.of("/skills/release"));
    };

    private ToolContext ctx(RecordingPermissions permissions) {
        return ToolContext.builder(tmp, permissions).session("ses_s").call("call_s").output(tmp.resolve("out")).skills(skills).build();
    }

    @Test
    void loadsTheBodyAndFolderAfterAskingPermissionForTheName() {
        var permissions = RecordingPermissions.allowing();
        ToolResult r = executor.execute("skill", "{\"name\":\" release \"}", ctx(permissions));
        assertThat(r.output()).isEqualTo("<skill name=\"release\">\nFolder: /skills/release (files these instructions mention are relative to it)\n\n"
                + "Tag the version.\n</skill>");
        assertThat(r.title()).isEqualTo("Loaded skill release");
        assertThat(r.metadata()).isEqualTo(Map.of("name", "release", "folder", "/skills/release"));
        assertThat(permissions.checks).containsExactly(PermissionCheck.of("skill", dev.lathe.tools.PermissionSource.Pattern.VALUE, "release", "Load skill release"));
    }

    @Test
    void aRefusedOrUnknownSkillIsNotLoaded() {
        assertThatThrownBy(() -> executor.execute("skill", "{\"name\":\"release\"}", ctx(RecordingPermissions.rejecting())))
                .isInstanceOf(PermissionRejected.class);
        var permissions = RecordingPermissions.allowing();
        assertThatThrownBy(() -> executor.execute("skill", "{\"name\":\"nope\"}", ctx(permissions))).isInstanceOf(ToolFailure.class)
                .hasMessage("There is no skill named 'nope'. The skills are: release.");
        assertThatThrownBy(() -> executor.execute("skill", "{\"name\":\"  \"}", ctx(permissions))).isInstanceOf(ToolFailure.class)
                .hasMessageStartingWith("name must not be empty");
        assertThat(permissions.checks).isEmpty();
        // a context without skills says so
        var none = ToolContext.builder(tmp, permissions).session("s").call("c").build();
        assertThatThrownBy(() -> executor.execute("skill", "{\"name\":\"release\"}", none)).isInstanceOf(ToolFailure.class)
                .hasMessage("There is no skill named 'release': this project has no skills.");
    }
}
