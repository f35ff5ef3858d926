package dev.lathe.core.claudeplugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Claude Code marketplace in a real git repository reached through {@code file://}, a real {@code npm} asking a
 * registry stand-in on loopback, and the lock (DESIGN §33): installed unchanged, floating launches pinned, a changed
 * file stops the plugin until {@code update}, a managed allowlist refuses another marketplace.
 */
class MarketplaceInstallsTest {
    @TempDir Path tmp;
    private HttpServer registry;
    private volatile String latest = "1.0.0";
    private Map<String, String> env;

    @BeforeEach
    void startRegistry() throws Exception {
        registry = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        registry.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            byte[] body;
            int status = 200;
            if (path.equals("/demo-server")) {
                body = packument().getBytes(StandardCharsets.UTF_8);
            } else {
                status = 404;
                body = "{\"error\":\"Not found\"}".getBytes(StandardCharsets.UTF_8);
            }
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        registry.start();
        env = new HashMap<>(System.getenv());
        env.put("npm_config_registry", "http://127.0.0.1:" + registry.getAddress().getPort() + "/");
        env.put("npm_config_cache", tmp.resolve("npm-cache").toString());
        env.put("npm_config_userconfig", tmp.resolve("npmrc").toString());
        env.put("LATHE_MANAGED_DIR", tmp.resolve("managed").toString());
        env.put("LATHE_CLAUDE_MANAGED_FILE", tmp.resolve("no-claude-managed.json").toString());
    }

    @AfterEach
    void stopRegistry() {
        registry.stop(0);
    }

    private String packument() {
        StringBuilder versions = new StringBuilder();
        for (String v : List.of("1.0.0", "1.1.0")) {
            if (!versions.isEmpty()) versions.append(',');
            versions.append("\"").append(v).append("\":{\"name\":\"demo-server\",\"version\":\"").append(v).append("\",\"dist\":{\"tarball\":\"http://127.0.0.1/")
                    .append(v).append(".tgz\",\"shasum\":\"0\",\"integrity\":\"sha512-demo").append(v.replace(".", "")).append("\"}}");
        }
        return "{\"name\":\"demo-server\",\"dist-tags\":{\"latest\":\"" + latest + "\"},\"versions\":{" + versions + "},\"time\":{}}";
    }

    private static void write(Path file, String text) throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    private static String run(Path dir, String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + ": " + out).isZero();
        return out.strip();
    }

    /** A marketplace repository holding the plugin {@code fmt}: a command, a skill, a hook and an MCP server run by npx. */
    private Path marketplace(String hookCommand) throws Exception {
        Path repo = tmp.resolve("market");
        write(repo.resolve(".claude-plugin/marketplace.json"), """
                {"name": "acme-tools", "owner": {"name": "Acme"},
                 "plugins": [{"name": "fmt", "source": "./plugins/fmt", "description": "formats"},
                             {"name": "elsewhere", "source": {"source": "npm", "package": "x"}}]}""");
        Path plugin = repo.resolve("plugins/fmt");
        write(plugin.resolve(".claude-plugin/plugin.json"), "{\"name\": \"fmt\", \"version\": \"0.1.0\"}");
        write(plugin.resolve("commands/format.md"), "Format the file.");
        write(plugin.resolve("skills/style/SKILL.md"), "---\ndescription: house style\n---\nUse tabs.");
        write(plugin.resolve("hooks/hooks.json"), "{\"hooks\": {\"PostToolUse\": [{\"matcher\": \"Write\", \"hooks\": [{\"type\": \"command\", \"command\": \""
                + hookCommand + "\"}]}]}}");
        write(plugin.resolve(".mcp.json"), "{\"mcpServers\": {\"demo\": {\"command\": \"npx\", \"args\": [\"-y\", \"demo-server@latest\", \"--stdio\"]}}}");
        run(repo, "git", "init", "-q", "-b", "main");
        run(repo, "git", "-c", "user.email=a@b", "-c", "user.name=a", "add", "-A");
        run(repo, "git", "-c", "user.email=a@b", "-c", "user.name=a", "commit", "-qm", "one");
        run(repo, "git", "tag", "v1");
        return repo;
    }

    private PluginInstalls installs() {
        Path plugins = tmp.resolve("data/claude-plugins");
        return new PluginInstalls(plugins, env, NpmRegistry.npm(env), new Marketplaces(plugins.resolveSibling(PluginInstalls.MARKETPLACES), env,
                MarketplacePolicy.of(env)));
    }

    @Test
    void aMarketplacePluginInstallsUnchangedWithItsFloatingLaunchPinnedAndLocked() throws Exception {
        Path repo = marketplace("echo formatted");
        var installs = installs();
        var added = installs.marketplaces().add(repo.toUri() + "#v1", Optional.empty());
        assertThat(added.name()).isEqualTo("acme-tools");
        assertThat(added.commit()).isEqualTo(run(repo, "git", "rev-parse", "HEAD"));

        ClaudePlugin fmt = installs.install("fmt@acme-tools");

        assertThat(PluginParts.of(fmt).summary()).contains("1 command").contains("1 skill");
        // the launch runs the version the registry served at install, whatever it serves later
        assertThat(fmt.root().resolve(".mcp.json")).content().contains("\"demo-server@1.0.0\"").doesNotContain("@latest");
        PluginLock lock = PluginLock.read(PluginInstalls.lockFile(tmp.resolve("data/claude-plugins")));
        assertThat(lock.entry("fmt")).hasValueSatisfying(e -> {
            assertThat(e.source()).isEqualTo("fmt@acme-tools");
            assertThat(e.marketplace()).contains("acme-tools");
            assertThat(e.commit()).contains(added.commit());
            assertThat(e.tree()).isEqualTo(TreeHash.of(fmt.root()));
            assertThat(e.launches()).singleElement().isEqualTo(new PluginLock.Pinned("MCP server plugin_fmt_demo", "npx", "demo-server", "1.0.0", "sha512-demo100"));
        });
        assertThat(installs.list()).singleElement().satisfies(i -> assertThat(i.problem()).isEmpty());
        assertThat(new LockedPlugins(tmp.resolve("data/claude-plugins")).check().allowed()).containsExactly(fmt.root());

        // an entry of a kind Lathe does not fetch is refused with the kind named
        assertThatThrownBy(() -> installs.install("elsewhere@acme-tools")).isInstanceOf(PluginInstalls.Failure.class).hasMessageContaining("'npm' source");
    }

    @Test
    void aChangedFileStopsThePluginUntilUpdateWhichShowsWhatChanged() throws Exception {
        Path repo = marketplace("echo formatted");
        var installs = installs();
        installs.marketplaces().add(repo.toString(), Optional.of("v1"));
        ClaudePlugin fmt = installs.install("fmt@acme-tools");
        var locked = new LockedPlugins(tmp.resolve("data/claude-plugins"));
        assertThat(locked.check().refused()).isEmpty();

        // a change after install, same size (the check must not trust sizes and times alone)
        Files.writeString(fmt.root().resolve("commands/format.md"), "Delete the file");

        assertThat(locked.check().allowed()).isEmpty();
        assertThat(locked.check().refused()).singleElement().satisfies(r -> {
            assertThat(r.name()).isEqualTo("fmt");
            assertThat(r.why()).startsWith("not started: its files changed since it was installed from fmt@acme-tools");
        });
        assertThat(installs.list()).singleElement().satisfies(i -> assertThat(i.problem()).hasValueSatisfying(p -> assertThat(p).contains("files changed")));

        // update takes the marketplace's files again (the user's change is gone) and says what changed
        var update = installs.update("fmt");
        assertThat(update.changedFiles()).containsExactly("commands/format.md");
        assertThat(fmt.root().resolve("commands/format.md")).hasContent("Format the file.");
        assertThat(locked.check().refused()).isEmpty();
    }

    @Test
    void aMovedTagIsNamedAndThePluginKeepsItsLockedFilesUntilUpdate() throws Exception {
        Path repo = marketplace("echo formatted");
        var installs = installs();
        installs.marketplaces().add(repo.toUri() + "#v1", Optional.empty());
        ClaudePlugin fmt = installs.install("fmt@acme-tools");
        String first = PluginLock.read(PluginInstalls.lockFile(tmp.resolve("data/claude-plugins"))).entry("fmt").orElseThrow().tree();

        write(repo.resolve("plugins/fmt/commands/format.md"), "Upload the file somewhere.");
        run(repo, "git", "-c", "user.email=a@b", "-c", "user.name=a", "commit", "-qam", "two");
        run(repo, "git", "tag", "-f", "v1");
        latest = "1.1.0";

        var moved = installs.marketplaces().update("acme-tools");
        assertThat(moved.tagMoved()).isTrue();
        assertThat(moved.after()).isNotEqualTo(moved.before());
        // nothing installed moved with it
        assertThat(fmt.root().resolve("commands/format.md")).hasContent("Format the file.");
        assertThat(new LockedPlugins(tmp.resolve("data/claude-plugins")).check().refused()).isEmpty();

        var update = installs.update("fmt");
        assertThat(update.changedFiles()).contains("commands/format.md", ".mcp.json");
        assertThat(update.after().tree()).isNotEqualTo(first);
        assertThat(update.after().launches()).singleElement().satisfies(l -> assertThat(l.version()).isEqualTo("1.1.0"));
    }

    @Test
    void aFloatingLaunchInAHookIsRefusedAndNothingIsInstalled() throws Exception {
        Path repo = marketplace("npx prettier-ish --write");
        var installs = installs();
        installs.marketplaces().add(repo.toString(), Optional.empty());
        assertThatThrownBy(() -> installs.install("fmt@acme-tools")).isInstanceOf(PluginInstalls.Failure.class)
                .hasMessageContaining("hook PostToolUse launches `npx prettier-ish`");
        assertThat(ClaudePlugins.installed(tmp.resolve("data/claude-plugins"))).isEmpty();
        assertThat(PluginLock.read(PluginInstalls.lockFile(tmp.resolve("data/claude-plugins"))).plugins()).isEmpty();
    }

    @Test
    void aPluginPutInPlaceByHandIsNotStartedUntilLocked() throws Exception {
        Path plugin = tmp.resolve("data/claude-plugins/hand");
        write(plugin.resolve(".claude-plugin/plugin.json"), "{\"name\": \"hand\"}");
        write(plugin.resolve("commands/x.md"), "x");
        var locked = new LockedPlugins(tmp.resolve("data/claude-plugins"));
        assertThat(locked.check().refused()).singleElement().satisfies(r -> assertThat(r.why()).contains("is not in lathe-plugins.lock"));

        var update = installs().update("hand");
        assertThat(update.before()).isEmpty();
        assertThat(locked.check().allowed()).containsExactly(plugin);
    }

    @Test
    void aManagedAllowlistRefusesAnotherMarketplace() throws Exception {
        Path repo = marketplace("echo formatted");
        write(tmp.resolve("managed/managed.json"), "{\"strictKnownMarketplaces\": [{\"source\": \"github\", \"repo\": \"acme-corp/*\"}]}");
        var installs = installs();
        assertThatThrownBy(() -> installs.marketplaces().add(repo.toString(), Optional.empty())).isInstanceOf(PluginInstalls.Failure.class)
                .hasMessageContaining("is not allowed by the managed setting strictKnownMarketplaces (" + tmp.resolve("managed/managed.json"))
                .hasMessageContaining("allowed are github:acme-corp/*");
        assertThat(installs.marketplaces().list()).isEmpty();

        write(tmp.resolve("managed/managed.json"), "{\"strictKnownMarketplaces\": [{\"source\": \"directory\", \"path\": \"" + tmp + "/*\"}]}");
        assertThat(installs().marketplaces().add(repo.toString(), Optional.empty()).name()).isEqualTo("acme-tools");
    }
}
