package dev.lathe.tui;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The terminal UI's shape, held where decision 529 left it (issue 71, house step 5): its state in one {@link UiState}, its
 * effects through one port ({@link UiEffects}), so {@link Ui} is the loop and the composition and implements at most
 * {@value #MAX_UI_INTERFACES} interfaces; no part is made with {@code this} (the parts are composed in the order they
 * need each other, none is handed the object making it); and no constructor takes more than {@value #MAX_PARAMETERS}
 * parameters (a part needing more is given the state, or its parameters are a record of one concept). The figures
 * were 15 interfaces, 18 constructor calls handed {@code this} (17 in {@code Ui}, 1 in {@code Blocks}) and 7 constructors
 * over 8.
 */
class UiShapeTest {
    static final int MAX_UI_INTERFACES = 2;
    static final int MAX_PARAMETERS = 8;
    /** The main code measured: this module's ({@code lathe run} and the GitHub app live in module {@code run}, decision 527). */
    private static final Path MAIN = Path.of("src/main/java");

    @Test
    void uiImplementsAtMostTwoInterfaces() {
        assertThat(shape(MAIN.resolve("dev/lathe/tui/Ui.java")).implemented("Ui")).hasSizeLessThanOrEqualTo(MAX_UI_INTERFACES);
    }

    @Test
    void noPartIsMadeWithThis() {
        assertThat(mainFiles()).flatMap(f -> shape(f).constructorCallsGivenThis().stream().map(call -> MAIN.relativize(f) + ": " + call).toList())
                .isEmpty();
    }

    @Test
    void noConstructorTakesMoreThanEightParameters() {
        assertThat(mainFiles()).flatMap(f -> shape(f).constructors().stream().filter(c -> c.parameters() > MAX_PARAMETERS)
                .map(c -> MAIN.relativize(f) + ": " + c).toList()).isEmpty();
    }

    // the scanner finds what the three figures count, so each of the tests above fails when its figure is broken

    @Test
    void theScannerCountsImplementedInterfacesPastGenericsAndComments() {
        var shape = SourceShape.of("""
                /** implements Fake */
                final class Ui extends Base implements A.Host, Map<String, List<B>>, C { // implements D
                    class Inner implements E, F, G {}
                }
                """);
        assertThat(shape.implemented("Ui")).containsExactly("A.Host", "Map<String, List<B>>", "C");
        assertThat(SourceShape.of("record R(int a) {}").implemented("R")).isEmpty();
    }

    @Test
    void theScannerFindsThisHandedToAConstructorButNotAFieldOrAWordInAString() {
        var shape = SourceShape.of("""
                class Ui {
                    Ui() {
                        var a = new Commands(this, composer);
                        var b = new Feed<>(this::api, x -> 1);
                        var c = new Line(this.composer, "this");
                        var d = new Thread(() -> run());
                        var e = new Outer.Inner(width, List.of(new Deep(1, this)));
                        String s = "new X(this)";
                    }
                }
                """);
        assertThat(shape.constructorCallsGivenThis()).containsExactly("new Commands(this, composer)", "new Feed(this::api, x -> 1)",
                "new Outer.Inner(width, List.of(new Deep(1, this)))", "new Deep(1, this)");
    }

    @Test
    void theScannerCountsConstructorAndRecordParametersButNotCalls() {
        var shape = SourceShape.of("""
                final class Big {
                    record Pair<A, B>(Map<A, B> map, int b) {}
                    Big(int a, Map<String, Integer> b, int c, int d, int e, int f, int g, int h, int i) throws IOException {
                        this(a);
                    }
                    private Big(int a) { super(); }
                    static Big of() { return new Big(1, null, 3, 4, 5, 6, 7, 8, 9); }
                    void call() { Big(1, 2); }
                }
                """);
        assertThat(shape.constructors()).containsExactlyInAnyOrder(new SourceShape.Constructor("Pair", 2), new SourceShape.Constructor("Big", 9),
                new SourceShape.Constructor("Big", 1));
    }

    private static SourceShape shape(Path file) {
        try {
            return SourceShape.of(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Path> mainFiles() {
        try (Stream<Path> walk = Files.walk(MAIN)) {
            List<Path> files = walk.filter(f -> f.toString().endsWith(".java")).sorted().toList();
            assertThat(files).as("the module's main code, found from its folder").hasSizeGreaterThan(50);
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
