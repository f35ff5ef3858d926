package dev.lathe.tui.view;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.protocol.api.MemoryListing;
import dev.lathe.tui.text.Theme;
import java.util.List;
import org.jline.utils.AttributedString;
import org.junit.jupiter.api.Test;

class MemoryViewTest {
    @Test
    void filesInOrderWithWhyThenScopedRulesThenWhatWasNotReadAndNoControlReachesTheTerminal() {
        var memory = new MemoryListing(List.of(new MemoryListing.Entry("CLAUDE.md", "Claude Code's project memory of the project root"),
                new MemoryListing.Entry("docs/a.md", "imported by CLAUDE.md:2")),
                List.of(new MemoryListing.Entry(".claude/rules/ts.md", "joins when a file matching src/**/*.ts is read or edited")),
                List.of("CLAUDE.md:3: @evil\u001b]0;pwned\u0007.md: no such file", "CLAUDE.md:4: @x\u009b2J.md: no such file"));
        List<String> lines = MemoryView.render(memory, Theme.standard()).stream().map(AttributedString::toString).toList();
        assertThat(lines).startsWith("Memory: sent with every request, in this order",
                "  CLAUDE.md  Claude Code's project memory of the project root", "  docs/a.md  imported by CLAUDE.md:2",
                "Joining after a read or an edit of a matching file",
                "  .claude/rules/ts.md  joins when a file matching src/**/*.ts is read or edited", "Not read");
        assertThat(lines.get(6)).startsWith("  CLAUDE.md:3: @evil").endsWith(".md: no such file");
        assertThat(String.join("\n", lines)).doesNotContain("\u001b").doesNotContain("\u0007").doesNotContain("\u009b");
    }

    @Test
    void noFilesSaysWhereThemComeFrom() {
        assertThat(MemoryView.render(new MemoryListing(List.of(), List.of(), List.of()), Theme.standard())).singleElement().asString()
                .startsWith("No instruction files in this folder");
    }
}
