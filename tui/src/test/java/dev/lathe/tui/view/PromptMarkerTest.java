package dev.lathe.tui.view;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.tui.text.Role;
import dev.lathe.tui.text.Theme;
import org.junit.jupiter.api.Test;

class PromptMarkerTest {
    @Test
    void planModeIsMarkedInColourWhereOneTypes() {
        Theme theme = Theme.standard();
        assertThat(PromptMarker.of("build", theme).toString()).isEqualTo("› ");
        var plan = PromptMarker.of("plan", theme);
        assertThat(plan.toString()).isEqualTo("plan › ");
        assertThat(plan.styleAt(0).getStyle()).as("coloured as a warning").isEqualTo(theme.style(Role.WARNING).bold().getStyle());
        assertThat(PromptMarker.of("review", theme).toString()).isEqualTo("review › ");
        assertThat(PromptMarker.indent(plan).toString()).isEqualTo("       ");
    }

    @Test
    void aShellLineIsMarkedAsTheShellsInItsOwnColour() {
        Theme theme = Theme.standard();
        var shell = PromptMarker.shell(theme);
        assertThat(shell.toString()).isEqualTo("shell › ");
        assertThat(shell.styleAt(0).getStyle()).isEqualTo(theme.style(Role.SUCCESS).bold().getStyle())
                .isNotEqualTo(PromptMarker.of("plan", theme).styleAt(0).getStyle());
    }
}
