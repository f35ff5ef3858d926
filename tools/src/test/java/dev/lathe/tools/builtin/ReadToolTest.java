package dev.lathe.tools.builtin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.tools.RecordingPermissions;
import dev.lathe.tools.ToolContext;
import dev.lathe.tools.ToolFailure;
import dev.lathe.tools.ToolResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code read} on real files: windows, caps, folders, attachments, binaries and misspelt names. */
class ReadToolTest {
    @TempDir Path tmp;
    Path project;
    final ReadTool read = new ReadTool();

    @BeforeEach
    void setUp() throws Exception { project = Files.createDirectories(tmp.resolve("p")).toRealPath(); }

    private ToolResult read(String path, Integer offset, Integer limit) {
        var ctx = ToolContext.builder(project, RecordingPermissions.allowing()).session("ses").call("call_1").output(tmp.resolve("out")).build();
        return read.run(new ReadTool.Args(path, Optional.ofNullable(offset), Optional.ofNullable(limit)), ctx);
    }

    private Path lines(String name, int count, String prefix) throws Exception {
        return Files.writeString(project.resolve(name), IntStream.rangeClosed(1, count).mapToObj(i -> prefix + i).collect(Collectors.joining("\n")) + "\n");
    }

    @Test
    void theDefaultWindowIs2000LinesAndSaysHowToReadOn() throws Exception {
        lines("big.txt", 3000, "row ");
        String out = read("big.txt", null, null).output();
        assertThat(out).startsWith("     1\trow 1\n").contains("  2000\trow 2000\n").doesNotContain("row 2001")
                .contains("Use offset=2001 to read beyond line 2000");
        String rest = read("big.txt", 2001, null).output();
        assertThat(rest).startsWith("  2001\trow 2001\n").contains("  3000\trow 3000\n").contains("End of file: 3000 lines");
    }

    @Test
    void offsetAndLimitSelectTheWindow() throws Exception {
        lines("n.txt", 10, "line ");
        String out = read("n.txt", 4, 3).output();
        assertThat(out.lines().filter(l -> l.contains("\t")).toList()).containsExactly("     4\tline 4", "     5\tline 5", "     6\tline 6");
        assertThat(out).contains("offset=7");
        assertThatThrownBy(() -> read("n.txt", 50, null)).isInstanceOf(ToolFailure.class).hasMessageContaining("beyond the end");
    }

    @Test
    void theWindowStopsAt50KilobytesEvenWithinTheLineLimit() throws Exception {
        lines("wide.txt", 1000, "y".repeat(200) + " ");
        String out = read("wide.txt", null, null).output();
        int numbered = (int) out.lines().filter(l -> l.contains("\t")).count();
        assertThat(numbered).isBetween(200, 260);
        assertThat(out.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(ReadTool.MAX_BYTES + 200);
        assertThat(out).contains("Output capped at 50 KB").contains("offset=" + (numbered + 1));
    }

    @Test
    void linesOver2000CharactersAreCutWithAMarker() throws Exception {
        Files.writeString(project.resolve("long.txt"), "a".repeat(2000) + "\n" + "b".repeat(2001) + "TAIL\nshort\n");
        String out = read("long.txt", null, null).output();
        assertThat(out).contains("     1\t" + "a".repeat(2000) + "\n").contains("     2\t" + "b".repeat(2000) + "... (line truncated")
                .doesNotContain("TAIL").contains("     3\tshort");
    }

    @Test
    void aFolderIsListedSortedWithSlashesAfterFolders() throws Exception {
        Files.createDirectories(project.resolve("d/zeta"));
        Files.createDirectories(project.resolve("d/alpha"));
        Files.writeString(project.resolve("d/b.txt"), "b");
        Files.writeString(project.resolve("d/A.md"), "a");
        assertThat(read("d", null, null).output().lines().toList()).containsExactly("A.md", "alpha/", "b.txt", "zeta/");
        Files.createDirectories(project.resolve("empty"));
        assertThat(read("empty", null, null).output()).isEqualTo("(empty folder)");
    }

    @Test
    void imagesAndPdfsComeBackAsAttachments() throws Exception {
        byte[] png = Base64.getDecoder().decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");
        Files.write(project.resolve("pixel.png"), png);
        ToolResult image = read("pixel.png", null, null);
        assertThat(image.output()).contains("image/png").contains("attached");
        assertThat(image.attachments()).singleElement().satisfies(a -> {
            assertThat(a.mime()).isEqualTo("image/png");
            assertThat(a.name()).isEqualTo("pixel.png");
            assertThat(Base64.getDecoder().decode(a.base64())).isEqualTo(png);
        });
        byte[] gif = "GIF89a\u0001\u0000\u0001\u0000".getBytes(StandardCharsets.ISO_8859_1);
        Files.write(project.resolve("a.gif"), gif);
        assertThat(read("a.gif", null, null).attachments()).singleElement().satisfies(a -> assertThat(a.mime()).isEqualTo("image/gif"));
        byte[] jpeg = {(byte) 0xff, (byte) 0xd8, (byte) 0xff, (byte) 0xe0, 0, 16, 'J', 'F', 'I', 'F', 0};
        Files.write(project.resolve("a.jpg"), jpeg);
        assertThat(read("a.jpg", null, null).attachments()).singleElement().satisfies(a -> assertThat(a.mime()).isEqualTo("image/jpeg"));
        byte[] webp = "RIFF\u0010\u0000\u0000\u0000WEBPVP8 ".getBytes(StandardCharsets.ISO_8859_1);
        Files.write(project.resolve("a.webp"), webp);
        assertThat(read("a.webp", null, null).attachments()).singleElement().satisfies(a -> assertThat(a.mime()).isEqualTo("image/webp"));

        byte[] pdf = "%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n".getBytes(StandardCharsets.US_ASCII);
        Files.write(project.resolve("paper.pdf"), pdf);
        ToolResult doc = read("paper.pdf", null, null);
        assertThat(doc.output()).contains("application/pdf");
        assertThat(doc.attachments()).singleElement().satisfies(a -> {
            assertThat(a.mime()).isEqualTo("application/pdf");
            assertThat(Base64.getDecoder().decode(a.base64())).isEqualTo(pdf);
        });
    }

    @Test
    void binaryFilesAreRefusedButUtf8TextIsNot() throws Exception {
        Files.write(project.resolve("nul.bin"), new byte[] {'a', 'b', 0, 'c'});
        assertThatThrownBy(() -> read("nul.bin", null, null)).isInstanceOf(ToolFailure.class).hasMessageContaining("binary");
        byte[] controls = new byte[512];
        for (int i = 0; i < controls.length; i++) controls[i] = (byte) (i % 2 == 0 ? 1 + i % 7 : 'x');
        Files.write(project.resolve("noisy.dat"), controls);
        assertThatThrownBy(() -> read("noisy.dat", null, null)).isInstanceOf(ToolFailure.class).hasMessageContaining("binary");
        Files.writeString(project.resolve("utf8.txt"), "Grüße, 你好, Привет\tok\n");
        assertThat(read("utf8.txt", null, null).output()).contains("     1\tGrüße, 你好, Привет\tok");
    }

    @Test
    void aMissingFileSuggestsUpToThreeCloseNamesFromItsFolder() throws Exception {
        Files.createDirectories(project.resolve("src"));
        for (String n : new String[] {"Main.java", "Maine.java", "Mains.java", "Mail.java", "Other.kt"}) Files.writeString(project.resolve("src/" + n), "x");
        Files.writeString(project.resolve("README.md"), "x");
        assertThatThrownBy(() -> read("readme.MD", null, null)).isInstanceOf(ToolFailure.class)
                .hasMessageContaining("not found").hasMessageContaining(project.resolve("README.md").toString());
        assertThatThrownBy(() -> read("src/Mian.java", null, null)).isInstanceOf(ToolFailure.class).satisfies(e -> {
            String message = e.getMessage();
            assertThat(message).contains("Did you mean").contains("Main.java").doesNotContain("Other.kt");
            assertThat(message.split(",").length).isLessThanOrEqualTo(3);
        });
        assertThatThrownBy(() -> read("src/Zzzzzz.py", null, null)).isInstanceOf(ToolFailure.class).hasMessageNotContaining("Did you mean");
    }

    @Test
    void aNumberedLineAndItsByteCountAreThoseTheFormatterAndTheEncoderMade() {
        for (String line : List.of("", "plain", "é ü", "日本語", "emoji 😀 end", "lone \uD800 high", "lone \uDC00 low", "tail \uD83D")) {
            for (int n : new int[] {1, 42, 999_999, 1_234_567}) {
                String expected = String.format(java.util.Locale.ROOT, "%6d\t%s%n", n, line);
                assertThat(ReadTool.numbered(n, line)).isEqualTo(expected);
                assertThat(ReadTool.utf8Length(expected)).as(line).isEqualTo(expected.getBytes(StandardCharsets.UTF_8).length);
            }
        }
    }
}
