package dev.lathe.tui.view;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.protocol.api.LspServerInfo;
import dev.lathe.tui.text.Theme;
import java.util.List;
import java.util.Optional;
import org.jline.utils.AttributedString;
import org.junit.jupiter.api.Test;

class LspViewTest {
    @Test
    void serversAreAlignedWithTheirLastError() {
        var lines = LspView.render(List.of(new LspServerInfo("pyright", "running", "/x/pyright-langserver --stdio", Optional.empty()),
                new LspServerInfo("clangd", "failed", "/usr/bin/clangd", Optional.of("exited with status 1\nno compile_commands.json"))),
                Theme.standard()).stream().map(AttributedString::toString).toList();
        assertThat(lines).containsExactly("Language servers", "  pyright  running  /x/pyright-langserver --stdio",
                "  clangd   failed   /usr/bin/clangd", "    exited with status 1 no compile_commands.json");
    }

    @Test
    void noServersSaysWhy() {
        assertThat(LspView.render(List.of(), Theme.standard())).singleElement().asString().startsWith("No language servers");
    }
}
