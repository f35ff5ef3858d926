package dev.lathe.app;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An OCI image layout tarball (release/oci-image's {@code lathe-VERSION.tar}) read as a runtime reads it: index,
 * manifest and config by their digests, every blob checked against its name and size, each layer's uncompressed
 * digest against the config's {@code diff_ids}, and the layers unpacked in order with their whiteouts honoured. The
 * tarballs themselves are read by GNU tar (the JDK has no tar reader).
 */
record OciImage(Path layout, JsonNode index, JsonNode manifest, JsonNode config) {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String WHITEOUT = ".wh.";
    private static final String OPAQUE = ".wh..wh..opq";

    /** Unpacks {@code tarball} into {@code into} and checks every digest on the way from index.json to the layers. */
    static OciImage open(Path tarball, Path into) throws IOException, InterruptedException {
        Files.createDirectories(into);
        tar("-xf", tarball.toString(), "-C", into.toString());
        var index = JSON.readTree(into.resolve("index.json").toFile());
        if (index.path("manifests").size() != 1) throw new AssertionError("index.json should list one manifest: " + index);
        var manifest = JSON.readTree(blob(into, index.path("manifests").get(0)));
        var config = JSON.readTree(blob(into, manifest.path("config")));
        var image = new OciImage(into, index, manifest, config);
        var diffIds = config.path("rootfs").path("diff_ids");
        var layers = image.layers();
        if (diffIds.size() != layers.size()) throw new AssertionError(layers.size() + " layers but " + diffIds.size() + " diff_ids");
        for (int i = 0; i < layers.size(); i++) {
            blob(into, manifest.path("layers").get(i));
            String uncompressed = "sha256:" + sha256(new GZIPInputStream(Files.newInputStream(layers.get(i))));
            if (!uncompressed.equals(diffIds.get(i).asString())) {
                throw new AssertionError("layer " + i + " unpacks to " + uncompressed + ", the config says " + diffIds.get(i).asString());
            }
        }
        return image;
    }

    /** The gzip-compressed layer files, lowest first. */
    List<Path> layers() {
        var out = new ArrayList<Path>();
        for (var layer : manifest.path("layers")) out.add(blobPath(layout, layer.path("digest").asString()));
        return out;
    }

    /**
     * Unpacks the layers in order into {@code root} as a container runtime does: a {@code .wh.NAME} entry removes NAME
     * of the layers below and {@code .wh..wh..opq} empties its folder of them, both before the layer's own entries land.
     * Owners and modes are kept (run as root).
     */
    void unpack(Path root) throws IOException, InterruptedException {
        Files.createDirectories(root);
        for (Path layer : layers()) {
            for (String entry : tar("-tzf", layer.toString()).lines().toList()) {
                String name = entry.startsWith("./") ? entry.substring(2) : entry;
                Path path = root.resolve(name).normalize();
                if (!path.startsWith(root)) throw new AssertionError("layer entry outside the root: " + entry);
                String file = path.getFileName() == null ? "" : path.getFileName().toString();
                if (file.equals(OPAQUE)) {
                    if (!Files.isDirectory(path.getParent(), LinkOption.NOFOLLOW_LINKS)) continue;
                    try (Stream<Path> below = Files.list(path.getParent())) {
                        for (Path p : below.toList()) deleteTree(p);
                    }
                } else if (file.startsWith(WHITEOUT)) {
                    deleteTree(path.resolveSibling(file.substring(WHITEOUT.length())));
                }
            }
            tar("-xzpf", layer.toString(), "-C", root.toString(), "--same-owner", "--numeric-owner", "--exclude=.wh.*", "--exclude=*/.wh.*");
        }
    }

    /** A string field of the image config's {@code config} object, e.g. {@code User}. */
    String setting(String name) {
        return config.path("config").path(name).asString("");
    }

    /** An array field of the image config's {@code config} object, e.g. {@code Entrypoint}. */
    List<String> list(String name) {
        var out = new ArrayList<String>();
        for (var s : config.path("config").path(name)) out.add(s.asString());
        return out;
    }

    private static Path blobPath(Path layout, String digest) {
        if (!digest.matches("sha256:[0-9a-f]{64}")) throw new AssertionError("not a sha256 digest: " + digest);
        return layout.resolve("blobs/sha256").resolve(digest.substring("sha256:".length()));
    }

    /** The blob a descriptor names, after checking its size and digest. */
    private static byte[] blob(Path layout, JsonNode descriptor) throws IOException {
        String digest = descriptor.path("digest").asString();
        Path path = blobPath(layout, digest);
        long size = Files.size(path);
        if (size != descriptor.path("size").asLong(-1)) throw new AssertionError(digest + " is " + size + " bytes, its descriptor says " + descriptor.path("size"));
        try (var in = Files.newInputStream(path)) {
            if (!("sha256:" + sha256(in)).equals(digest)) throw new AssertionError("blob " + digest + " does not hash to its name");
        }
        return size < 1 << 20 ? Files.readAllBytes(path) : new byte[0];
    }

    static String sha256(InputStream in) throws IOException {
        try (var digesting = new DigestInputStream(in, MessageDigest.getInstance("SHA-256"))) {
            digesting.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(digesting.getMessageDigest().digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteTree(Path path) throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) return;
        if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            try (Stream<Path> all = Files.walk(path)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
            }
        } else {
            Files.delete(path);
        }
    }

    private static String tar(String... args) throws IOException, InterruptedException {
        var cmd = new ArrayList<String>();
        cmd.add("tar");
        cmd.addAll(List.of(args));
        var process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) throw new AssertionError(String.join(" ", cmd) + " failed: " + out);
        return out;
    }
}
