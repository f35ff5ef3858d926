package dev.lathe.app.boundaries;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DESIGN §30 "paths a person uses obey the node's rules" (issue 79, decisions 555 and 556), read from the sources,
 * comments and strings blanked:
 * <ul>
 *   <li>the allow-all permissions object ({@code Permissions.ALLOW_ALL}) is used only where it is harmless: its
 *       definition, and the search helper that runs ripgrep over a folder its caller chose. A person's {@code !cmd}
 *       ran with it and so ignored the node's deny rules; any new use in main code fails here;</li>
 *   <li>the files that start the commands of a person's paths (hooks, status lines: {@code HandlerRunner}) start
 *       them through {@code ProcessGroups.start}, which puts the tree in a group of its own, under the process cap and
 *       the launcher (the session's sandbox) — never with {@code ProcessBuilder.start} of their own.</li>
 * </ul>
 */
class PersonPathsRuleTest {
    static final Pattern ALLOW_ALL = Pattern.compile("\\bALLOW_ALL\\b");

    /** Where {@code ALLOW_ALL} may be named in main code, and why. */
    static final Map<String, String> ALLOW_ALL_HOMES = Map.of(
            "tools/src/main/java/dev/lathe/tools/Permissions.java", "its definition",
            "tools/src/main/java/dev/lathe/tools/builtin/ProjectSearch.java", "ripgrep over a folder its caller chose, no permission to ask",
            "bench/src/main/java/dev/lathe/bench/GrepBench.java", "benchmark");

    /** Starting a process other than through {@code ProcessGroups.start}. */
    static final Pattern OWN_START = Pattern.compile("\\.\\s*start\\s*\\(\\s*\\)|ProcessBuilder\\s*::\\s*start|Runtime\\s*\\.\\s*getRuntime");

    /** The files that start a person's commands (hooks, the status line), below the repository. */
    static final List<String> PERSON_STARTERS = List.of("core/src/main/java/dev/lathe/core/hooks/HandlerRunner.java");

    static List<WiringTest.Hit> allowAllOutsideItsHomes(Path root) {
        return WiringTest.find(root, WiringTest.mainSources(root), ALLOW_ALL).stream()
                .filter(h -> !ALLOW_ALL_HOMES.containsKey(h.file().toString().replace('\\', '/'))).toList();
    }

    static List<WiringTest.Hit> startsAroundProcessGroups(Path root) {
        return WiringTest.find(root, PERSON_STARTERS.stream().map(root::resolve).filter(Files::exists), OWN_START);
    }

    @Test
    void noPersonsPathRunsWithAllowAll() {
        assertThat(allowAllOutsideItsHomes(ModuleBoundariesTest.repositoryRoot()))
                .as("Permissions.ALLOW_ALL outside its homes: a person's command must go through the permission gate (PermissionGate,"
                        + " with PermissionGate.Asks.TYPED_BY_THE_ANSWERER for what a person typed), never allow-all")
                .isEmpty();
    }

    @Test
    void hooksAndStatusLinesStartThroughProcessGroups() {
        Path root = ModuleBoundariesTest.repositoryRoot();
        assertThat(PERSON_STARTERS).allSatisfy(f -> assertThat(root.resolve(f)).exists());
        assertThat(startsAroundProcessGroups(root))
                .as("a hook or status line started around ProcessGroups.start: its tree would escape the sandbox, the cap and the kill at its limit")
                .isEmpty();
        assertThat(WiringTest.find(root, PERSON_STARTERS.stream().map(root::resolve), Pattern.compile("\\bProcessGroups\\s*\\.\\s*start\\s*\\(")))
                .isNotEmpty();
    }

    /** Asking the node's bash rules about the command ({@code CommandRules.denial}, decision 563). */
    static final Pattern RULES_ASKED = Pattern.compile("\\brules\\s*\\.\\s*denial\\s*\\(");
    static final Pattern GROUP_START = Pattern.compile("\\bProcessGroups\\s*\\.\\s*start\\s*\\(");

    /** Whether {@code source} starts a process before (or without) asking the bash rules about its command. */
    static boolean startsBeforeAskingTheRules(String source) {
        var start = GROUP_START.matcher(source);
        if (!start.find()) return false;
        var asked = RULES_ASKED.matcher(source);
        return !asked.find() || asked.start() > start.start();
    }

    @Test
    void hooksAndStatusLinesAskTheBashRulesBeforeTheyStart() throws IOException {
        Path root = ModuleBoundariesTest.repositoryRoot();
        for (String f : PERSON_STARTERS) {
            assertThat(startsBeforeAskingTheRules(Files.readString(root.resolve(f))))
                    .as(f + " starts a command before its session's bash rules decide it (CommandRules.denial): a deny rule would not hold")
                    .isFalse();
        }
        assertThat(startsBeforeAskingTheRules("x = ProcessGroups.start(pb, l); if (rules.denial(c).isPresent()) return;")).isTrue();
        assertThat(startsBeforeAskingTheRules("x = ProcessGroups.start(pb, l);")).isTrue();
        assertThat(startsBeforeAskingTheRules("if (rules.denial(c).isPresent()) return; x = ProcessGroups.start(pb, l);")).isFalse();
    }

    @Test
    void findsAllowAllAndAnOwnStart(@TempDir Path root) throws IOException {
        Path shell = Files.createDirectories(root.resolve("core/src/main/java/x"));
        Files.writeString(shell.resolve("UserShell.java"), """
                final class UserShell {
                    // Permissions.ALLOW_ALL in a comment is no use
                    String s = "ALLOW_ALL";
                    Permissions p = request.check() ? gate : Permissions.ALLOW_ALL;
                }
                """);
        Path tools = Files.createDirectories(root.resolve("tools/src/main/java/dev/lathe/tools"));
        Files.writeString(tools.resolve("Permissions.java"), "interface Permissions { Permissions ALLOW_ALL = c -> {}; }\n");
        Path hooks = Files.createDirectories(root.resolve("core/src/main/java/dev/lathe/core/hooks"));
        Files.writeString(hooks.resolve("HandlerRunner.java"), """
                final class HandlerRunner {
                    Process run(ProcessBuilder pb) throws Exception {
                        return pb
                                .start();
                    }
                }
                """);

        assertThat(allowAllOutsideItsHomes(root)).extracting(WiringTest.Hit::line).containsExactly(4);
        assertThat(startsAroundProcessGroups(root)).extracting(WiringTest.Hit::line).containsExactly(4);
    }
}
