import java.io.BufferedOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * The release's lathe.jar from the build's (bin/release): the same entries in the same order with the same times, less
 * the native libraries of other platforms, and stored rather than deflated. Stored, the archive's gzip compresses the
 * classes across entries, which per-entry deflate cannot: the archive is 4.7 MB smaller, and a class the AOT cache
 * lacks is read without inflating it. Deterministic: the same jar in gives the same jar out (decision 447).
 *
 * <p>Usage: {@code java ReleaseJar.java IN OUT KEEP...}, KEEP the native libraries to keep (entry names). Every entry
 * under a folder that holds native libraries (SQLite's, jline's, tree-sitter's) and not kept, nor a folder above a kept
 * one, is left out.
 */
public final class ReleaseJar {
    private static final List<String> NATIVE_FOLDERS = List.of("org/sqlite/native/", "org/jline/nativ/", "lib/");

    public static void main(String[] args) throws IOException {
        Path in = Path.of(args[0]);
        Path out = Path.of(args[1]);
        List<String> keep = List.of(args).subList(2, args.length);
        try (var jar = new ZipFile(in.toFile());
                var zip = new ZipOutputStream(new BufferedOutputStream(Files.newOutputStream(out)))) {
            for (var entries = jar.entries(); entries.hasMoreElements(); ) {
                ZipEntry from = entries.nextElement();
                if (!wanted(from.getName(), keep)) continue;
                byte[] data = jar.getInputStream(from).readAllBytes();
                var to = new ZipEntry(from.getName());
                to.setMethod(ZipEntry.STORED);
                to.setTime(from.getTime());
                to.setSize(data.length);
                to.setCompressedSize(data.length);
                var crc = new CRC32();
                crc.update(data);
                to.setCrc(crc.getValue());
                zip.putNextEntry(to);
                zip.write(data);
                zip.closeEntry();
            }
        }
        for (String lib : keep) {
            try (var jar = new ZipFile(out.toFile())) {
                if (jar.getEntry(lib) == null) throw new IllegalStateException("the jar has no " + lib);
            }
        }
    }

    private static boolean wanted(String name, List<String> keep) {
        if (NATIVE_FOLDERS.stream().noneMatch(f -> name.startsWith(f) && name.length() > f.length())) return true;
        return keep.stream().anyMatch(k -> k.equals(name) || (name.endsWith("/") && k.startsWith(name)));
    }
}
