import java.io.BufferedOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * The release's lathe.jar from the build's (bin/release): the same entries in the same order with the same times, less
 * every native library, and stored rather than deflated. Stored, the archive's gzip compresses the
 * classes across entries, which per-entry deflate cannot: the archive is 4.7 MB smaller, and a class the AOT cache
 * lacks is read without inflating it. Deterministic: the same jar in gives the same jar out (decision 447).
 *
 * <p>Usage: {@code java ReleaseJar.java IN OUT LIB...}, LIB this platform's native libraries (entry names), which the
 * launcher loads from the install's lib/ folder (each library's loader looks at the path its property names before the
 * jar): they must be in IN, and are left out of OUT like the other platforms' — a second copy inside the jar was 0.9 MB
 * of the archive. What is left out is only native library files ({@code .so}, {@code .dll}, {@code .dylib},
 * {@code .jnilib}) under the folders that hold them (SQLite's, jline's, tree-sitter's), and the folders left empty by
 * that. Those folders also hold
 * classes (jline's {@code org/jline/nativ/} has the JNI terminal's {@code JLineNativeLoader} and {@code CLibrary}):
 * dropping them once made the release's terminal UI a dumb terminal, 80 columns wide, whose Enter sent nothing.
 */
public final class ReleaseJar {
    private static final List<String> NATIVE_FOLDERS = List.of("org/sqlite/native/", "org/jline/nativ/", "lib/");
    private static final Pattern LIBRARY = Pattern.compile(".*\\.(so|dll|dylib|jnilib)");

    public static void main(String[] args) throws IOException {
        Path in = Path.of(args[0]);
        Path out = Path.of(args[1]);
        List<String> loadedFromLib = List.of(args).subList(2, args.length);
        Set<String> files = new HashSet<>();
        try (var jar = new ZipFile(in.toFile())) {
            for (String lib : loadedFromLib) {
                if (jar.getEntry(lib) == null) throw new IllegalStateException("the jar has no " + lib);
            }
            for (var entries = jar.entries(); entries.hasMoreElements(); ) {
                String name = entries.nextElement().getName();
                if (!name.endsWith("/") && !nativeLibrary(name)) files.add(name);
            }
        }
        try (var jar = new ZipFile(in.toFile());
                var zip = new ZipOutputStream(new BufferedOutputStream(Files.newOutputStream(out)))) {
            for (var entries = jar.entries(); entries.hasMoreElements(); ) {
                ZipEntry from = entries.nextElement();
                if (!wanted(from.getName(), files)) continue;
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
    }

    /** A native library file under one of the folders that hold them: left out. */
    private static boolean nativeLibrary(String name) {
        return NATIVE_FOLDERS.stream().anyMatch(name::startsWith) && LIBRARY.matcher(name).matches();
    }

    /** Every file but the libraries left out; a folder when something stays in it (or it holds no library at all). */
    private static boolean wanted(String name, Set<String> files) {
        if (!name.endsWith("/")) return files.contains(name);
        if (NATIVE_FOLDERS.stream().noneMatch(f -> name.startsWith(f) && name.length() > f.length())) return true;
        return files.stream().anyMatch(f -> f.startsWith(name));
    }
}
