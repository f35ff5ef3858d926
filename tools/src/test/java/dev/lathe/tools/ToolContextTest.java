package dev.lathe.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A call's context is four parts by concept, built one way: its canonical constructor, or the builder for a call outside a session. */
class ToolContextTest {
    @Test
    void fourPartsAndOneConstructor() {
        assertThat(Arrays.stream(ToolContext.class.getRecordComponents()).map(RecordComponent::getType).toList())
                .containsExactly(ToolContext.Call.class, ToolContext.Folders.class, ToolContext.Guards.class, ToolContext.Session.class);
        assertThat(ToolContext.class.getConstructors()).hasSize(1);
    }

    @Test
    void theBuilderDefaultsToACallOutsideAnySession() {
        Path project = Path.of("/work/project");
        var ctx = ToolContext.builder(project, Permissions.ALLOW_ALL).build();
        assertThat(ctx.folders()).isEqualTo(new ToolContext.Folders(project, project));
        assertThat(ctx.call().sessionId()).isEmpty();
        assertThat(ctx.call().id()).isEmpty();
        assertThat(ctx.call().cancellation().isCancelled()).isFalse();
        assertThat(ctx.guards()).isEqualTo(new ToolContext.Guards(Permissions.ALLOW_ALL, ProcessLauncher.DIRECT, Set.of()));
        assertThat(ctx.session().questions()).isSameAs(Questions.UNAVAILABLE);
        assertThat(ctx.session().subagents()).isSameAs(Subagents.UNAVAILABLE);
        assertThat(ctx.session().skills()).isSameAs(Skills.NONE);
        assertThat(ctx.session().editorFiles()).isSameAs(EditorFiles.NONE);
        assertThat(ctx.session().budget()).isSameAs(Budget.NONE);
    }

    @Test
    void eachSetterLandsInItsPartAndTheWithersChangeOnlyTheirInput() {
        var permissions = RecordingPermissions.allowing();
        var ctx = ToolContext.builder(Path.of("/p"), permissions).session("ses_1").call("call_1").output(Path.of("/out"))
                .secrets(Set.of("k")).build();
        assertThat(ctx.call().sessionId()).isEqualTo("ses_1");
        assertThat(ctx.call().id()).isEqualTo("call_1");
        assertThat(ctx.folders().output()).isEqualTo(Path.of("/out"));
        assertThat(ctx.guards().secrets()).containsExactly("k");
        ProcessLauncher other = command -> command.start();
        var launched = ctx.withLauncher(other);
        assertThat(launched.guards().launcher()).isSameAs(other);
        assertThat(launched.guards().permissions()).isSameAs(permissions);
        assertThat(launched.call()).isSameAs(ctx.call());
        assertThat(launched.session()).isSameAs(ctx.session());
        assertThat(ctx.withPermissions(Permissions.ALLOW_ALL).guards().launcher()).isSameAs(ProcessLauncher.DIRECT);
    }
}
