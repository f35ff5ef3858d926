import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Keeps app/target's JDK AOT caches true to the jar beside them (decision 539). The JDK 25 here maps a cache whatever
 * became of the jar it was recorded from (a jar with other classes, another size or time: its classes still come from
 * the cache), so the caches are used only when newer than the jar (bin/lathe, the tests' launcher). Every Maven
 * {@code package} rewrites the jar, also one with {@code -DskipAot} that records no caches (bench/crash-loop, the
 * bench's own build): its contents the same, its time newer, and every later start ran without a cache, silently.
 *
 * <p>{@code record JAR STAMP CACHE...}, after the caches were recorded: writes STAMP, what the jar held (a digest of
 * its classes' names, sizes and CRCs: the entries' times change with every build, the classes do not) and its time.
 * {@code keep JAR STAMP CACHE...}, after the jar was written and before caches are recorded: a jar with the recorded
 * contents gets the recorded time back, so the caches stay newer than it; a jar with other contents loses the caches
 * (and STAMP), which would otherwise run the old classes as soon as anything made them look newer.
 *
 * <p>A plain program run by {@code java FILE} from the pom: a build with {@code -Dmaven.test.skip} compiles no test
 * classes, and this must run in every build.
 */
public final class AotCacheStamp {
    private AotCacheStamp() {}

    public static void main(String[] args) throws IOException {
        if (args.length < 3 || !List.of("record", "keep").contains(args[0])) {
            System.err.println("usage: java AotCacheStamp.java record|keep JAR STAMP CACHE...");
            System.exit(2);
        }
        Path jar = Path.of(args[1]);
        Path stamp = Path.of(args[2]);
        List<Path> caches = new ArrayList<>();
        for (int i = 3; i < args.length; i++) caches.add(Path.of(args[i]));
        if (args[0].equals("record")) record(jar, stamp, caches);
        else keep(jar, stamp, caches);
    }

    /** Writes STAMP when at least one cache was recorded for the jar as it is now; removes it otherwise. */
    static void record(Path jar, Path stamp, List<Path> caches) throws IOException {
        FileTime jarTime = Files.getLastModifiedTime(jar);
        boolean any = false;
        for (Path cache : caches) any |= Files.isRegularFile(cache) && Files.getLastModifiedTime(cache).compareTo(jarTime) > 0;
        if (!any) {
            Files.deleteIfExists(stamp);
            return;
        }
        var props = new Properties();
        props.setProperty("contents", contents(jar));
        props.setProperty("modified", Long.toString(jarTime.toMillis()));
        try (var out = Files.newBufferedWriter(stamp, StandardCharsets.UTF_8)) {
            props.store(out, "the lathe.jar the AOT caches beside it were recorded from (app/build/AotCacheStamp.java)");
        }
    }

    static void keep(Path jar, Path stamp, List<Path> caches) throws IOException {
        if (!Files.isRegularFile(stamp) || !Files.isRegularFile(jar)) return;
        var props = new Properties();
        try (var in = Files.newBufferedReader(stamp, StandardCharsets.UTF_8)) {
            props.load(in);
        }
        String recorded = props.getProperty("contents", "");
        long modified;
        try {
            modified = Long.parseLong(props.getProperty("modified", ""));
        } catch (NumberFormatException e) {
            modified = -1;
        }
        if (modified >= 0 && recorded.equals(contents(jar))) {
            if (Files.getLastModifiedTime(jar).toMillis() != modified) {
                Files.setLastModifiedTime(jar, FileTime.fromMillis(modified));
                System.out.println("AOT caches kept: " + jar.getFileName() + " was written again with the contents they were recorded from");
            }
            return;
        }
        boolean removed = false;
        for (Path cache : caches) removed |= Files.deleteIfExists(cache);
        Files.delete(stamp);
        if (removed) System.out.println("AOT caches removed: they were recorded from another " + jar.getFileName() + " (a package without -DskipAot records them again)");
    }

    /**
     * SHA-256 over each class's name, size and CRC-32 in the jar's order: what a cache holds. Resources are read from the
     * jar at run time whatever the cache (the build's commit in {@code build.properties} changes with every commit).
     */
    static String contents(Path jar) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (var zip = new ZipFile(jar.toFile())) {
            for (var entries = zip.entries(); entries.hasMoreElements(); ) {
                ZipEntry e = entries.nextElement();
                if (!e.getName().endsWith(".class")) continue;
                digest.update((e.getName() + '\0' + e.getSize() + '\0' + Long.toHexString(e.getCrc()) + '\n').getBytes(StandardCharsets.UTF_8));
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
