package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * release/oci/debian-ARCH.lock, which release/oci-image unpacks without asking apt (decision 454): each lock holds every
 * package release/oci/packages names, in one well-formed line (a SHA-256, a size, a path in Debian's pool), and both
 * architectures hold the same packages. A package added to the list without running release/oci/lock fails here,
 * not in the release workflow.
 */
class OciPackageLockTest {
    private static final Path OCI = Path.of("").toAbsolutePath().getParent().resolve("release/oci");

    @Test
    void eachLockPinsEveryListedPackageAndBothArchitecturesTheSameOnes() throws IOException {
        var wanted = new TreeSet<String>();
        for (String line : Files.readAllLines(OCI.resolve("packages"))) {
            String name = line.replaceFirst("#.*", "").strip();
            if (!name.isEmpty()) wanted.add(name);
        }
        assertThat(wanted).contains("bash", "git", "ripgrep", "ca-certificates", "tini", "util-linux");
        Set<String> amd64 = locked("amd64");
        assertThat(amd64).containsAll(wanted);
        assertThat(locked("arm64")).isEqualTo(amd64);
    }

    private static Set<String> locked(String arch) throws IOException {
        List<String> lines = Files.readAllLines(OCI.resolve("debian-" + arch + ".lock"));
        assertThat(lines).anyMatch(l -> l.matches("# snapshot \\d{8}T\\d{6}Z"));
        var names = new TreeSet<String>();
        for (String line : lines) {
            if (line.startsWith("#")) continue;
            assertThat(line).as(arch + " lock line").matches("[a-z0-9][a-z0-9+.-]+ \\S+ [0-9a-f]{64} [1-9][0-9]* "
                    + "(debian/pool|debian-security/pool/updates)/main/[a-z0-9+.-]+/[a-z0-9+.-]+/[^ /]+_(" + arch + "|all)\\.deb");
            assertThat(names.add(line.substring(0, line.indexOf(' ')))).as("one line per package: " + line).isTrue();
        }
        return names;
    }
}
