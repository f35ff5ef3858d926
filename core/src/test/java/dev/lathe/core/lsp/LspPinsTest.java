package dev.lathe.core.lsp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.core.config.Config;
import dev.lathe.core.config.ConfigLoader;
import dev.lathe.core.config.LathePaths;
import dev.lathe.core.info.TrustReview;
import dev.lathe.core.trust.Withheld;
import dev.lathe.lsp.LspServerStatus;
import dev.lathe.tools.Permissions;
import dev.lathe.tools.ToolContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * A language server the project itself provides ({@code node_modules/.bin}) is project code: trust pins its file by
 * content, and the script it really runs (a {@code .bin} link's target, a shell shim's {@code $basedir/…} script). The
 * servers are real processes started by the real {@code lsp} module; each writes a marker outside the project, so what
 * ran is seen on the file system, not in a status.
 *
 * <p>Each test waits out 10 s in which a withheld server must not start (a start that happens anyway is what that
 * guards against, so the bound stays): the three run side by side, each in its own folders and config home.
 */
@Execution(ExecutionMode.CONCURRENT)
class LspPinsTest {
    @TempDir Path tmp;
    private Path project;
    /** The folder the session's servers are opened in: the root, or a nested project folder below it. */
    private Path dir;
    private Path markers;
    private ConfigLoader loader;

    @BeforeEach
    void setUp() throws Exception {
        project = Files.createDirectories(tmp.resolve("proj"));
        markers = Files.createDirectories(tmp.resolve("markers"));
        Files.createDirectories(project.resolve(".git"));
        Files.writeString(project.resolve("a.sh"), "echo hi\n");
        dir = project;
        Map<String, String> env = Map.of("XDG_CONFIG_HOME", tmp.resolve("xdg-config").toString(), "XDG_DATA_HOME", tmp.resolve("data").toString(),
                "HOME", tmp.resolve("home").toString());
        loader = new ConfigLoader(LathePaths.fromEnvironment(env), env, tmp.resolve("managed.json"));
    }

    /** The script a server's start runs: it notes {@code version} in the marker folder and exits (no real server needed). */
    private void script(Path file, String version) throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, "#!/bin/bash\ntouch '" + markers.resolve(version) + "'\nexit 3\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** Opens the project's servers as the server does (its config's pins) and asks for {@code a.sh}'s diagnostics. */
    private void edit(OpenLanguageServers servers, Config config) {
        servers.open(dir, config.lsp(), LanguageServers.Trust.TRUSTED, config.approvedFiles(), project, Map.of("PATH", "/usr/bin:/bin"));
        var ctx = ToolContext.builder(dir, Permissions.ALLOW_ALL).session("ses_p").call("call_p").output(tmp.resolve("out")).build();
        servers.diagnostics().report(List.of("a.sh"), ctx);
    }

    private boolean ran(String version) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < until) {
            if (Files.exists(markers.resolve(version))) return true;
            Thread.sleep(50);
        }
        return false;
    }

    private void check(Path changedFile) throws Exception {
        String prefix = dir.equals(project) ? "" : project.relativize(dir) + "/";
        try (var servers = new OpenLanguageServers(LspModule.FACTORY, (r, e) -> { })) {
            TrustReview.approve(loader, project);
            assertThat(TrustReview.of(loader, project)).extracting(l -> l.item().line())
                    .anySatisfy(l -> assertThat(l).startsWith(prefix + "node_modules/.bin language server bash-language-server (runs code): " + prefix + "node_modules/.bin/bash-language-server")
                            .contains(project.toRealPath().relativize(changedFile.toRealPath()) + " sha256:"));
            Config approved = loader.load(project);
            assertThat(approved.withheld()).isEmpty();
            edit(servers, approved);
            assertThat(ran("v1")).as("the approved server runs").isTrue();
            servers.close(dir);

            // changed after the configuration was read and the servers located it: not started
            servers.open(dir, approved.lsp(), LanguageServers.Trust.TRUSTED, approved.approvedFiles(), project, Map.of("PATH", "/usr/bin:/bin"));
            assertThat(servers.status(dir)).extracting(LspServerStatus::name).contains("bash-language-server");
            script(changedFile, "v2");
            edit(servers, approved);
            // and read afresh: withheld, named, listed as changed
            Config changed = loader.load(project);
            assertThat(changed.withheld()).extracting(Withheld::message).containsExactly(
                    "changed since trust: skipped 1 language server from " + prefix + "node_modules/.bin: bash-language-server (run lathe trust --show to review, lathe trust to allow it;"
                            + " it would: runs code)");
            assertThat(TrustReview.pending(loader, project)).extracting(l -> l.status().word() + " " + l.item().name())
                    .containsExactly("changed bash-language-server");
            servers.close(dir);
            edit(servers, changed);
            assertThat(servers.status(dir)).filteredOn(s -> s.name().equals("bash-language-server")).extracting(LspServerStatus::state)
                    .containsExactly(LspServerStatus.WITHHELD);
            assertThat(ran("v2")).as("a server changed since trust must not run").isFalse();

            TrustReview.approve(loader, project);
            edit(servers, loader.load(project));
            assertThat(ran("v2")).as("once approved it runs").isTrue();
        }
    }

    @Test
    void aBinLinksTargetChangedAfterTrustDoesNotRunUntilApproved() throws Exception {
        Path target = project.resolve("node_modules/bash-language-server/out/cli.js");
        script(target, "v1");
        Files.createDirectories(project.resolve("node_modules/.bin"));
        Files.createSymbolicLink(project.resolve("node_modules/.bin/bash-language-server"), Path.of("../bash-language-server/out/cli.js"));
        check(target);
    }

    @Test
    void aShellShimsScriptChangedAfterTrustDoesNotRunUntilApproved() throws Exception {
        Path target = project.resolve("node_modules/.pnpm/bash-language-server/out/cli.sh");
        script(target, "v1");
        Path shim = project.resolve("node_modules/.bin/bash-language-server");
        Files.createDirectories(shim.getParent());
        Files.writeString(shim, "#!/bin/sh\nbasedir=$(dirname \"$(echo \"$0\" | sed -e 's,\\\\,/,g')\")\nexec \"$basedir/../.pnpm/bash-language-server/out/cli.sh\" \"$@\"\n");
        Files.setPosixFilePermissions(shim, PosixFilePermissions.fromString("rwxr-xr-x"));
        check(target);
    }

    /**
     * A nested project folder's own server ({@code sub/node_modules/.bin}, a session opened in {@code sub} of the
     * trusted repository) is a trust item like the root's (issue 40): listed, pinned, run once approved, not started
     * once changed, until approved again.
     */
    @Test
    void aSubfoldersOwnServerIsListedPinnedAndHeldBackOnceChanged() throws Exception {
        dir = Files.createDirectories(project.resolve("packages/app"));
        Files.writeString(dir.resolve("a.sh"), "echo hi\n");
        Path target = dir.resolve("node_modules/bash-language-server/out/cli.js");
        script(target, "v1");
        Files.createDirectories(dir.resolve("node_modules/.bin"));
        Files.createSymbolicLink(dir.resolve("node_modules/.bin/bash-language-server"), Path.of("../bash-language-server/out/cli.js"));
        check(target);
    }
}
