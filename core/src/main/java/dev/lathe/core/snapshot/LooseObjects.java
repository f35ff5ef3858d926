package dev.lathe.core.snapshot;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.InflaterInputStream;

/**
 * The loose objects of a snapshot folder, read and written without a git process: blobs and trees in git's own
 * format ({@code "<type> <size>\0<content>"}, SHA-1 named, zlib compressed), so every git command reads them as its
 * own. Only what a small change needs: a tree that is not loose (packed by a quota gc) is reported missing and the
 * caller falls back to git.
 */
final class LooseObjects {
    /** One entry of a tree object: its mode as git writes it ({@code 100644}, {@code 40000}, …), name and object id. */
    record Entry(String mode, String name, String id) {
        boolean isTree() { return mode.equals("40000"); }
    }

    private static final HexFormat HEX = HexFormat.of();
    private final Path objects;

    LooseObjects(Path gitDir) {
        this.objects = gitDir.resolve("objects");
    }

    /** The entries of tree {@code id} in their stored order; empty when it is not a loose tree. */
    Optional<List<Entry>> readTree(String id) throws IOException {
        byte[] raw;
        try (InputStream in = new InflaterInputStream(Files.newInputStream(path(id)))) {
            raw = in.readAllBytes();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        int nul = indexOf(raw, (byte) 0, 0);
        if (nul < 0 || !new String(raw, 0, nul, StandardCharsets.US_ASCII).startsWith("tree ")) return Optional.empty();
        List<Entry> entries = new ArrayList<>();
        for (int at = nul + 1; at < raw.length; ) {
            int space = indexOf(raw, (byte) ' ', at);
            int end = indexOf(raw, (byte) 0, space);
            if (space < 0 || end < 0 || end + 21 > raw.length) throw new IOException("malformed tree " + id);
            entries.add(new Entry(new String(raw, at, space - at, StandardCharsets.US_ASCII),
                    new String(raw, space + 1, end - space - 1, StandardCharsets.UTF_8),
                    HEX.formatHex(raw, end + 1, end + 21)));
            at = end + 21;
        }
        return Optional.of(entries);
    }

    String writeBlob(byte[] content) throws IOException {
        return write("blob", content);
    }

    /** Writes a tree of {@code entries}, which must already be in git's order (as read, with entries replaced or removed). */
    String writeTree(List<Entry> entries) throws IOException {
        var body = new ByteArrayOutputStream();
        for (Entry e : entries) {
            body.write(e.mode().getBytes(StandardCharsets.US_ASCII));
            body.write(' ');
            body.write(e.name().getBytes(StandardCharsets.UTF_8));
            body.write(0);
            body.write(HEX.parseHex(e.id()));
        }
        return write("tree", body.toByteArray());
    }

    private String write(String type, byte[] content) throws IOException {
        byte[] header = (type + " " + content.length + "\0").getBytes(StandardCharsets.US_ASCII);
        String id = HEX.formatHex(sha1(header, content));
        Path target = path(id);
        if (Files.exists(target)) return id;
        Files.createDirectories(target.getParent());
        // written beside and moved into place, as git does: a reader never sees half an object. The prefix is git's
        // own, so a file left by a crash is one git's gc prunes
        Path temp = target.resolveSibling("tmp_obj_" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        var deflater = new Deflater(Deflater.BEST_SPEED);
        try (var out = new DeflaterOutputStream(Files.newOutputStream(temp), deflater)) {
            out.write(header);
            out.write(content);
        } finally {
            deflater.end();
        }
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException e) {
            Files.deleteIfExists(temp);
        }
        return id;
    }

    private Path path(String id) {
        return objects.resolve(id.substring(0, 2)).resolve(id.substring(2));
    }

    private static byte[] sha1(byte[] header, byte[] content) {
        try {
            var digest = MessageDigest.getInstance("SHA-1");
            digest.update(header);
            return digest.digest(content);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int indexOf(byte[] bytes, byte b, int from) {
        if (from < 0) return -1;
        for (int i = from; i < bytes.length; i++) if (bytes[i] == b) return i;
        return -1;
    }
}
