package dev.lathe.app.boundaries;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Read-only command lists checked by what they do (DESIGN §24, §26), read from the sources: a command list has one
 * home, {@code ReadOnlyCommands}, whose entries become rules only through {@code Rule.readOnlyCommands()}, each allowing
 * what the judge finds read-only. Main code that allows a bash pattern written out in a literal ({@code new Rule("bash",
 * "sort *", Action.ALLOW)}, allowed by its name whatever its options) or declares its own list of "read-only" commands
 * fails here. Rules made from configuration (a variable pattern) are the user's and are not touched.
 */
class ReadOnlyListRuleTest {
    /** A bash allow rule whose pattern is written in the code. */
    static final Pattern LITERAL_BASH_ALLOW = Pattern.compile("new\\s+Rule\\s*\\(\\s*\"bash\"\\s*,\\s*\"[^\"]*\"\\s*,\\s*Action\\s*\\.\\s*ALLOW");

    /** A collection of strings whose name says it holds read-only commands, programs or patterns. */
    static final Pattern READ_ONLY_LIST = Pattern.compile("(?i)(?:List|Set|Collection|Map)\\s*<[^;=]*>\\s+\\w*(?:read_?only\\w*(?:command|bash|program|pattern)"
            + "|(?:command|bash|program|pattern)\\w*read_?only)\\w*\\s*=");

    /** The one home of the read-only list. */
    static final String HOME = "core/src/main/java/dev/lathe/core/permission/bash/ReadOnlyCommands.java";

    static List<String> violations(Path root) {
        return WiringTest.mainSources(root).filter(f -> {
            String rel = root.relativize(f).toString().replace('\\', '/');
            if (rel.equals(HOME)) return false;
            String text = read(f);
            return LITERAL_BASH_ALLOW.matcher(text).find() || READ_ONLY_LIST.matcher(text).find();
        }).map(f -> root.relativize(f).toString().replace('\\', '/')).sorted().toList();
    }

    @Test
    void noMainCodeDeclaresAReadOnlyListBesideTheJudgedOne() {
        Path root = ModuleBoundariesTest.repositoryRoot();
        assertThat(violations(root)).as("bash allowed by a pattern written in code, or a read-only command list outside " + HOME
                + ": build it from Rule.readOnlyCommands() so every entry is judged option by option").isEmpty();
        assertThat(read(root.resolve("core/src/main/java/dev/lathe/core/agent/BuiltinAgents.java"))).contains("Rule.readOnlyCommands()");
    }

    @Test
    void aDeliberateViolationIsFound(@TempDir Path root) throws IOException {
        write(root, "core/src/main/java/dev/lathe/core/agent/Fine.java", "class Fine { List<Rule> r = Rule.readOnlyCommands(); Rule u = new Rule(\"bash\", pattern, Action.ALLOW); }");
        write(root, "core/src/main/java/dev/lathe/core/agent/ByName.java", "class ByName { Rule r = new Rule(\"bash\", \"sort *\", Action.ALLOW); }");
        write(root, "core/src/main/java/dev/lathe/core/agent/OwnList.java",
                "class OwnList { static final List<String> READ_ONLY_COMMANDS = List.of(\"ls *\"); }");
        write(root, "tui/src/main/java/dev/lathe/tui/Other.java", "class Other { private final Set<String> readOnlyPrograms = Set.of(\"cat\"); }");
        write(root, HOME, "final class ReadOnlyCommands { static final Set<String> READ_ONLY_PROGRAMS = Set.of(); }");

        assertThat(violations(root)).containsExactly("core/src/main/java/dev/lathe/core/agent/ByName.java",
                "core/src/main/java/dev/lathe/core/agent/OwnList.java", "tui/src/main/java/dev/lathe/tui/Other.java");
    }

    private static void write(Path root, String rel, String text) throws IOException {
        Path f = root.resolve(rel);
        Files.createDirectories(f.getParent());
        Files.writeString(f, text);
    }

    private static String read(Path f) {
        try {
            return Files.readString(f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
