package dev.lathe.app.boundaries;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No catch-all arm over the sealed types of a transcript (issue 54): a {@code switch} in main code whose cases are
 * variants of {@code Part}, {@code ToolState}, {@code ToolDisplay} or {@code Message} names every variant it does not
 * handle instead of a {@code default} arm, so a new part type is a compile error at each place that must decide what
 * to do with it, not a silent "ignore". Read from the sources of every module: a switch counts when one of its own
 * case labels (not a nested switch's) is such a variant, as the code writes them ({@code case Part.Text t}).
 */
class SealedPartSwitchesTest {
    /** A case label naming a variant of one of the sealed transcript types. */
    static final Pattern PART_CASE = Pattern.compile("\\bcase\\s+(?:(?:Part|ToolState|ToolDisplay)\\s*\\.\\s*[A-Z]|(?:UserMessage|AssistantMessage)\\b)");
    /** A catch-all arm, either form. */
    static final Pattern DEFAULT_ARM = Pattern.compile("\\bdefault\\s*(?:->|:)");
    private static final Pattern SWITCH = Pattern.compile("\\bswitch\\s*\\(");

    /** The switches over a sealed transcript type with a {@code default} arm, in the main sources of {@code root}'s modules. */
    static List<WiringTest.Hit> catchAlls(Path root) {
        List<WiringTest.Hit> hits = new ArrayList<>();
        try (Stream<Path> modules = Files.list(root)) {
            for (Path module : modules.sorted().toList()) {
                for (Path file : WiringTest.javaFiles(module.resolve("src/main/java")).toList()) {
                    String code = JavaText.codeOnly(Files.readString(file));
                    for (int at : catchAllSwitches(code)) {
                        int line = (int) code.substring(0, at).chars().filter(c -> c == '\n').count() + 1;
                        hits.add(new WiringTest.Hit(root.relativize(file), line, code.split("\n", -1)[line - 1]));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        hits.sort(Comparator.comparing(WiringTest.Hit::toString));
        return hits;
    }

    /** Where each offending {@code switch} of {@code code} (comments and literals blanked) starts. */
    static List<Integer> catchAllSwitches(String code) {
        List<Integer> out = new ArrayList<>();
        Matcher m = SWITCH.matcher(code);
        while (m.find()) {
            int open = code.indexOf('{', closing(code, m.end() - 1));
            if (open < 0) continue;
            String own = ownLevel(code, open);
            if (PART_CASE.matcher(own).find() && DEFAULT_ARM.matcher(own).find()) out.add(m.start());
        }
        return out;
    }

    /** The index of the parenthesis closing the one at {@code open}. */
    private static int closing(String code, int open) {
        int depth = 0;
        for (int i = open; i < code.length(); i++) {
            if (code.charAt(i) == '(') depth++;
            else if (code.charAt(i) == ')' && --depth == 0) return i;
        }
        return code.length() - 1;
    }

    /** The text of the block opening at {@code open}, with every nested block (an arm's body, an inner switch) left out. */
    private static String ownLevel(String code, int open) {
        var own = new StringBuilder();
        int depth = 0;
        for (int i = open; i < code.length(); i++) {
            char c = code.charAt(i);
            if (c == '{') depth++;
            else if (c == '}' && --depth == 0) break;
            own.append(depth == 1 ? c : ' ');
        }
        return own.toString();
    }

    @Test
    void noSwitchOverAPartTypeHasADefaultArm() {
        Path root = ModuleBoundariesTest.repositoryRoot();
        assertThat(catchAlls(root)).as("switches over Part/ToolState/ToolDisplay/Message with a default arm: name the variants instead").isEmpty();
    }

    @Test
    void findsADefaultArmOverPartsInAnyModuleAndNothingElse(@TempDir Path root) throws IOException {
        Path tui = Files.createDirectories(root.resolve("tui/src/main/java/x"));
        Files.writeString(tui.resolve("Printer.java"), """
                class Printer {
                    // default -> in a comment is no arm
                    String a(Part p) {
                        return switch (p) {
                            case Part.Text t -> t.text();
                            default -> "";
                        };
                    }
                    void b(ToolState s) {
                        switch (s) {
                            case ToolState.Failed f: log(f); break;
                            default: break;
                        }
                    }
                    String c(Part p, String kind) {
                        return switch (p) {
                            case Part.Text t when t.synthetic() -> "note";
                            case Part.Text _, Part.Reasoning _ -> switch (kind) {
                                case "a" -> "x";
                                default -> "y";
                            };
                            case Part.Tool _, Part.File _ -> "other";
                        };
                    }
                    String d(String kind) {
                        return switch (kind) { case "Part.Text" -> "t"; default -> ""; };
                    }
                }
                """);
        Path core = Files.createDirectories(root.resolve("core/src/main/java/x"));
        Files.writeString(core.resolve("Kinds.java"), """
                class Kinds {
                    String e(Message m) {
                        return switch (m) {
                            case UserMessage u -> "user";
                            default -> "answer";
                        };
                    }
                }
                """);
        Path tests = Files.createDirectories(root.resolve("core/src/test/java/x"));
        Files.writeString(tests.resolve("KindsTest.java"), "class KindsTest { int f(Part p) { return switch (p) { case Part.Text t -> 1; default -> 0; }; } }\n");

        assertThat(catchAlls(root)).extracting(h -> h.file() + ":" + h.line())
                .containsExactlyInAnyOrder("core/src/main/java/x/Kinds.java:3", "tui/src/main/java/x/Printer.java:4", "tui/src/main/java/x/Printer.java:10");
    }
}
