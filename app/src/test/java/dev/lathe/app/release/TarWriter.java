package dev.lathe.app.release;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * A .tar.gz made entry by entry (ustar headers), so a test can put in what no well-behaved tar writes: a {@code ..}
 * entry, an absolute name, a link pointing out. Release-shaped archives are made with it too.
 */
public final class TarWriter {
    private record Entry(String name, char type, int mode, byte[] body, String linkTarget, int uid) {
        Entry(String name, char type, int mode, byte[] body, String linkTarget) { this(name, type, mode, body, linkTarget, 0); }
    }

    private final List<Entry> entries = new ArrayList<>();

    public TarWriter folder(String name) { return add(new Entry(name.endsWith("/") ? name : name + "/", '5', 0755, new byte[0], "")); }

    public TarWriter file(String name, String text) { return file(name, text, 0644); }

    public TarWriter file(String name, String text, int mode) { return add(new Entry(name, '0', mode, text.getBytes(StandardCharsets.UTF_8), "")); }

    /** A file the archive says belongs to user {@code uid}, with {@code mode} as given (set-user-id bits included). */
    public TarWriter fileOwnedBy(String name, String text, int mode, int uid) {
        return add(new Entry(name, '0', mode, text.getBytes(StandardCharsets.UTF_8), "", uid));
    }

    public TarWriter symlink(String name, String target) { return add(new Entry(name, '2', 0777, new byte[0], target)); }

    public TarWriter hardLink(String name, String target) { return add(new Entry(name, '1', 0644, new byte[0], target)); }

    private TarWriter add(Entry e) {
        entries.add(e);
        return this;
    }

    /** A release's archive: {@code lathe-V/} with {@code bin/lathe} printing {@code lathe V}, {@code runtime/}, {@code lib/}, {@code LICENSE}. */
    public static TarWriter release(String version) {
        String top = "lathe-" + version + "/";
        return new TarWriter().folder(top).folder(top + "bin").file(top + "bin/lathe", "#!/bin/sh\necho \"lathe " + version + "\"\n", 0755)
                .folder(top + "runtime").file(top + "runtime/release", "JAVA_VERSION=\"25\"\n").folder(top + "lib")
                .file(top + "lib/lathe.jar", "not a real jar " + version + "\n").file(top + "LICENSE", "MIT\n");
    }

    public byte[] gzipped() {
        var bytes = new ByteArrayOutputStream();
        try (var gz = new GZIPOutputStream(bytes)) {
            for (Entry e : entries) {
                gz.write(header(e));
                gz.write(e.body());
                int pad = (512 - e.body().length % 512) % 512;
                gz.write(new byte[pad]);
            }
            gz.write(new byte[1024]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static byte[] header(Entry e) {
        byte[] h = new byte[512];
        put(h, 0, 100, e.name());
        put(h, 100, 8, octal(e.mode(), 7));
        put(h, 108, 8, octal(e.uid(), 7));
        put(h, 116, 8, octal(e.uid(), 7));
        put(h, 124, 12, octal(e.body().length, 11));
        put(h, 136, 12, octal(1_700_000_000L, 11));
        h[156] = (byte) e.type();
        put(h, 157, 100, e.linkTarget());
        put(h, 257, 6, "ustar");
        put(h, 263, 2, "00");
        put(h, 265, 32, "lathe");
        put(h, 297, 32, "lathe");
        for (int i = 148; i < 156; i++) h[i] = ' ';
        long sum = 0;
        for (byte b : h) sum += b & 0xff;
        put(h, 148, 8, octal(sum, 6) + "\0 ");
        return h;
    }

    private static String octal(long value, int digits) {
        return String.format("%0" + digits + "o", value);
    }

    private static void put(byte[] h, int at, int length, String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        if (b.length > length) throw new IllegalArgumentException("too long for a ustar field: " + text);
        System.arraycopy(b, 0, h, at, b.length);
    }
}
