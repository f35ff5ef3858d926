package dev.lathe.app.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * release/install.sh as a user runs it (DESIGN §18 "Releases", decision 450): real {@code sh}, real curl or wget, a
 * release site on loopback. Each refusal exits non-zero with one line naming its cause, leaves the prefix exactly as it
 * was (an earlier install and its link included) and leaves nothing in the temporary folder.
 */
class InstallScriptTest {
    @TempDir Path dir;
    private ReleaseServer site;
    private ScriptRun run;
    /** Where 1.1.0 is installed before each test: a refusal must leave it and its link as they were. */
    private Path prefix;
    private Map<String, String> before;
    /** A prefix that does not exist yet. */
    private Path fresh;

    @BeforeEach
    void site() throws Exception {
        site = new ReleaseServer().publish("1.1.0").publish("1.2.0").latest("1.2.0");
        run = new ScriptRun(dir, site.base());
        prefix = dir.resolve("prefix");
        fresh = dir.resolve("fresh");
        var earlier = run.install("--version", "1.1.0", "--prefix", prefix.toString());
        assertThat(earlier.exit()).as(earlier.err()).isZero();
        before = ScriptRun.snapshot(prefix);
        site.requests.clear();
    }

    @AfterEach
    void stop() { site.close(); }

    @Test
    void installsTheLatestReleaseLinksItAndSaysSoInOneLine() throws Exception {
        Path prefix = fresh;
        var result = run.install("--prefix", prefix.toString());

        assertThat(result.exit()).as(result.err()).isZero();
        assertThat(result.err()).isEmpty();
        Path home = prefix.resolve("lib/lathe/1.2.0");
        assertThat(result.outLines()).containsExactly("lathe 1.2.0 installed in " + home + "; add " + prefix.resolve("bin")
                + " to your PATH: export PATH=\"" + prefix.resolve("bin") + ":$PATH\"");
        assertThat(Files.readSymbolicLink(prefix.resolve("bin/lathe"))).isEqualTo(home.resolve("bin/lathe"));
        assertThat(output(prefix.resolve("bin/lathe"))).isEqualTo("lathe 1.2.0\n");
        assertThat(home.resolve("LICENSE")).hasContent("MIT");
        assertThat(home.resolve("runtime/release")).exists();
        assertThat(home.resolve("lib/lathe.jar")).exists();
        // the installed files are read-only; nothing but the version's folder and the link was made
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("LICENSE")))).isEqualTo("r--r--r--");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("bin/lathe")))).isEqualTo("r-xr-xr-x");
        assertThat(names(prefix.resolve("lib/lathe"))).containsExactly("1.2.0");
        assertThat(names(prefix.resolve("bin"))).containsExactly("lathe");
        assertThat(names(run.tmp)).isEmpty();
        assertThat(site.requests).containsExactly("/latest/VERSION", "/1.2.0/SHA256SUMS", "/1.2.0/" + ReleaseServer.archiveName("1.2.0"));
    }

    @Test
    void aPrefixOnThePathGetsNoHintAndTheSameVersionAgainEndsTheSame() throws Exception {
        Path prefix = fresh;
        run.env.put("PATH", prefix.resolve("bin") + ":" + run.env.get("PATH"));
        var first = run.install("--version", "1.1.0", "--prefix", prefix.toString());
        var installed = ScriptRun.snapshot(prefix);

        var again = run.install("--version", "1.1.0", "--prefix", prefix.toString());

        assertThat(first.exit()).as(first.err()).isZero();
        assertThat(again.exit()).as(again.err()).isZero();
        assertThat(again.outLines()).containsExactly("lathe 1.1.0 installed in " + prefix.resolve("lib/lathe/1.1.0") + " (" + prefix.resolve("bin/lathe") + ")");
        assertThat(ScriptRun.snapshot(prefix)).isEqualTo(installed);
        assertThat(names(prefix.resolve("lib/lathe"))).containsExactly("1.1.0");
    }

    @Test
    void aNewerVersionGoesBesideTheOldOneAndTheLinkMovesToIt() throws Exception {
        var result = run.install("--prefix", prefix.toString());

        assertThat(result.exit()).as(result.err()).isZero();
        assertThat(Files.readSymbolicLink(prefix.resolve("bin/lathe"))).isEqualTo(prefix.resolve("lib/lathe/1.2.0/bin/lathe"));
        assertThat(output(prefix.resolve("bin/lathe"))).isEqualTo("lathe 1.2.0\n");
        assertThat(names(prefix.resolve("lib/lathe"))).containsExactlyInAnyOrder("1.1.0", "1.2.0");
    }

    @Test
    void theArchivesOwnersAndSetUserIdBitsAreNotKept() throws Exception {
        site.publish("1.2.0", TarWriter.release("1.2.0").fileOwnedBy("lathe-1.2.0/lib/helper", "#!/bin/sh\n", 06755, 4242).gzipped());

        var result = run.install("--prefix", fresh.toString());

        assertThat(result.exit()).as(result.err()).isZero();
        Path helper = fresh.resolve("lib/lathe/1.2.0/lib/helper");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(helper))).isEqualTo("r-xr-xr-x");
        assertThat(Files.getAttribute(helper, "unix:mode")).isEqualTo(0100555);
        assertThat(Files.getAttribute(helper, "unix:uid")).isEqualTo(Files.getAttribute(dir, "unix:uid"));
    }

    @Test
    void wgetDoesWhatCurlDoesWhenCurlIsMissing() throws Exception {
        assumeThat(which("wget")).as("wget installed").isNotNull();
        run.env.put("PATH", run.fakeBin + ":" + toolbox(true));

        var result = run.install("--prefix", fresh.toString());
        var unknown = run.install("--version", "9.9.9", "--prefix", prefix.toString());

        assertThat(result.exit()).as(result.err()).isZero();
        assertThat(output(fresh.resolve("bin/lathe"))).isEqualTo("lathe 1.2.0\n");
        refused(unknown, "lathe install: unknown version 9.9.9: there is no release at " + site.base() + "/9.9.9/");
        site.cutShort("/1.2.0/" + ReleaseServer.archiveName("1.2.0"));
        refused(run.install("--prefix", prefix.toString()), "lathe install: the download of " + ReleaseServer.archiveName("1.2.0") + " from " + site.base()
                + "/1.2.0/" + ReleaseServer.archiveName("1.2.0") + " was cut short (truncated)");
    }

    // --- each refusal: one line, non-zero, the prefix as it was (an earlier install and its link), nothing left in TMPDIR

    @Test
    void aChecksumMismatchIsRefused() throws Exception {
        site.put("/1.2.0/SHA256SUMS", ("0".repeat(64) + "  " + ReleaseServer.archiveName("1.2.0") + "\n").getBytes(StandardCharsets.UTF_8));

        refused(run.install("--prefix", prefix.toString()), "lathe install: checksum mismatch for " + ReleaseServer.archiveName("1.2.0") + " (expected "
                + "0".repeat(64) + ", got ");
    }

    @Test
    void aTruncatedDownloadIsRefused() throws Exception {
        site.cutShort("/1.2.0/" + ReleaseServer.archiveName("1.2.0"));

        refused(run.install("--prefix", prefix.toString()), "lathe install: the download of " + ReleaseServer.archiveName("1.2.0") + " from " + site.base()
                + "/1.2.0/" + ReleaseServer.archiveName("1.2.0") + " was cut short (truncated)");
    }

    @Test
    void anUnknownVersionIsRefused() throws Exception {
        refused(run.install("--version", "9.9.9", "--prefix", prefix.toString()),
                "lathe install: unknown version 9.9.9: there is no release at " + site.base() + "/9.9.9/");
    }

    @Test
    void aVersionThatIsNoVersionIsRefusedBeforeAnyRequest() throws Exception {
        refused(run.install("--version", "../../etc", "--prefix", prefix.toString()), "lathe install: not a version: '../../etc'");
        assertThat(site.requests).isEmpty();
    }

    @Test
    void anUnknownPlatformIsRefused() throws Exception {
        run.uname("SunOS", "sparc64");

        refused(run.install("--prefix", prefix.toString()), "lathe install: unsupported platform SunOS/sparc64 (releases are built for linux-x64,");
    }

    @Test
    void aReleaseWithoutThisPlatformIsRefused() throws Exception {
        run.uname("Darwin", "x86_64");

        refused(run.install("--prefix", prefix.toString()), "lathe install: release 1.2.0 has no archive for darwin-x64 (not in its SHA256SUMS)");
    }

    @Test
    void aPrefixThatIsNotWritableIsRefused() throws Exception {
        Path locked = Files.createDirectories(dir.resolve("locked"));
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("r-xr-xr-x"));
        // root writes any folder whatever its mode: the script then runs as nobody, as a user without the right would
        if (ScriptRun.root()) run.runAs = List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups");

        var result = run.install("--prefix", locked.resolve("p").toString());

        assertThat(result.exit()).isNotZero();
        assertThat(result.errLines()).containsExactly("lathe install: cannot install into " + locked.resolve("p") + ": " + locked
                + " is not writable (choose another --prefix, e.g. --prefix ~/.local)");
        assertThat(names(locked)).isEmpty();
        assertThat(names(run.tmp)).isEmpty();
    }

    /**
     * Issue 79: a prefix other users may write (a folder open to all, or writable by a group that is not the user's
     * own) is refused before any request, and installed into only with --allow-shared-prefix.
     */
    @Test
    void aPrefixOthersMayWriteIsRefusedBeforeAnyRequestUnlessAllowed() throws Exception {
        Path shared = Files.createDirectories(dir.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));

        var open = run.install("--prefix", shared.resolve("p").toString());

        refused(open, "lathe install: refusing to install into " + shared.resolve("p") + ": " + shared + " is writable by every user,");
        assertThat(open.errLines().getFirst()).contains("--allow-shared-prefix");
        assertThat(names(shared)).isEmpty();
        assertThat(site.requests).isEmpty();

        if (ScriptRun.root()) {
            // a group that is not the user's own (only root may give a folder to another group)
            Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxr-x"));
            var group = shared.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName("nogroup");
            Files.getFileAttributeView(shared, java.nio.file.attribute.PosixFileAttributeView.class).setGroup(group);
            refused(run.install("--prefix", shared.resolve("p").toString()),
                    "lathe install: refusing to install into " + shared.resolve("p") + ": " + shared + " is writable by the group nogroup,");
            assertThat(site.requests).isEmpty();
        }

        var allowed = run.install("--allow-shared-prefix", "--prefix", shared.resolve("p").toString());
        assertThat(allowed.exit()).as(allowed.err()).isZero();
        assertThat(shared.resolve("p/bin/lathe")).exists();
    }

    /**
     * Issue 79: plain http to a site that is not on loopback (here this machine's other address, so the site can count
     * what it is asked) is refused before any request; --allow-http is the explicit opt-in. A URL whose host only
     * looks like loopback (a name starting with 127., a user name 127.0.0.1@) is no exception.
     */
    @Test
    void plainHttpToAnotherMachineIsRefusedBeforeAnyRequestUnlessAllowed() throws Exception {
        var address = ReleaseServer.notLoopback();
        org.junit.jupiter.api.Assumptions.assumeTrue(address.isPresent(), "this machine has an address that is not loopback");
        try (var remote = new ReleaseServer(address.get()).publish("1.2.0").latest("1.2.0")) {
            run.env.put("LATHE_DOWNLOAD_URL", remote.base());
            refused(run.install("--prefix", fresh.toString()), "lathe install: refusing " + remote.base()
                    + ": plain http to another machine, where the archive and its checksum can both be changed on the way; use https, or pass --allow-http");
            String hidden = "http://127.0.0.1@" + remote.base().substring("http://".length());
            run.env.put("LATHE_DOWNLOAD_URL", hidden);
            refused(run.install("--prefix", fresh.toString()), "lathe install: refusing " + hidden + ": a user name or backslash in the site's URL hides its host");
            run.env.put("LATHE_DOWNLOAD_URL", "http://127.evil.invalid:8080");
            refused(run.install("--prefix", fresh.toString()), "lathe install: refusing http://127.evil.invalid:8080: plain http to another machine");
            assertThat(remote.requests).isEmpty();
            assertThat(names(fresh)).isEmpty();

            run.env.put("LATHE_DOWNLOAD_URL", remote.base());
            var allowed = run.install("--allow-http", "--prefix", fresh.toString());
            assertThat(allowed.exit()).as(allowed.err()).isZero();
            assertThat(remote.requests).contains("/latest/VERSION");
        }
    }

    @Test
    void anArchiveWithADotDotEntryIsRefused() throws Exception {
        site.publish("1.2.0", TarWriter.release("1.2.0").file("lathe-1.2.0/../../escaped", "x").gzipped());

        refused(run.install("--prefix", prefix.toString()), "lathe install: refusing " + ReleaseServer.archiveName("1.2.0")
                + ": it holds a \"..\" entry: lathe-1.2.0/../../escaped");
        assertThat(dir.resolve("escaped")).doesNotExist();
    }

    @Test
    void anArchiveWithASymlinkOutIsRefused() throws Exception {
        site.publish("1.2.0", TarWriter.release("1.2.0").symlink("lathe-1.2.0/lib/evil", "/etc").gzipped());

        refused(run.install("--prefix", prefix.toString()), "lathe install: refusing " + ReleaseServer.archiveName("1.2.0") + ": it holds a link or special file: l");
    }

    @Test
    void anArchiveWithAHardLinkIsRefused() throws Exception {
        site.publish("1.2.0", TarWriter.release("1.2.0").hardLink("lathe-1.2.0/lib/passwd", "/etc/passwd").gzipped());

        refused(run.install("--prefix", prefix.toString()), "lathe install: refusing " + ReleaseServer.archiveName("1.2.0") + ": it holds a link or special file: h");
    }

    @Test
    void anArchiveWithAnEntryOutsideItsFolderIsRefused() throws Exception {
        site.publish("1.2.0", TarWriter.release("1.2.0").file("/tmp/lathe-absolute", "x").gzipped());
        refused(run.install("--prefix", prefix.toString()), "lathe install: refusing " + ReleaseServer.archiveName("1.2.0")
                + ": it holds an entry outside lathe-1.2.0/: /tmp/lathe-absolute");

        site.publish("1.2.0", TarWriter.release("1.2.0").file("lathe-1.3.0/bin/lathe", "x").gzipped());
        refused(run.install("--prefix", prefix.toString()), "lathe install: refusing " + ReleaseServer.archiveName("1.2.0")
                + ": it holds an entry outside lathe-1.2.0/: lathe-1.3.0/bin/lathe");
    }

    @Test
    void noCurlAndNoWgetIsRefused() throws Exception {
        run.env.put("PATH", run.fakeBin + ":" + toolbox(false));

        refused(run.install("--prefix", prefix.toString()), "lathe install: neither curl nor wget is installed; install one of them and run this again");
        assertThat(site.requests).isEmpty();
    }

    @Test
    void aFreshPrefixIsNotLeftHalfMadeWhenTheInstallFails() throws Exception {
        site.put("/1.2.0/SHA256SUMS", ("0".repeat(64) + "  " + ReleaseServer.archiveName("1.2.0") + "\n").getBytes(StandardCharsets.UTF_8));

        var result = run.install("--prefix", fresh.toString());

        assertThat(result.exit()).isNotZero();
        assertThat(fresh).doesNotExist();
        assertThat(names(run.tmp)).isEmpty();
    }

    /** Non-zero, one line on stderr that starts so, nothing on stdout, the prefix as it was, nothing left in TMPDIR. */
    private void refused(ScriptRun.Result result, String lineStart) throws Exception {
        assertThat(result.exit()).as(result.err()).isNotZero();
        assertThat(result.errLines()).hasSize(1);
        assertThat(result.errLines().getFirst()).startsWith(lineStart);
        assertThat(result.out()).isEmpty();
        assertThat(ScriptRun.snapshot(prefix)).isEqualTo(before);
        assertThat(Files.readSymbolicLink(prefix.resolve("bin/lathe"))).isEqualTo(prefix.resolve("lib/lathe/1.1.0/bin/lathe"));
        assertThat(names(run.tmp)).isEmpty();
    }

    private static List<String> names(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) return List.of();
        try (var list = Files.list(folder)) {
            return list.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static String output(Path program) throws Exception {
        Process p = new ProcessBuilder(program.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }

    private static String which(String tool) {
        for (String d : System.getenv("PATH").split(":")) {
            if (Files.isExecutable(Path.of(d, tool))) return Path.of(d, tool).toString();
        }
        return null;
    }

    /** A folder of links to the tools the script uses, curl never, wget only when asked. */
    private Path toolbox(boolean withWget) throws IOException {
        Path box = Files.createDirectories(dir.resolve(withWget ? "toolbox-wget" : "toolbox"));
        for (String tool : List.of("sh", "dash", "sha256sum", "shasum", "tar", "gzip", "awk", "sed", "grep", "head", "tail", "cut", "tr", "dirname",
                "rm", "mkdir", "mv", "ln", "chmod", "find", "ls", "cat", "rmdir", "mktemp", "pwd", "xargs", "wget")) {
            if (tool.equals("wget") && !withWget) continue;
            String at = which(tool);
            // a script, not a link: JUnit warns about each link out of its temporary folder
            if (at != null && !Files.exists(box.resolve(tool))) {
                Files.writeString(box.resolve(tool), "#!/bin/sh\nexec " + at + " \"$@\"\n");
                Files.setPosixFilePermissions(box.resolve(tool), PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        }
        return box;
    }
}
