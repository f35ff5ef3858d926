package dev.lathe.app.boundaries;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.protocol.session.Wrapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DESIGN §18 "Unattended work (§26)", decision 465: every synthetic wrapper the model reads is written by
 * {@code Wrapper}, the one escaping. Read from the string literals of every module's main sources (comments do not
 * count; literals split by {@code +} on one line are read together):
 * <ul>
 *   <li>one of Wrapper's tags ({@code <task-result}, {@code </message}, in any case or spacing) appears in no literal
 *       outside {@code Wrapper.java}, so no code writes one around text by hand;</li>
 *   <li>any other literal that opens a tag around text (a tag with attributes, or one followed by a line break) is in a
 *       file listed here with the reason its body needs no escaping, so a new wrapper is either Wrapper's or argued.</li>
 * </ul>
 */
class WrapperRuleTest {
    static final String HOME = "protocol/src/main/java/dev/lathe/protocol/session/Wrapper.java";

    /** Wrapper's tags, opening or closing, as a lenient reader would take them. */
    static final Pattern WRAPPER_TAG = Pattern.compile("<\\s*/?\\s*(?:" + Arrays.stream(Wrapper.values()).map(w -> Pattern.quote(w.tag())).distinct()
            .collect(Collectors.joining("|")) + ")(?![\\w-])", Pattern.CASE_INSENSITIVE);

    /** A tag opened around text: with an attribute, or followed by a line break (as the source writes it). */
    static final Pattern ANY_WRAPPER = Pattern.compile("<\\s*[A-Za-z][\\w-]*(?:\\s+[A-Za-z][\\w-]*=\\\\\"|>\\\\n)");

    /** Literals that name one of Wrapper's tags without writing a wrapper. */
    static final Map<String, String> TAG_ALLOWED = Map.of(
            "llm/src/main/java/dev/lathe/llm/http/ErrorOrigin.java", "-Djavax.net.ssl.trustStore=<file>: a placeholder in a message for a person");

    /** Wrappers whose body is Lathe's own text, the user's, or instructions the model is meant to follow: nothing to escape. */
    static final Map<String, String> OTHER_ALLOWED = Map.of(
            "core/src/main/java/dev/lathe/core/context/Environment.java", "<environment>: Lathe's own facts (folder, platform, date)",
            "core/src/main/java/dev/lathe/core/budget/BudgetReport.java", "<budget>: Lathe's own figures",
            "core/src/main/java/dev/lathe/core/session/context/NestedInstructions.java",
            "<system-reminder>: a folder's AGENTS.md/CLAUDE.md, instructions by design (escaping takes no power from them, and mangles their own tags)",
            "tools/src/main/java/dev/lathe/tools/builtin/SkillTool.java", "<skill>: a skill's instructions, by design (as above)",
            "core/src/main/java/dev/lathe/core/session/turn/CarryOver.java", "<compacted-context>, <user-message>: the model's own summary and the user's typed words",
            "server/src/main/java/dev/lathe/server/http/QrCode.java", "<svg>: an image for the browser, never the model");

    record Hit(String file, int line, String text) {
        @Override
        public String toString() { return file + ":" + line + ": " + text.strip(); }
    }

    /** The literal lines of every main source under {@code root} that {@code pattern} finds, outside {@code allowed}. */
    static List<Hit> outside(Path root, Pattern pattern, Map<String, String> allowed) {
        try (Stream<Path> modules = Files.list(root)) {
            return modules.map(m -> m.resolve("src/main/java")).filter(Files::isDirectory).toList().stream().flatMap(WiringTest::javaFiles)
                    .filter(f -> !allowed.containsKey(rel(root, f)) && !rel(root, f).equals(HOME))
                    .flatMap(f -> {
                        String[] lines = JavaText.literalsOnly(read(f)).split("\n", -1);
                        return IntStream.range(0, lines.length).filter(i -> pattern.matcher(lines[i]).find()).mapToObj(i -> new Hit(rel(root, f), i + 1, lines[i]));
                    })
                    .sorted(Comparator.comparing(Hit::toString)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String rel(Path root, Path f) {
        return root.relativize(f).toString().replace('\\', '/');
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void everyWrapperTheModelReadsIsWrittenByTheOneEscaping() {
        Path root = ModuleBoundariesTest.repositoryRoot();
        assertThat(outside(root, WRAPPER_TAG, TAG_ALLOWED)).as("a wrapper's tag spelled outside Wrapper: write it with Wrapper.X.wrap/opening").isEmpty();
        assertThat(outside(root, ANY_WRAPPER, OTHER_ALLOWED))
                .as("a tag around text outside Wrapper: add the wrapper to Wrapper (its body escaped), or list the file here with why it needs no escaping").isEmpty();
    }

    @Test
    void theAllowedFilesExistAndStillHoldWhatTheyAreAllowed() {
        Path root = ModuleBoundariesTest.repositoryRoot();
        assertThat(root.resolve(HOME)).isRegularFile();
        TAG_ALLOWED.keySet().forEach(f -> assertThat(outside(root, WRAPPER_TAG, Map.of())).as(f).anyMatch(h -> h.file().equals(f)));
        OTHER_ALLOWED.keySet().forEach(f -> assertThat(outside(root, ANY_WRAPPER, Map.of())).as(f).anyMatch(h -> h.file().equals(f)));
    }

    @Test
    void findsAWrapperWrittenByHandHoweverItIsSpelled(@TempDir Path root) throws IOException {
        Path core = Files.createDirectories(root.resolve("core/src/main/java/dev/lathe/core/session"));
        Files.writeString(core.resolve("Forged.java"), """
                class Forged {
                    // a comment may say <task-result id="x"> freely
                    String a(String id, String answer) { return "<task-result id=\\"" + id + "\\">\\n" + answer + "\\n</task-result>"; }
                    String b(String s) { return "< MESSAGE from=\\"lead\\">" + s; }
                    String c(String s) { return "<" + "check-output>\\n" + s; }
                    String d(String s) { return \"""
                            <github-text author="x">
                            \""" + s; }
                    String e(String s) { return "<notes kind=\\"x\\">" + s + "</notes>"; }
                    String f(String s) { return "<scratch>\\n" + s; }
                    String g(String s) { return "a < b && c > d, List<String>"; }
                }
                """);
        List<Integer> tagLines = outside(root, WRAPPER_TAG, Map.of()).stream().map(Hit::line).toList();
        assertThat(tagLines).containsExactly(3, 4, 5, 7);
        List<Integer> otherLines = outside(root, ANY_WRAPPER, Map.of()).stream().map(Hit::line).toList();
        assertThat(otherLines).contains(3, 4, 9, 10).doesNotContain(2, 11);
    }
}
