package dev.lathe.app;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.ZipFile;

/**
 * JVM options that make the many server starts of a crash loop cheaper, as {@code bin/lathe} does for users: SQLite's
 * native library extracted once instead of on every start, C1 only (each server lives a few seconds), and a JDK AOT
 * cache recorded from {@code lathe serve} itself ({@link ServeAotCache}).
 */
final class ServeFlags {
    private ServeFlags() {}

    static Path jar() { return Path.of(System.getProperty("lathe.jar", "target/lathe.jar")).toAbsolutePath(); }

    /** The options every server of the loop gets, the AOT cache aside. */
    static List<String> base(Path workDir) {
        List<String> flags = new ArrayList<>(List.of("-XX:TieredStopAtLevel=1"));
        nativeLibrary(jar(), workDir.resolve("native")).ifPresent(dir ->
                flags.addAll(List.of("-Dorg.sqlite.lib.path=" + dir, "-Dorg.sqlite.lib.name=libsqlitejdbc.so")));
        return flags;
    }

    /** Options that start the JVM from {@code cache}. */
    static List<String> useCache(Path cache) { return List.of("-XX:AOTCache=" + cache, "-Xlog:aot=off", "-Xlog:cds=off"); }

    /** Whether {@code file} exists and was written after the jar (a cache older than its jar is refused by the JVM, at best). */
    static boolean isFresh(Path file) {
        try {
            return Files.isRegularFile(file) && Files.getLastModifiedTime(file).compareTo(Files.getLastModifiedTime(jar())) > 0;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The terminal UI's terminal as {@code bin/lathe} gives it (decision 351): jline's JNI provider with its library
     * extracted once into {@code dir}; none (jline's default, FFM) where the jar has no library for this machine.
     */
    static List<String> terminalProvider(Path dir) {
        String arch = switch (System.getProperty("os.arch")) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64" -> "arm64";
            default -> "";
        };
        if (arch.isEmpty() || !System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("linux")) return List.of();
        return extracted(jar(), dir, "org/jline/nativ/Linux/" + arch + "/libjlinenative.so", "libjlinenative.so")
                .map(d -> List.of("-Dorg.jline.terminal.provider=jni", "-Dlibrary.jline.path=" + d, "-Dlibrary.jline.name=libjlinenative.so"))
                .orElse(List.of());
    }

    /** SQLite's native library as {@code bin/lathe} gives it: extracted once into {@code dir}, none where the jar has none for this machine. */
    static List<String> sqliteLibrary(Path dir) {
        return nativeLibrary(jar(), dir).map(d -> List.of("-Dorg.sqlite.lib.path=" + d, "-Dorg.sqlite.lib.name=libsqlitejdbc.so", "-Dorg.sqlite.tmpdir=" + d))
                .orElse(List.of());
    }

    /**
     * tree-sitter's libraries as {@code bin/lathe} gives them (decision 548): extracted once into {@code dir}/lib, so no
     * test process leaves a copy of both in /tmp; none where the jar has none for this machine.
     */
    static List<String> treeSitterLibraries(Path dir) {
        String arch = switch (System.getProperty("os.arch")) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64" -> "aarch64";
            default -> "";
        };
        if (arch.isEmpty() || !System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("linux")) return List.of();
        boolean both = true;
        for (String name : List.of(arch + "-linux-gnu-tree-sitter.so", arch + "-linux-gnu-tree-sitter-bash.so")) {
            both &= extracted(jar(), dir.resolve("lib"), "lib/" + name, name).isPresent();
        }
        return both ? List.of("-Dtree-sitter-lib=" + dir) : List.of();
    }

    private static Optional<Path> nativeLibrary(Path jar, Path dir) {
        String arch = switch (System.getProperty("os.arch")) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64" -> "aarch64";
            default -> "";
        };
        if (arch.isEmpty() || !System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("linux")) return Optional.empty();
        return extracted(jar, dir, "org/sqlite/native/Linux/" + arch + "/libsqlitejdbc.so", "libsqlitejdbc.so");
    }

    /** {@code dir}, holding the jar's {@code entry} as {@code name} (extracted when missing or older than the jar). */
    private static Optional<Path> extracted(Path jar, Path dir, String entryName, String name) {
        Path lib = dir.resolve(name);
        if (isFresh(lib)) return Optional.of(dir);
        try (var zip = new ZipFile(jar.toFile())) {
            var entry = zip.getEntry(entryName);
            if (entry == null) return Optional.empty();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, "lib", ".tmp");
            try (InputStream in = zip.getInputStream(entry)) {
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            }
            Files.move(tmp, lib, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return Optional.of(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract " + entryName + " from " + jar, e);
        }
    }
}
