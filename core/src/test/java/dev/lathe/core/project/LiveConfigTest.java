package dev.lathe.core.project;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.core.auth.AuthStore;
import dev.lathe.core.config.Config;
import dev.lathe.core.config.ConfigException;
import dev.lathe.core.config.ConfigLoader;
import dev.lathe.core.config.LathePaths;
import dev.lathe.core.model.CatalogSource;
import dev.lathe.core.model.ProviderSources;
import dev.lathe.core.permission.Action;
import dev.lathe.core.store.sqlite.Db;
import dev.lathe.core.store.sqlite.SqliteStorage;
import dev.lathe.llm.Protocols;
import dev.lathe.llm.catalog.Catalog;
import dev.lathe.protocol.api.ClientEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The configuration a server serves is the one on disk now: every config file of a project is looked at on each
 * {@code get}, a changed one is read again, an invalid edit keeps the last good one for running turns while new prompts
 * are refused, and each client's environment (inline config, keys) gives it its own view.
 */
class LiveConfigTest {
    @TempDir Path tmp;
    private Db db;
    private Projects projects;
    private Path dir;
    private Path global;
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final Map<String, String> env = new HashMap<>();

    @BeforeEach
    void open() throws Exception {
        dir = Files.createDirectories(tmp.resolve("project"));
        Files.createDirectories(dir.resolve(".git"));
        env.putAll(Map.of("HOME", tmp.toString(), "XDG_DATA_HOME", tmp.resolve("data").toString(),
                "XDG_CONFIG_HOME", tmp.resolve("config").toString(), "XDG_STATE_HOME", tmp.resolve("state").toString(),
                "LATHE_CONFIG_CONTENT", "{\"smallModel\": \"daemon/small\"}", "ANTHROPIC_API_KEY", "daemon-key"));
        var paths = LathePaths.fromEnvironment(env);
        global = paths.globalConfig();
        Files.createDirectories(global.getParent());
        db = Db.open(paths.database());
        projects = new Projects(new ConfigLoader(paths, Map.copyOf(env), tmp.resolve("managed.json")), paths, SqliteStorage.over(db).projects(),
                Protocols.of(Map.of()), new ProviderSources(CatalogSource.of(Catalog.bundled()), new AuthStore(paths.authFile()), Map.copyOf(env)),
                Projects.Wiring.of(new Projects.ConfigEvents() {
                    @Override public void updated(Path directory) { events.add("updated " + directory.getFileName()); }

                    @Override public void failed(Path directory, String message) { events.add("failed " + message); }
                }, new dev.lathe.core.config.ServerEnvironment(System.getenv())));
    }

    @AfterEach
    void close() { db.close(); }

    /** Writes {@code text} and moves the file's time on, as an editor a second later would. */
    private void write(Path file, String text) throws Exception {
        FileTime before = Files.exists(file) ? Files.getLastModifiedTime(file) : FileTime.fromMillis(0);
        Files.writeString(file, text);
        Files.setLastModifiedTime(file, FileTime.fromMillis(before.toMillis() + 2000));
    }

    @Test
    void anEditToTheProjectOrGlobalFileAppliesAtTheNextGet() throws Exception {
        write(dir.resolve("lathe.json"), "{\"model\": \"openai/gpt-5\"}");
        Project first = projects.get(dir.toString());
        assertThat(first.config().model()).hasValue("openai/gpt-5");
        assertThat(first.rules().evaluate("edit", "a.txt")).isNotEqualTo(Action.DENY);
        assertThat(projects.get(dir.toString())).as("nothing changed: the same instance").isSameAs(first);

        write(dir.resolve("lathe.json"), "{\"model\": \"openai/gpt-5-mini\", \"permission\": {\"edit\": \"deny\"}}");
        Project edited = projects.get(dir.toString());
        assertThat(edited.config().model()).hasValue("openai/gpt-5-mini");
        assertThat(edited.rules().evaluate("edit", "a.txt")).isEqualTo(Action.DENY);
        assertThat(edited.id()).isEqualTo(first.id());
        assertThat(edited.snapshots()).isSameAs(first.snapshots());

        write(global, "{\"permission\": {\"bash\": {\"rm *\": \"deny\"}}}");
        assertThat(projects.get(dir.toString()).rules().evaluate("bash", "rm -rf x")).isEqualTo(Action.DENY);

        Files.createDirectories(dir.resolve(".lathe"));
        write(dir.resolve(".lathe/lathe.json"), "{\"model\": \"openai/o3\"}");
        assertThat(projects.get(dir.toString()).config().model()).as("a file that appears counts too").hasValue("openai/o3");
        assertThat(events).containsExactly("updated project", "updated project", "updated project");
    }

    @Test
    void anEditToATrustedFoldersMcpJsonAppliesOnceApprovedAndABrokenOneIsReported() throws Exception {
        var approvals = ConfigLoader.standard(LathePaths.fromEnvironment(env), env);
        write(dir.resolve(".mcp.json"), "{\"mcpServers\": {\"one\": {\"command\": \"one-server\"}}}");
        dev.lathe.core.info.TrustReview.approve(approvals, dir);
        assertThat(projects.get(dir.toString()).config().mcp()).containsOnlyKeys("one");

        // added after the folder was trusted (by the agent, a pull, an editor): withheld until approved, "one" still runs
        write(dir.resolve(".mcp.json"), "{\"mcpServers\": {\"one\": {\"command\": \"one-server\"}, \"two\": {\"command\": \"two-server\"}}}");
        Config changed = projects.get(dir.toString()).config();
        assertThat(changed.mcp()).containsOnlyKeys("one");
        assertThat(changed.withheld()).singleElement().satisfies(w -> assertThat(w.message())
                .startsWith("changed since trust: skipped 1 MCP server from .mcp.json: two"));
        dev.lathe.core.info.TrustReview.approve(approvals, dir);
        assertThat(projects.get(dir.toString()).config().mcp()).as("approved: from the next get, without a restart").containsOnlyKeys("one", "two");

        write(dir.resolve(".mcp.json"), "{\"mcpServers\": {\"bad name\": {\"command\": \"x\"}}}");
        dev.lathe.core.info.TrustReview.approve(approvals, dir);
        assertThatThrownBy(() -> projects.get(dir.toString())).hasMessageContaining(".mcp.json:1").hasMessageContaining("mcpServers.bad name");
        assertThat(events).first().isEqualTo("updated project");
        assertThat(events).last().asString().startsWith("failed ").contains(".mcp.json");
    }

    @Test
    void aFileRewrittenUnchangedKeepsTheProjectAndTellsNobody() throws Exception {
        write(dir.resolve("lathe.json"), "{\"model\": \"openai/gpt-5\"}");
        Project first = projects.get(dir.toString());
        write(dir.resolve("lathe.json"), "{\"model\": \"openai/gpt-5\"}");
        assertThat(projects.get(dir.toString())).isSameAs(first);
        assertThat(events).isEmpty();
    }

    @Test
    void anInvalidEditKeepsTheLastGoodProjectForTurnsAndRefusesTheRest() throws Exception {
        write(dir.resolve("lathe.json"), "{\"model\": \"openai/gpt-5\"}");
        Project good = projects.get(dir.toString());
        write(dir.resolve("lathe.json"), "{\n  \"model\": \"openai/gpt-5\",\n  \"modle\": \"x\"\n}");

        assertThatThrownBy(() -> projects.get(dir.toString())).isInstanceOf(ConfigException.class)
                .hasMessageContaining(dir.resolve("lathe.json").toString()).hasMessageContaining(":3").hasMessageContaining("modle");
        assertThat(projects.current(dir.toString(), ClientEnvironment.NONE)).isSameAs(good);
        assertThat(events).hasSize(1);
        assertThat(events.getFirst()).startsWith("failed ").contains("modle");
        // asked again while still broken: the same error, read once
        assertThatThrownBy(() -> projects.get(dir.toString())).isInstanceOf(ConfigException.class);
        assertThat(events).hasSize(1);

        write(dir.resolve("lathe.json"), "{\"model\": \"openai/gpt-5-mini\"}");
        assertThat(projects.get(dir.toString()).config().model()).hasValue("openai/gpt-5-mini");
        assertThat(events).last().isEqualTo("updated project");
    }

    @Test
    void anEditSeenByEveryOpenEntryOfAFolderIsReportedOnce() throws Exception {
        var shell = new ClientEnvironment(Map.of("OPENAI_API_KEY", "key-a"));
        projects.get(dir.toString());
        projects.get(dir.toString(), shell);
        write(dir.resolve("lathe.json"), "{ \"modle\": 5 }");

        projects.checkOpen();
        assertThatThrownBy(() -> projects.get(dir.toString(), shell)).isInstanceOf(ConfigException.class);
        projects.checkOpen();

        assertThat(events).as("the daemon's entry and the shell's saw one edit").hasSize(1).first().asString().startsWith("failed ");
        write(dir.resolve("lathe.json"), "{}");
        projects.checkOpen();
        assertThat(events).hasSize(2).last().isEqualTo("updated project");
    }

    @Test
    void checkOpenReportsAnEditWithoutAnyRequest() throws Exception {
        projects.get(dir.toString());
        write(dir.resolve("lathe.json"), "{ \"model\": 5 }");
        projects.checkOpen();
        assertThat(events).hasSize(1).first().asString().startsWith("failed ");
    }

    @Test
    void eachClientEnvironmentSeesItsOwnInlineConfigAndNotTheDaemons() throws Exception {
        var shellA = new ClientEnvironment(Map.of("LATHE_CONFIG_CONTENT", "{\"model\": \"openai/gpt-5\"}", "OPENAI_API_KEY", "key-a"));
        var shellB = new ClientEnvironment(Map.of("LATHE_CONFIG_CONTENT", "{\"model\": \"anthropic/claude-sonnet-4-5\"}"));
        Project daemon = projects.get(dir.toString());
        Project a = projects.get(dir.toString(), shellA);
        Project b = projects.get(dir.toString(), shellB);

        assertThat(daemon.config().smallModel()).hasValue("daemon/small");
        assertThat(a.config().model()).hasValue("openai/gpt-5");
        assertThat(a.config().smallModel()).as("the daemon's inline config is not the client's").isEmpty();
        assertThat(b.config().model()).hasValue("anthropic/claude-sonnet-4-5");
        assertThat(a.id()).isEqualTo(b.id());

        // the key of shell A, not the daemon's, is what A's sessions would send; shell B has none of its own
        assertThat(shellA.over(env)).containsEntry("OPENAI_API_KEY", "key-a").doesNotContainKey("ANTHROPIC_API_KEY")
                .containsEntry("HOME", tmp.toString());
        assertThat(shellB.over(env)).doesNotContainKey("ANTHROPIC_API_KEY").containsEntry("LATHE_CONFIG_CONTENT", "{\"model\": \"anthropic/claude-sonnet-4-5\"}");
        assertThat(ClientEnvironment.NONE.over(env)).isSameAs(env);
        assertThat(shellA.toString()).doesNotContain("key-a").doesNotContain("gpt-5");
    }

    @Test
    void aDaemonStartedLocalOnlyKeepsEveryClientsSessionsLocal() throws Exception {
        env.put("LATHE_NETWORK", "local");
        db.close();
        open(); // the daemon's own environment says local
        // a shell that lacks the variable but sends a key, and one that says open: neither undoes the daemon's local
        var keyOnly = new ClientEnvironment(Map.of("OPENAI_API_KEY", "key-a"));
        var saysOpen = new ClientEnvironment(Map.of("LATHE_NETWORK", "open", "OPENAI_API_KEY", "key-a"));
        assertThat(projects.get(dir.toString()).network().isLocal()).isTrue();
        assertThat(projects.get(dir.toString(), keyOnly).network().isLocal()).isTrue();
        assertThat(projects.get(dir.toString(), saysOpen).network().isLocal()).isTrue();
        assertThat(keyOnly.over(env)).containsEntry("LATHE_NETWORK", "local").containsEntry("OPENAI_API_KEY", "key-a");
    }

    @Test
    void aClientsLocalOnlyModeIsItsOwnOnAnOpenDaemon() throws Exception {
        var local = new ClientEnvironment(Map.of("LATHE_NETWORK", "local"));
        assertThat(projects.get(dir.toString(), local).network().isLocal()).isTrue();
        assertThat(projects.get(dir.toString()).network().isLocal()).isFalse();
        assertThat(projects.get(dir.toString(), new ClientEnvironment(Map.of("OPENAI_API_KEY", "k"))).network().isLocal()).isFalse();
    }

    @Test
    void aClientsLatheConfigFileIsWatchedToo() throws Exception {
        Path named = tmp.resolve("mine.json");
        write(named, "{\"model\": \"openai/gpt-5\"}");
        var shell = new ClientEnvironment(Map.of("LATHE_CONFIG", named.toString()));
        assertThat(projects.get(dir.toString(), shell).config().model()).hasValue("openai/gpt-5");
        write(named, "{\"model\": \"openai/gpt-5-mini\"}");
        assertThat(projects.get(dir.toString(), shell).config().model()).hasValue("openai/gpt-5-mini");
    }

    @Test
    void oneLookChecksTheFilesOnceAndAnEditAfterItsEndAppliesAtTheNextGet() throws Exception {
        write(dir.resolve("lathe.json"), "{\"model\": \"openai/gpt-5\"}");
        Project first = projects.get(dir.toString());
        long before = projects.looks();
        Project[] seen = OneLook.around(() -> {
            Project inLook = projects.get(dir.toString());
            edit(dir.resolve("lathe.json"), "{\"permission\": {\"edit\": \"deny\"}}");
            Project again = projects.current(dir.toString(), ClientEnvironment.NONE);
            OneLook.end();
            return new Project[] {inLook, again, projects.get(dir.toString())};
        });
        assertThat(seen[0]).isSameAs(first);
        assertThat(seen[1]).as("within one look: what its check found").isSameAs(first);
        assertThat(seen[2].rules().evaluate("edit", "a.txt")).as("after its end: the disk as it is").isEqualTo(Action.DENY);
        assertThat(projects.looks() - before).isEqualTo(2);
        edit(dir.resolve("lathe.json"), "{}");
        assertThat(projects.get(dir.toString()).rules().evaluate("edit", "a.txt")).as("outside any look: every get looks").isNotEqualTo(Action.DENY);
    }

    /**
     * An administrator's deny dropped into {@code managed.d} while a project is open applies at the next get, and so does
     * a later edit of that drop-in: the folder's listing is watched, and the files are listed again after a change.
     * Before, only the drop-ins present when the project was opened were watched (the folder was not a stamp).
     */
    @Test
    void aManagedDropInAddedWhileTheProjectIsOpenAppliesAtTheNextGet() throws Exception {
        Path dropIns = Files.createDirectories(tmp.resolve("managed.d"));
        assertThat(projects.get(dir.toString()).rules().evaluate("read", "a.txt")).isEqualTo(Action.ALLOW);
        Path added = dropIns.resolve("50-deny.json");
        Files.writeString(added, "{\"permission\": {\"read\": \"deny\"}}");
        assertThat(projects.get(dir.toString()).rules().evaluate("read", "a.txt")).as("the drop-in added").isEqualTo(Action.DENY);
        write(added, "{\"permission\": {\"read\": \"allow\", \"bash\": \"deny\"}}");
        assertThat(projects.get(dir.toString()).rules().evaluate("bash", "ls")).as("the drop-in edited").isEqualTo(Action.DENY);
    }

    @Test
    void aSameSizeRewriteWithinTheSameMillisecondAppliesAtTheNextGet() throws Exception {
        Path file = dir.resolve("lathe.json");
        Files.writeString(file, "{\"permission\": {\"read\": \"allow\"}}");
        FileTime first = FileTime.from(Instant.parse("2026-11-29T03:00:00.000100Z"));
        Files.setLastModifiedTime(file, first);
        assertThat(projects.get(dir.toString()).rules().evaluate("read", "a.txt")).isEqualTo(Action.ALLOW);
        // the same size, the same inode, 0.4 ms later: a millisecond stamp saw nothing and kept the allow
        Files.writeString(file, "{\"permission\": {\"read\": \"deny\"} }");
        assertThat(Files.size(file)).as("the same size").isEqualTo(33);
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2026-11-29T03:00:00.000500Z")));
        assertThat(Files.getLastModifiedTime(file).to(TimeUnit.MICROSECONDS) % 1000).as("this file system keeps sub-millisecond times").isEqualTo(500);
        assertThat(projects.get(dir.toString()).rules().evaluate("read", "a.txt")).isEqualTo(Action.DENY);
    }

    private void edit(Path file, String text) {
        try {
            write(file, text);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Not a timed assertion (DESIGN §16): the figure the report quotes, printed for whoever runs it. 2,000 calls warm
     * the path up (C1 compiles it within them) and 5,000 are timed: at ~1 ms a call on a loaded CI machine, the 70,000
     * this ran before cost 110–200 s of the suite for the same figure.
     */
    @Test
    void aGetWithNothingChangedOnlyStatsTheFiles() throws Exception {
        write(dir.resolve("lathe.json"), "{\"model\": \"openai/gpt-5\"}");
        Project first = projects.get(dir.toString());
        for (int i = 0; i < 2_000; i++) projects.get(dir.toString());
        int n = 5_000;
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) assertThat(projects.get(dir.toString()) == first).isTrue();
        long perCall = (System.nanoTime() - start) / n;
        System.out.println("Projects.get with nothing changed: " + perCall + " ns per call");
        ConfigStamps stamps = ConfigStamps.of(List.of(dir.resolve("lathe.json"), dir.resolve(".lathe/lathe.json"), global, tmp.resolve("managed.json")));
        start = System.nanoTime();
        for (int i = 0; i < n; i++) assertThat(stamps.check()).isInstanceOf(ConfigStamps.Check.Unchanged.class);
        System.out.println("of which the config files' check: " + (System.nanoTime() - start) / n + " ns per call");
    }
}
