package dev.lathe.app.boundaries;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One gateway for project files (DESIGN §24, issue 52): main code reads, copies or hashes a file only through
 * {@code dev.lathe.tools.FileGateway}, which resolves the real path itself, refuses links leaving the project and applies
 * the {@code read} rules to every name of the file. A direct {@code Files.copy}, {@code Files.read*},
 * {@code Files.lines}, {@code Files.newInputStream}, {@code Files.newBufferedReader}, {@code Files.newByteChannel},
 * {@code FileChannel.open}, {@code new FileInputStream}/{@code FileReader}/{@code RandomAccessFile}/{@code ZipFile}/
 * {@code JarFile} anywhere else fails this test, unless the file is listed below with the reason it may: it reads only
 * Lathe's own files (its data, state, config and cache folders, its jar, the kernel's {@code /proc}), or what the user
 * named on Lathe's own command line. Comments and strings do not count ({@link JavaText}).
 */
class ProjectFileReadsTest {
    /** The calls that read or copy a file's content by path. */
    static final java.util.regex.Pattern FORBIDDEN = java.util.regex.Pattern.compile(
            "\\bFiles\\s*\\.\\s*(copy|readString|readAllBytes|readAllLines|lines|newInputStream|newBufferedReader|newByteChannel|mismatch)\\s*\\("
                    + "|\\bFileChannel\\s*\\.\\s*open\\s*\\("
                    + "|\\bAsynchronousFileChannel\\s*\\.\\s*open\\s*\\("
                    + "|\\bnew\\s+(java\\.io\\.)?(FileInputStream|FileReader|RandomAccessFile)\\s*\\("
                    + "|\\bnew\\s+(java\\.util\\.(zip|jar)\\.)?(ZipFile|JarFile)\\s*\\("
                    + "|\\bimport\\s+static\\s+java\\.nio\\.file\\.Files\\.");

    /** The gateway and the one handle it opens files through. */
    static final Map<String, String> GATEWAY = Map.of(
            "tools/src/main/java/dev/lathe/tools/FileGateway.java", "the gateway",
            "tools/src/main/java/dev/lathe/tools/OpenedFile.java", "the gateway's no-follow handle");

    /** Files that read only Lathe's own files, or what the user named on the command line: each with why. */
    static final Map<String, String> LATHE_OWN = Map.ofEntries(
            Map.entry("app/src/main/java/dev/lathe/app/DecodeCommand.java", "lathe decode FILE: a file the user names on the command line"),
            Map.entry("app/src/main/java/dev/lathe/app/AcpCommand.java", "standard input of the ACP agent process"),
            Map.entry("app/src/main/java/dev/lathe/app/release/UpdateCheck.java", "the time of the last update check, in Lathe's state folder"),
            Map.entry("tools/src/main/java/dev/lathe/tools/builtin/ProcessTree.java", "/proc: the kernel's table of a tracked tree's processes"),
            Map.entry("tui/src/main/java/dev/lathe/tui/LastShown.java", "the session the terminal UI last showed per folder, in Lathe's state folder"
                    + " (a regular file only, never through a link, at most 200 bytes)"),
            Map.entry("app/src/main/java/dev/lathe/app/GitHubCommand.java", "the event payload the Actions runner writes (GITHUB_EVENT_PATH), read up to GitHub's cap;"
                    + " the provider key's file (--key-file) the workflow's step before writes, deleted once read"),
            Map.entry("run/src/main/java/dev/lathe/run/github/JobFiles.java", "the agent step's result.json in RUNNER_TEMP/lathe (the job's artifact, not"
                    + " the project), a regular file only, size-capped, read as untrusted data"),
            Map.entry("app/src/main/java/dev/lathe/app/ImportCommand.java", "lathe import FILE: an export the user names on the command line, read up to its cap (app cannot reach tools)"),
            Map.entry("client/src/main/java/dev/lathe/client/LocalDaemon.java", "the daemon's lock and log files in Lathe's state folder"),
            Map.entry("client/src/main/java/dev/lathe/client/ServerDiscovery.java", "server.json in Lathe's state folder"),
            Map.entry("tools/src/main/java/dev/lathe/tools/builtin/ProcessCap.java", "pids.events of the command's own cgroup, a kernel file"),
            Map.entry("core/src/main/java/dev/lathe/core/model/CatalogSource.java", "the model catalog cached in Lathe's cache folder"),
            Map.entry("core/src/main/java/dev/lathe/core/snapshot/LooseObjects.java", "Lathe's own snapshot object store"),
            Map.entry("core/src/main/java/dev/lathe/core/auth/AuthStore.java", "auth.json and its lock in Lathe's data folder"),
            Map.entry("core/src/main/java/dev/lathe/core/audit/AuditFile.java", "the audit log in Lathe's data folder"),
            Map.entry("core/src/main/java/dev/lathe/core/audit/AuditKey.java", "the audit key in Lathe's data folder"),
            Map.entry("core/src/main/java/dev/lathe/core/audit/AuditHead.java", "the audit anchor in Lathe's data folder"),
            Map.entry("core/src/main/java/dev/lathe/core/audit/AuditReader.java", "the audit log in Lathe's data folder"),
            Map.entry("core/src/main/java/dev/lathe/core/network/BlockedConnections.java", "the blocked-connections record in Lathe's state folder"),
            Map.entry("core/src/main/java/dev/lathe/core/store/StoreSetting.java", "a store password file the user's own configuration names"),
            Map.entry("core/src/main/java/dev/lathe/core/store/sqlite/DamagedDatabase.java", "notices beside Lathe's database"),
            Map.entry("core/src/main/java/dev/lathe/core/store/sqlite/Backups.java", "Lathe's database backups"),
            Map.entry("core/src/main/java/dev/lathe/core/store/sqlite/DatabaseLease.java", "the lease file beside Lathe's database"),
            Map.entry("core/src/main/java/dev/lathe/core/store/sqlite/DatabaseCheck.java", "the header of Lathe's database file"),
            Map.entry("core/src/main/java/dev/lathe/core/trust/TrustedFolders.java", "the trust record in Lathe's data folder"),
            Map.entry("core/src/main/java/dev/lathe/core/claudeplugin/PluginInstalls.java", "plugins the user installs into Lathe's data folder (lathe plugin add)"),
            Map.entry("core/src/main/java/dev/lathe/core/claudeplugin/LaunchPins.java", "a plugin's MCP files in Lathe's staging folder, pinned before install"),
            Map.entry("core/src/main/java/dev/lathe/core/claudeplugin/TreeHash.java", "the installed plugins' files in Lathe's data folder, hashed for the lock"),
            Map.entry("core/src/main/java/dev/lathe/core/claudeplugin/PluginLock.java", "lathe-plugins.lock in Lathe's data folder"),
            Map.entry("core/src/main/java/dev/lathe/core/claudeplugin/Marketplaces.java", "the added marketplaces' record and clones in Lathe's data folder"),
            Map.entry("core/src/main/java/dev/lathe/core/claudeplugin/MarketplacePolicy.java", "the administrator's managed files, checked by ManagedFiles.all"),
            Map.entry("llm/src/main/java/dev/lathe/llm/bedrock/IniFile.java", "the user's own ~/.aws config and credentials"),
            Map.entry("mcp/src/main/java/dev/lathe/mcp/oauth/TokenStore.java", "OAuth tokens in Lathe's data folder"),
            Map.entry("mcp/src/main/java/dev/lathe/mcp/connect/StdioConnector.java", "the pid files of Lathe's own MCP processes"),
            Map.entry("server/src/main/java/dev/lathe/server/daemon/NodeId.java", "the node id in Lathe's state folder"),
            Map.entry("client/src/main/java/dev/lathe/client/ProcessEnd.java", "the kernel's /proc/PID/stat of the Lathe server being stopped"),
            Map.entry("server/src/main/java/dev/lathe/server/daemon/ServerInfo.java", "server.json in Lathe's state folder"),
            Map.entry("server/src/main/java/dev/lathe/server/daemon/DataDirLock.java", "the lock of Lathe's data folder"),
            Map.entry("server/src/main/java/dev/lathe/server/http/WebLoginStore.java", "web logins in Lathe's state folder"),
            Map.entry("server/src/main/java/dev/lathe/server/http/WebAssets.java", "the web client's assets shipped with Lathe"),
            Map.entry("tools/src/main/java/dev/lathe/tools/builtin/ProcessWatchdog.java", "the kernel's /proc"),
            Map.entry("tools/src/main/java/dev/lathe/tools/builtin/WritesInFlight.java", "Lathe's own marker of writes in flight"),
            Map.entry("tools/src/main/java/dev/lathe/tools/builtin/AtomicWrite.java", "writes (and syncs) the file tools' own output; reads nothing"),
            Map.entry("tui/src/main/java/dev/lathe/tui/input/History.java", "the prompt history in Lathe's state folder"),
            Map.entry("tui/src/main/java/dev/lathe/tui/RecentModels.java", "recent models in Lathe's state folder"),
            Map.entry("tui/src/main/java/dev/lathe/tui/ConfigLines.java", "config files shown to the user in the terminal; nothing reaches a model"));

    /** A forbidden call in a main source: file relative to the repository, line, the call. */
    record Violation(String file, int line, String call) {
        @Override
        public String toString() { return file + ":" + line + " " + call; }
    }

    static List<Violation> violations(Path root) {
        List<Violation> out = new ArrayList<>();
        for (Path source : mainSources(root)) {
            String rel = root.relativize(source).toString().replace('\\', '/');
            if (GATEWAY.containsKey(rel) || LATHE_OWN.containsKey(rel)) continue;
            String code;
            try {
                code = JavaText.codeOnly(Files.readString(source));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Matcher m = FORBIDDEN.matcher(code);
            while (m.find()) {
                int line = (int) code.substring(0, m.start()).chars().filter(c -> c == '\n').count() + 1;
                out.add(new Violation(rel, line, m.group().replaceAll("\\s+", " ")));
            }
        }
        return out;
    }

    /** Every main source of a shipped module (test-only modules are free to read what they like). */
    private static List<Path> mainSources(Path root) {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> modules = Files.list(root)) {
            for (Path m : modules.sorted().toList()) {
                if (ModuleBoundariesTest.TEST_ONLY.contains(m.getFileName().toString())) continue;
                Path main = m.resolve("src/main/java");
                if (!Files.isDirectory(main)) continue;
                try (Stream<Path> walk = Files.walk(main)) {
                    walk.filter(f -> f.toString().endsWith(".java") && Files.isRegularFile(f)).sorted().forEach(out::add);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    @Test
    void noMainSourceReadsOrCopiesAFileAroundTheGateway() {
        assertThat(violations(ModuleBoundariesTest.repositoryRoot()))
                .as("reads or copies of files outside FileGateway: go through dev.lathe.tools.FileGateway, or, for Lathe's own files only, "
                        + "list the file in LATHE_OWN with the reason")
                .isEmpty();
    }

    @Test
    void everyListedFileStillExistsSoTheListsOnlyShrink() {
        Path root = ModuleBoundariesTest.repositoryRoot();
        List<String> gone = new ArrayList<>();
        for (var list : List.of(GATEWAY, LATHE_OWN)) {
            for (String file : list.keySet()) if (!Files.isRegularFile(root.resolve(file))) gone.add(file);
        }
        assertThat(gone).as("listed files that no longer exist: remove them from the list").isEmpty();
    }

    @Test
    void findsEachKindOfReadAroundTheGatewayButNotInCommentsOrStrings(@TempDir Path root) throws IOException {
        Path pkg = Files.createDirectories(root.resolve("core/src/main/java/x"));
        Files.writeString(pkg.resolve("Sneaky.java"), """
                package x;
                class Sneaky {
                    // Files.readString(p) in a comment is fine
                    String s = "Files.copy(a, b) in a string is fine";
                    void a(java.nio.file.Path p, java.nio.file.Path q) throws Exception {
                        java.nio.file.Files.copy(p, q);
                        Files.readAllBytes(p);
                        Files . lines(p);
                        new java.io.FileInputStream(p.toFile());
                        java.nio.channels.FileChannel.open(p);
                        new java.util.zip.ZipFile(p.toFile());
                    }
                }
                """);
        Files.createDirectories(root.resolve("testkit/src/main/java/x"));
        Files.writeString(root.resolve("testkit/src/main/java/x/Free.java"), "class Free { void a() { Files.readString(p); } }");
        Files.createDirectories(root.resolve("tools/src/main/java/dev/lathe/tools"));
        Files.writeString(root.resolve("tools/src/main/java/dev/lathe/tools/FileGateway.java"), "class FileGateway { void a() { Files.copy(p, q); } }");

        assertThat(violations(root)).extracting(Violation::line).containsExactly(6, 7, 8, 9, 10, 11);
    }
}
