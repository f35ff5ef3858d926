package dev.lathe.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * DESIGN §24 "Restrictive rules need no trust", as a rule: each harness format's rules are read in one place —
 * Claude Code's {@code permissions} by {@link ClaudePermissions}, OpenCode's {@code permission} and tool switches by
 * {@link OpenCodeFile} — and every Claude Code settings file Lathe reads at all (for hooks) is read for its rules too.
 * A second reader beside them (a loader that reads {@code permissions} itself, an agent reader with its own OpenCode tool
 * names) fails here, as does a settings file added to the hooks' list alone.
 */
class HarnessRulesOnePlaceTest {
    private static final Path MAIN = Path.of("src/main/java/dev/lathe");

    /** Code that reads a settings file's {@code permissions} key, and what may. */
    private static final Pattern READS_PERMISSIONS = Pattern.compile("(path|get|has|remove|properties)\\(\"permissions\"\\)");
    /** OpenCode's edit-family tool names: only the one mapping of its tool switches may spell them out. */
    private static final Pattern OPENCODE_EDIT_NAMES = Pattern.compile("\"multiedit\"");
    private static final Map<Pattern, List<String>> ALLOWED = Map.of(
            READS_PERMISSIONS, List.of("core/config/ClaudePermissions.java"),
            OPENCODE_EDIT_NAMES, List.of("core/config/OpenCodeFile.java", "core/imports/ToolNames.java"));

    @Test
    void eachHarnessFormatsRulesAreReadInOnePlace() throws IOException {
        for (var rule : ALLOWED.entrySet()) {
            assertThat(filesMatching(rule.getKey())).as("only %s may match %s", rule.getValue(), rule.getKey()).isSubsetOf(rule.getValue());
        }
    }

    @Test
    void theRuleTestCanFail() throws IOException {
        // the readers themselves match: a pattern that found nothing would pass whatever the code did
        assertThat(filesMatching(READS_PERMISSIONS)).contains("core/config/ClaudePermissions.java");
        assertThat(filesMatching(OPENCODE_EDIT_NAMES)).contains("core/config/OpenCodeFile.java");
    }

    @Test
    void everyClaudeSettingsFileReadForHooksIsReadForItsRules() {
        List<String> claudeFiles = HooksFile.PROJECT_FILES.stream().filter(f -> f.startsWith(".claude/")).toList();
        assertThat(ClaudePermissions.PROJECT_FILES).containsAll(claudeFiles);
        assertThat(ClaudePermissions.USER_FILE).isEqualTo(HooksFile.USER_FILE);
    }

    /** The main source files of every module under this one's parent matching {@code pattern}, as module-less paths. */
    private static List<String> filesMatching(Pattern pattern) throws IOException {
        Path root = Path.of("").toAbsolutePath().getParent();
        try (Stream<Path> modules = Files.list(root)) {
            return modules.map(m -> m.resolve(MAIN)).filter(Files::isDirectory).flatMap(HarnessRulesOnePlaceTest::javaFiles)
                    .filter(f -> matches(f, pattern))
                    .map(f -> f.toString().substring(f.toString().indexOf("/dev/lathe/") + "/dev/lathe/".length()))
                    .toList();
        }
    }

    private static Stream<Path> javaFiles(Path dir) {
        try {
            return Files.walk(dir).filter(f -> f.toString().endsWith(".java")).toList().stream();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static boolean matches(Path file, Pattern pattern) {
        try {
            return pattern.matcher(Files.readString(file)).find();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
