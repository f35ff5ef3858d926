package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.app.release.Installation;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code lathe uninstall} on a machine laid out as install.sh and the npm launcher leave it (issue 82): real folders, a
 * real link; what it removes, what it leaves (the user's data unless asked, a link's target, a bin/lathe not its own).
 */
class UninstallCommandTest {
    @TempDir Path home;
    Path prefix;
    Path outside;
    Map<String, String> env;
    final AtomicInteger stops = new AtomicInteger();

    @BeforeEach
    void installedByTheScript() throws Exception {
        prefix = home.resolve(".local");
        Path release = Files.createDirectories(prefix.resolve("lib/lathe/0.2.0/bin"));
        Files.writeString(release.resolve("lathe"), "#!/bin/sh\n");
        Files.createDirectories(prefix.resolve("bin"));
        Files.createSymbolicLink(prefix.resolve("bin/lathe"), Path.of("../lib/lathe/0.2.0/bin/lathe"));
        Files.createDirectories(home.resolve(".cache/lathe/jar/0.2.0-linux-x64"));
        Files.writeString(home.resolve(".cache/lathe/jar/0.2.0-linux-x64/lathe.jar"), "jar");
        Files.createDirectories(home.resolve(".local/share/lathe"));
        Files.writeString(home.resolve(".local/share/lathe/lathe.db"), "db");
        Files.createDirectories(home.resolve(".config/lathe"));
        Files.writeString(home.resolve(".config/lathe/lathe.json"), "{}");
        // an attacker's (or a mistake's) link in the cache to a file of the user's: removed as a link, never followed
        outside = Files.writeString(home.resolve("precious.txt"), "keep me");
        Files.createSymbolicLink(home.resolve(".cache/lathe/precious-link"), outside);
        env = Map.of("HOME", home.toString());
    }

    private record Ran(int exit, String out, String err) {}

    private Ran run(Installation installation, String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        var line = new CommandLine(new UninstallCommand(env, installation, e -> stops.incrementAndGet()));
        line.setOut(new PrintWriter(out));
        line.setErr(new PrintWriter(err));
        int exit = line.execute(args);
        return new Ran(exit, out.toString(), err.toString());
    }

    @Test
    void aDryRunListsWhatInstallShPutThereAndTheCacheAndRemovesNothing() {
        var ran = run(new Installation.Script(prefix.resolve("lib/lathe/0.2.0"), prefix), "--dry-run");
        assertThat(ran.exit()).isZero();
        assertThat(ran.out()).contains("Would remove:").contains(prefix.resolve("lib/lathe").toString()).contains(prefix.resolve("bin/lathe").toString())
                .contains(home.resolve(".cache/lathe").toString()).contains("--data removes them").contains("--config removes it")
                .doesNotContain(home.resolve(".local/share/lathe") + "  —");
        assertThat(prefix.resolve("lib/lathe")).exists();
        assertThat(stops).hasValue(0);
    }

    @Test
    void withYesItStopsTheServerAndRemovesTheInstallAndCacheButKeepsTheUsersDataAndLinkTargets() {
        var ran = run(new Installation.Script(prefix.resolve("lib/lathe/0.2.0"), prefix), "--yes");
        assertThat(ran.exit()).as(ran.err()).isZero();
        assertThat(stops).hasValue(1);
        assertThat(prefix.resolve("lib/lathe")).doesNotExist();
        assertThat(Files.exists(prefix.resolve("bin/lathe"), LinkOption.NOFOLLOW_LINKS)).isFalse();
        assertThat(home.resolve(".cache/lathe")).doesNotExist();
        assertThat(outside).hasContent("keep me");
        assertThat(home.resolve(".local/share/lathe/lathe.db")).exists();
        assertThat(home.resolve(".config/lathe/lathe.json")).exists();
    }

    @Test
    void dataAndConfigGoOnlyWhenAskedAndABinLatheNotItsOwnStays() throws Exception {
        Files.delete(prefix.resolve("bin/lathe"));
        Files.writeString(prefix.resolve("bin/lathe"), "#!/bin/sh\n# someone else's lathe\n");
        var ran = run(new Installation.Script(prefix.resolve("lib/lathe/0.2.0"), prefix), "--yes", "--data", "--config");
        assertThat(ran.exit()).as(ran.err()).isZero();
        assertThat(prefix.resolve("bin/lathe")).as("not a link install.sh made").exists();
        assertThat(home.resolve(".local/share/lathe")).doesNotExist();
        assertThat(home.resolve(".config/lathe")).doesNotExist();
    }

    @Test
    void withoutATerminalOrYesNothingIsRemoved() {
        var ran = run(new Installation.Script(prefix.resolve("lib/lathe/0.2.0"), prefix));
        assertThat(ran.exit()).isEqualTo(2);
        assertThat(ran.err()).contains("nothing removed").contains("--yes");
        assertThat(prefix.resolve("lib/lathe")).exists();
        assertThat(stops).hasValue(0);
    }

    @Test
    void anNpmInstallNamesNpmsCommandAndRemovesTheJarCopies() {
        var ran = run(new Installation.Npm(home.resolve("node/lib/node_modules/lathe-agent")), "--yes");
        assertThat(ran.out()).contains("npm uninstall -g lathe-agent");
        assertThat(home.resolve(".cache/lathe")).doesNotExist();
        assertThat(prefix.resolve("lib/lathe")).as("not npm's to remove here").exists();
    }
}
