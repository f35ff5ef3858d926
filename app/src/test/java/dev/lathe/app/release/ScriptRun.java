package dev.lathe.app.release;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs the install script this build carries with real {@code sh}, in a folder of its own: a fake {@code uname} saying
 * Linux x86_64 first on {@code PATH} (so the archives are linux-x64 on any machine), its own {@code HOME} and
 * {@code TMPDIR}.
 */
public final class ScriptRun {
    public record Result(int exit, String out, String err) {
        public List<String> outLines() { return out.lines().toList(); }
        public List<String> errLines() { return err.lines().toList(); }
    }

    public final Path root;
    public final Path script;
    public final Path fakeBin;
    public final Path tmp;
    public final Path home;
    public final Map<String, String> env = new HashMap<>();
    /** The command line in front of {@code sh} ({@code setpriv …} to run as another user). */
    public List<String> runAs = List.of();

    public ScriptRun(Path root, String base) throws IOException {
        this.root = root;
        // readable by every user: the unwritable-prefix test runs the script as nobody when the tests run as root
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
        script = Files.writeString(Files.createDirectories(root.resolve("script")).resolve("install.sh"), ScriptInstall.script());
        fakeBin = Files.createDirectories(root.resolve("fake-bin"));
        uname("Linux", "x86_64");
        tmp = Files.createDirectories(root.resolve("tmp"));
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxrwxrwx"));
        home = Files.createDirectories(root.resolve("home"));
        env.put("PATH", fakeBin + ":" + System.getenv("PATH"));
        env.put("HOME", home.toString());
        env.put("TMPDIR", tmp.toString());
        env.put("LATHE_DOWNLOAD_URL", base);
    }

    /** A fake {@code uname} answering {@code -s} and {@code -m} so. */
    public void uname(String system, String machine) throws IOException {
        Path uname = fakeBin.resolve("uname");
        Files.writeString(uname, "#!/bin/sh\ncase \"$1\" in -s) echo '" + system + "' ;; -m) echo '" + machine + "' ;; *) echo '" + system + "' ;; esac\n");
        Files.setPosixFilePermissions(uname, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    public Result install(String... args) throws IOException, InterruptedException {
        var command = new ArrayList<>(runAs);
        command.add("sh");
        command.add(script.toString());
        command.addAll(List.of(args));
        var builder = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().clear();
        builder.environment().putAll(env);
        Process p = builder.start();
        var err = new String[1];
        Thread reader = Thread.startVirtualThread(() -> err[0] = read(p.getErrorStream()));
        String out = read(p.getInputStream());
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("install.sh did not end within 60 s");
        }
        reader.join();
        return new Result(p.exitValue(), out, err[0]);
    }

    private static String read(java.io.InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every path under {@code dir} with its kind and content (a link's target, a file's hash and mode): what "unchanged" compares. */
    public static Map<String, String> snapshot(Path dir) throws IOException {
        var all = new TreeMap<String, String>();
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) return all;
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.toList()) {
                String kind;
                if (Files.isSymbolicLink(p)) kind = "link -> " + Files.readSymbolicLink(p);
                else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) kind = "folder";
                else kind = "file " + ReleaseServer.sha256(Files.readAllBytes(p)) + " " + PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
                all.put(dir.relativize(p).toString(), kind);
            }
        }
        return all;
    }

    /** Whether this JVM runs as root (who may write any folder, whatever its mode). */
    public static boolean root() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("id", "-u").start();
        String uid = read(p.getInputStream()).strip();
        p.waitFor();
        return uid.equals("0");
    }
}
