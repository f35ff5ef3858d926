package dev.lathe.app.release;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/**
 * Installs a release into a prefix with the install script this jar carries ({@code release/install.sh}, decision
 * 450): {@code lathe upgrade} and {@code sh install.sh} are one mechanism, so they download, verify, refuse and place a
 * release alike. The script comes from the running jar, never from the network: there is nothing to verify about it.
 */
public final class ScriptInstall {
    /** Where the build puts release/install.sh in the jar. */
    static final String RESOURCE = "/dev/lathe/app/release/install.sh";

    /**
     * What the script said: its exit code and its one line (stdout on success, its error on stderr otherwise, without
     * its {@code lathe install: } prefix).
     */
    public record Outcome(int exitCode, String line) {
        public boolean installed() { return exitCode == 0; }
    }

    private ScriptInstall() {}

    /** The script's text, as this build carries it. */
    public static String script() {
        try (InputStream in = ScriptInstall.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IllegalStateException("this build carries no install script (" + RESOURCE + ")");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Runs {@code sh install.sh --version VERSION --prefix PREFIX} against {@code channel}'s base, in a private temporary
     * folder that is removed afterwards; waits for it.
     */
    public static Outcome run(ReleaseChannel channel, ReleaseVersion version, Path prefix) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("lathe-upgrade", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        try {
            Path script = dir.resolve("install.sh");
            Files.writeString(script, script());
            var builder = new ProcessBuilder(List.of("sh", script.toString(), "--version", version.text(), "--prefix", prefix.toString()));
            builder.environment().put(ReleaseChannel.BASE_VARIABLE, channel.base().toString());
            builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            Process process;
            try {
                process = builder.start();
            } catch (IOException e) {
                return new Outcome(127, "cannot run sh: " + e.getMessage());
            }
            // both streams read at once: a full pipe would stop the script
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> text(process.getErrorStream()), Thread::startVirtualThread);
            String out = text(process.getInputStream());
            int code = process.waitFor();
            String said = code == 0 ? lastLine(out) : lastLine(err.join());
            return new Outcome(code, said.startsWith("lathe install: ") ? said.substring("lathe install: ".length()) : said);
        } finally {
            removeTree(dir);
        }
    }

    private static String text(InputStream in) {
        try (in) {
            // the script prints a line or two; a runaway one is cut, not held whole
            return new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static String lastLine(String text) {
        List<String> lines = text.lines().filter(l -> !l.isBlank()).toList();
        return lines.isEmpty() ? "" : lines.getLast();
    }

    private static void removeTree(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            // a temporary folder left behind holds only the script
        }
    }

}
