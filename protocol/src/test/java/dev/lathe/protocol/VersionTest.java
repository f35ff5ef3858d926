package dev.lathe.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class VersionTest {
    /** DESIGN §18: {@code lathe VERSION (COMMIT, BUILD-DATE)}, the commit this module was just built from and its date. */
    @Test
    void describedNamesTheCommitThisBuildCameFromAndItsDate() throws Exception {
        String head = git("log", "-1", "--date=short", "--format=%h %cd");
        assumeTrue(!head.isEmpty(), "built outside a git checkout");
        String[] commitAndDate = head.split(" ");
        assertThat(Version.described()).matches("\\S+ \\([0-9a-f]{7}, \\d{4}-\\d{2}-\\d{2}\\)")
                .isEqualTo(Version.current() + " (" + commitAndDate[0].substring(0, 7) + ", " + commitAndDate[1] + ")");
    }

    private static String git(String... args) throws Exception {
        var cmd = new java.util.ArrayList<>(List.of("git", "-C", Path.of("").toAbsolutePath().toString(), "-c", "core.abbrev=7"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        return p.waitFor() == 0 ? out : "";
    }
}
