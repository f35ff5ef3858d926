package dev.lathe.tui.view;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.protocol.api.HookInfo;
import dev.lathe.protocol.api.HookListing;
import dev.lathe.protocol.api.TrustInfo;
import dev.lathe.tui.text.Role;
import dev.lathe.tui.text.Theme;
import java.util.List;
import org.jline.utils.AttributedString;
import org.junit.jupiter.api.Test;

/** {@code /hooks} in the transcript: aligned columns, the source dim, an untrusted folder's skipped hooks in the warning colour. */
class HooksViewTest {
    static final TrustInfo.Skipped SKIPPED = new TrustInfo.Skipped("hooks", 2, ".claude/settings.json", List.of("PreToolUse", "Stop"),
            "skipped 2 hooks from .claude/settings.json (run lathe trust to allow them)");

    static List<String> text(List<AttributedString> lines) { return lines.stream().map(AttributedString::toString).toList(); }

    @Test
    void hooksAreAlignedColumnsInConfigurationOrder() {
        var listing = new HookListing(List.of(new HookInfo("PreToolUse", "Bash", "command", "./guard.sh", ".claude/settings.json"),
                new HookInfo("Stop", "", "http", "http://127.0.0.1:9/stop", "lathe.json"),
                new HookInfo("PostToolUse", "edit|write", "command", "fmt\n--quiet", "/home/u/.config/lathe/lathe.json")), List.of());

        List<AttributedString> lines = HooksView.render(listing, Theme.standard());

        assertThat(text(lines)).containsExactly("Hooks",
                "  PreToolUse   Bash        command  ./guard.sh               .claude/settings.json",
                "  Stop         *           http     http://127.0.0.1:9/stop  lathe.json",
                "  PostToolUse  edit|write  command  fmt --quiet              /home/u/.config/lathe/lathe.json");
        AttributedString first = lines.get(1);
        assertThat(first.styleAt(first.length() - 1)).isEqualTo(Theme.standard().style(Role.MUTED));
        assertThat(lines.getFirst().styleAt(0)).isEqualTo(Theme.standard().style(Role.HEADING));
    }

    @Test
    void anUntrustedFolderSaysWhatWasSkippedEvenWithNoHooksLeft() {
        List<AttributedString> lines = HooksView.render(new HookListing(List.of(), List.of(SKIPPED)), Theme.standard());

        assertThat(text(lines)).containsExactly("No hooks are in effect in this folder; skipped:",
                "  untrusted folder: skipped 2 hooks from .claude/settings.json (run lathe trust to allow them)");
        assertThat(lines.get(1).styleAt(2)).isEqualTo(Theme.standard().style(Role.WARNING));
    }

    @Test
    void aFolderWithoutHooksSaysSo() {
        assertThat(text(HooksView.render(new HookListing(List.of(), List.of()), Theme.standard()))).containsExactly("No hooks are configured in this folder");
    }
}
