package dev.lathe.core.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The examples of docs/extending.md are the files the suite runs: each code block marked {@code <!-- example: PATH -->}
 * is that file, byte for byte, so the guide never drifts from what the tests prove works.
 */
class ExtendingGuideTest {
    private static final Path ROOT = Path.of("..");
    private static final Pattern EXAMPLE = Pattern.compile("<!-- example: (\\S+) -->\\n```[a-z]*\\n(.*?)```\\n", Pattern.DOTALL);

    @Test
    void everyMarkedBlockIsItsFileAndEveryScriptIsExecutable() throws Exception {
        String guide = Files.readString(ROOT.resolve("docs/extending.md"));
        List<String> checked = new ArrayList<>();
        Matcher m = EXAMPLE.matcher(guide);
        while (m.find()) {
            Path file = ROOT.resolve(m.group(1));
            assertThat(m.group(2)).as(m.group(1)).isEqualTo(Files.readString(file));
            // the examples users copy must run as they are (the test resources are made executable where they are installed)
            if (m.group(1).startsWith("docs/") && m.group(2).startsWith("#!")) assertThat(Files.isExecutable(file)).as(m.group(1) + " is executable").isTrue();
            checked.add(m.group(1));
        }
        assertThat(checked).as("the hook, script tool, Java plugin and Claude Code plugin examples").contains(
                "docs/examples/hooks/settings.json", "docs/examples/hooks/guard-push.py",
                "core/src/test/resources/plugins/tools/word_count.py", "core/src/test/resources/plugins/shout/ShoutPlugin.java",
                "docs/examples/claude-plugin/acme/hooks/hooks.json");
    }
}
