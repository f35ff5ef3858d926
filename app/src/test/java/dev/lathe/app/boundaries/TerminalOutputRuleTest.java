package dev.lathe.app.boundaries;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DESIGN §24 "Untrusted text is never raw on a terminal" (issue 52), read from the sources of the three modules that
 * print to one (app, tui, client): every command prints through {@code TerminalOutput} (app), whose streams pass
 * {@code VisibleControls}, the one sanitiser; picocli's {@code getOut()}/{@code getErr()} are bound to it in {@code Main}
 * alone; the terminal UI writes to the terminal only through its surface, whose screens pass every line through the
 * same sanitiser. A raw {@code System.out}, {@code System.err}, {@code FileDescriptor.out} or a console's writer
 * anywhere else fails, as does rebinding picocli's streams; each allowed file says why. Only code counts, not a
 * comment or a string.
 */
class TerminalOutputRuleTest {
    /** A raw standard stream: the JVM's, the file descriptor's, or the console's own writer. */
    static final Pattern RAW_STREAM = Pattern.compile("\\bSystem\\s*\\.\\s*(?:out|err)\\b|\\bFileDescriptor\\s*\\.\\s*(?:out|err)\\b"
            + "|\\bSystem\\s*\\.\\s*console\\s*\\(\\s*\\)\\s*\\.\\s*(?:writer|printf|format)\\b");

    /** Picocli's (or the JVM's) output streams rebound. */
    static final Pattern REBOUND = Pattern.compile("\\.\\s*set(?:Out|Err)\\s*\\(");

    /** A JLine terminal's writer: the terminal UI's way to the screen. */
    static final Pattern TERMINAL_WRITER = Pattern.compile("\\.\\s*writer\\s*\\(\\s*\\)");

    /** The files that may use a raw stream, and why. */
    static final Map<String, String> RAW_ALLOWED = Map.of(
            "app/src/main/java/dev/lathe/app/TerminalOutput.java", "the one place: it wraps them in the sanitiser",
            "app/src/main/java/dev/lathe/app/AcpCommand.java", "standard output is the ACP protocol's JSON-RPC channel, never a terminal");

    /** The files that may rebind the streams, and why. */
    static final Map<String, String> REBIND_ALLOWED = Map.of(
            "app/src/main/java/dev/lathe/app/Main.java", "binds picocli's getOut()/getErr() to TerminalOutput",
            "app/src/main/java/dev/lathe/app/TerminalOutput.java", "tags a team node's standard error, then wraps it again",
            "app/src/main/java/dev/lathe/app/AcpCommand.java", "moves stray prints off the protocol's channel to standard error");

    /** The files that may take a terminal's writer, and why. */
    static final Map<String, String> WRITER_ALLOWED = Map.of(
            "tui/src/main/java/dev/lathe/tui/TerminalSurface.java", "the screens' byte sink: InlineScreen and AlternateScreen pass every line through VisibleControls",
            "tui/src/main/java/dev/lathe/tui/TerminalUi.java", "constant mode switches (bracketed paste, the cursor), no text");

    static final List<String> MODULES = List.of("app", "term", "tui", "run", "client");

    static List<WiringTest.Hit> outside(Path root, Pattern pattern, Map<String, String> allowed) {
        Stream<Path> files = MODULES.stream().flatMap(m -> WiringTest.javaFiles(root.resolve(m + "/src/main/java")));
        return WiringTest.find(root, files.filter(f -> !allowed.containsKey(root.relativize(f).toString())), pattern);
    }

    @Test
    void everyCommandPrintsThroughTheOneSanitiser() {
        Path root = ModuleBoundariesTest.repositoryRoot();
        assertThat(outside(root, RAW_STREAM, RAW_ALLOWED))
                .as("raw standard streams: print through TerminalOutput (or spec.commandLine().getOut()/getErr(), bound to it)").isEmpty();
        assertThat(outside(root, REBOUND, REBIND_ALLOWED)).as("streams rebound outside Main: picocli's are TerminalOutput's").isEmpty();
        assertThat(outside(root, TERMINAL_WRITER, WRITER_ALLOWED))
                .as("a terminal's writer outside the surface: draw through InlineScreen/AlternateScreen (VisibleControls)").isEmpty();
    }

    @Test
    void theAllowedFilesExistSoTheListCannotRot() {
        Path root = ModuleBoundariesTest.repositoryRoot();
        Stream.of(RAW_ALLOWED, REBIND_ALLOWED, WRITER_ALLOWED).flatMap(m -> m.keySet().stream())
                .forEach(f -> assertThat(root.resolve(f)).as(f).isRegularFile());
    }

    @Test
    void findsARawPrintAddedAnywhereInTheThreeModules(@TempDir Path root) throws IOException {
        Path app = Files.createDirectories(root.resolve("app/src/main/java/dev/lathe/app"));
        Files.writeString(app.resolve("ImportCommand.java"), """
                class ImportCommand {
                    void a(String title) { System.out.println(title); }
                    void b(String title) { System .err.printf("%s", title); } // System.out in a comment
                    void c(String title) { new java.io.PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out)).print(title); }
                    void d(picocli.CommandLine cli) { cli.setOut(new java.io.PrintWriter(System.out)); }
                    String e() { return "System.out"; }
                }
                """);
        Path client = Files.createDirectories(root.resolve("client/src/main/java/dev/lathe/client"));
        Files.writeString(client.resolve("Printer.java"), "class Printer { void f(String s) { System.console().writer().print(s); } }\n");
        Path tui = Files.createDirectories(root.resolve("tui/src/main/java/dev/lathe/tui/view"));
        Files.writeString(tui.resolve("Sneaky.java"), "class Sneaky { void g(org.jline.terminal.Terminal t, String s) { t.writer().print(s); } }\n");
        Files.writeString(app.resolve("TerminalOutput.java"), "class TerminalOutput { Object o = System.out; }\n");

        assertThat(outside(root, RAW_STREAM, RAW_ALLOWED)).extracting(h -> h.file().getFileName() + ":" + h.line())
                .containsExactly("ImportCommand.java:2", "ImportCommand.java:3", "ImportCommand.java:4", "ImportCommand.java:5", "Printer.java:1");
        assertThat(outside(root, REBOUND, REBIND_ALLOWED)).extracting(WiringTest.Hit::line).containsExactly(5);
        assertThat(outside(root, TERMINAL_WRITER, WRITER_ALLOWED)).extracting(h -> h.file().getFileName().toString())
                .containsExactly("Printer.java", "Sneaky.java");
    }
}
