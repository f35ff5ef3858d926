package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the packaged jar tells a user who mistypes an option or subcommand, and what {@code lathe run --help} lists
 * (issue 53's minors): one "did you mean" line, exit 2, no usage dump burying it.
 */
class UsageHintsIT {
    @TempDir Path home;

    private Lathe lathe() { return new Lathe(home, "{}"); }

    @Test
    void aMistypedOptionOrSubcommandIsAnsweredWithTheOneItMeant() throws Exception {
        var version = lathe().run("--verison");
        assertThat(version.exit()).isEqualTo(2);
        assertThat(version.stderr().strip()).isEqualTo("lathe: unknown option '--verison'; did you mean '--version'? (lathe --help lists them)");

        var run = lathe().run("run", "--modle", "fake/x", "hi");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.stderr().strip()).isEqualTo("lathe: unknown option '--modle'; did you mean '--model'? (lathe run --help lists them)");

        var sub = lathe().run("worktree", "lsit");
        assertThat(sub.exit()).isEqualTo(2);
        assertThat(sub.stderr()).startsWith("lathe: unknown command 'lsit'; did you mean 'list'? (lathe worktree --help lists them)");

        var far = lathe().run("--frobnicate");
        assertThat(far.exit()).isEqualTo(2);
        assertThat(far.stderr()).as("nothing close: picocli's message and the usage, as before").contains("Unknown option: '--frobnicate'").contains("Usage:");
    }

    @Test
    void runsHelpDescribesEveryOptionAndTheMessage() throws Exception {
        var help = lathe().run("run", "--help");
        assertThat(help.exit()).isZero();
        String text = help.stdout();
        java.util.List<String> lines = text.lines().toList();
        for (String option : new String[] {"--model=PROVIDER/MODEL", "--agent=NAME", "-w, --worktree[=NAME]", "--repo=GIT_URL"}) {
            int at = java.util.stream.IntStream.range(0, lines.size()).filter(i -> lines.get(i).contains(option)).findFirst()
                    .orElseThrow(() -> new AssertionError("no " + option + " in\n" + text));
            String rest = lines.get(at).substring(lines.get(at).indexOf(option) + option.length()).strip();
            // a long label puts its description on the next line, indented past the option column
            String description = rest.isEmpty() && at + 1 < lines.size() && lines.get(at + 1).startsWith("        ") ? lines.get(at + 1).strip() : rest;
            assertThat(description).as(option + " has a description").isNotEmpty().doesNotStartWith("-");
        }
        assertThat(text).containsPattern("(?m)^\\s+\\[MESSAGE\\.\\.\\.\\]\\s+the prompt");
    }
}
