package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link OciImage#unpack} as a runtime applies layers, on two small layers made here: a whiteout removes a file of the
 * layer below, an opaque marker empties its folder of the layers below but keeps what its own layer adds, and no marker
 * is left in the root. The image test relies on it (release/oci-image's layers have no whiteouts of their own).
 */
class OciImageUnpackTest {
    @TempDir Path tmp;

    @Test
    void whiteoutsRemoveWhatTheLayersBelowAddedAndLeaveNoMarker() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "unpacking with owners kept needs root");
        Path lower = tmp.resolve("lower");
        write(lower.resolve("a/keep.txt"), "kept");
        write(lower.resolve("a/gone.txt"), "removed by a whiteout");
        write(lower.resolve("b/old.txt"), "hidden by an opaque folder");
        write(lower.resolve("b/deep/old.txt"), "hidden too");
        Path upper = tmp.resolve("upper");
        write(upper.resolve("a/.wh.gone.txt"), "");
        write(upper.resolve("b/.wh..wh..opq"), "");
        write(upper.resolve("b/new.txt"), "added over the opaque folder");
        write(upper.resolve("c.txt"), "new");

        Path layout = tmp.resolve("layout");
        Files.createDirectories(layout.resolve("blobs/sha256"));
        var json = JsonMapper.builder().build();
        var manifest = json.createObjectNode();
        var layers = manifest.putArray("layers");
        for (Path dir : List.of(lower, upper)) {
            Path gz = tmp.resolve(dir.getFileName() + ".tar.gz");
            var tar = new ProcessBuilder("tar", "-czf", gz.toString(), "-C", dir.toString(), ".").inheritIO().start();
            assertThat(tar.waitFor(60, TimeUnit.SECONDS) && tar.exitValue() == 0).isTrue();
            String digest;
            try (var in = Files.newInputStream(gz)) {
                digest = OciImage.sha256(in);
            }
            Files.move(gz, layout.resolve("blobs/sha256/" + digest));
            layers.addObject().put("digest", "sha256:" + digest).put("size", Files.size(layout.resolve("blobs/sha256/" + digest)));
        }
        var image = new OciImage(layout, json.createObjectNode(), manifest, json.createObjectNode());

        Path root = tmp.resolve("root");
        image.unpack(root);
        assertThat(Files.readString(root.resolve("a/keep.txt"))).isEqualTo("kept");
        assertThat(root.resolve("a/gone.txt")).doesNotExist();
        assertThat(Files.readString(root.resolve("b/new.txt"))).isEqualTo("added over the opaque folder");
        assertThat(root.resolve("b/old.txt")).doesNotExist();
        assertThat(root.resolve("b/deep")).doesNotExist();
        assertThat(Files.readString(root.resolve("c.txt"))).isEqualTo("new");
        try (Stream<Path> all = Files.walk(root)) {
            assertThat(all.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".wh."));
        }
    }

    private static void write(Path file, String text) throws java.io.IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }
}
