package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code lathe doctor} run in process on a fresh set of XDG folders and a real project folder: the real Java, git,
 * ripgrep and bubblewrap of this machine, the real configuration loader and a real {@code server.json}.
 */
class DoctorCommandTest {
    static final String KEY = "sk-doctor-secret-7f3a";

    @TempDir Path home;
    Path project;
    final Map<String, String> env = new HashMap<>();

    record Run(int exit, List<String> lines) {
        String line(String check) {
            return lines.stream().filter(l -> l.matches("(ok|warn|fail) +" + java.util.regex.Pattern.quote(check) + "  .*")).findFirst()
                    .orElseThrow(() -> new AssertionError("no " + check + " line in " + lines));
        }
    }

    @BeforeEach
    void freshFolders() throws Exception {
        project = Files.createDirectories(home.resolve("project"));
        env.put("PATH", System.getenv("PATH"));
        env.put("HOME", home.toString());
        for (String kind : List.of("DATA", "STATE", "CONFIG", "CACHE")) env.put("XDG_" + kind + "_HOME", home.resolve(kind.toLowerCase()).toString());
        env.put("LATHE_DISABLE_MODELS_FETCH", "1");
        env.put("LATHE_CONFIG_CONTENT", "{\"model\": \"fake/fake-model\", \"provider\": {\"fake\": {\"protocol\": \"openai-chat\", \"baseUrl\":"
                + " \"http://127.0.0.1:9/v1\", \"apiKey\": \"" + KEY + "\", \"models\": {\"fake-model\": {\"context\": 100000, \"output\": 4096}}}}}");
    }

    private Run doctor(String... args) {
        var out = new StringWriter();
        int exit = new CommandLine(new DoctorCommand(env)).setOut(new PrintWriter(out)).execute(args);
        return new Run(exit, out.toString().lines().toList());
    }

    /** Whether bubblewrap works here, found out apart from Lathe's own probe. */
    private static boolean bubblewrapWorks() throws Exception {
        try {
            Process p = new ProcessBuilder("bwrap", "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--unshare-net", "--unshare-pid", "true")
                    .redirectErrorStream(true).start();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    @Test
    void theFirstLineSaysWhichCopyAnswersAndHowItWasInstalled() {
        Path home = this.home.resolve(".local/lib/lathe/0.2.0");
        var out = new StringWriter();
        var installed = new dev.lathe.app.release.Installation.Script(home, this.home.resolve(".local"));
        new CommandLine(new DoctorCommand(env, installed)).setOut(new PrintWriter(out)).execute("--dir", project.toString());
        var checkout = doctor("--dir", project.toString());

        assertThat(out.toString().lines().findFirst().orElseThrow()).matches("ok +lathe +" + java.util.regex.Pattern.quote(dev.lathe.protocol.Version.current()
                + ", release archive at " + home + " (install.sh, prefix " + this.home.resolve(".local") + ")"));
        // these tests run from the checkout: that is what the command itself says
        assertThat(checkout.lines().getFirst()).startsWith("ok").contains("checkout at ").endsWith("(bin/lathe)");
    }

    @Test
    void aHealthySetUpPassesEveryCheckAndSaysTheSandboxRuns() throws Exception {
        Run run = doctor("--dir", project.toString());

        assertThat(run.exit()).as(String.join("\n", run.lines())).isZero();
        assertThat(run.line("java")).startsWith("ok").contains("Java " + Runtime.version());
        assertThat(run.line("git")).startsWith("ok").contains("git version");
        assertThat(run.line("config")).startsWith("ok").contains("LATHE_CONFIG_CONTENT");
        if (bubblewrapWorks()) {
            assertThat(run.line("bubblewrap")).startsWith("ok").contains("works here");
            assertThat(run.line("sandbox")).startsWith("ok ").contains("auto (network off): commands run sandboxed with bubblewrap in " + project.toRealPath());
        } else {
            assertThat(run.line("sandbox")).startsWith("warn").contains("commands run UNSANDBOXED").contains("; fix: ");
        }
        assertThat(run.line("model")).startsWith("ok").contains("fake/fake-model (openai-chat at http://127.0.0.1:9/v1, context 100000, output 4096)");
        assertThat(run.line("provider fake")).startsWith("ok").contains("key in the configuration");
        assertThat(run.line("server")).startsWith("ok").contains("no server is running");
        assertThat(String.join("\n", run.lines())).doesNotContain(KEY);
    }

    /** Names longer than ten characters ("config file", "provider fake") no longer push their line's detail out of line. */
    @Test
    void everyDetailStartsInOneColumnWhateverTheNamesLengths() {
        env.put("LATHE_CONFIG_CONTENT", env.get("LATHE_CONFIG_CONTENT").replace("\"fake\"", "\"a-provider-with-a-long-name\"")
                .replace("fake/fake-model", "a-provider-with-a-long-name/fake-model"));
        List<String> names = new java.util.ArrayList<>();
        var out = new StringWriter();
        new CommandLine(new DoctorCommand(env)).setOut(new PrintWriter(out)).execute("--dir", project.toString(), "--format", "json");
        out.toString().lines().forEach(l -> names.add(JsonMapper.builder().build().readTree(l).get("check").asString()));
        Run run = doctor("--dir", project.toString());

        assertThat(names).contains("provider a-provider-with-a-long-name");
        assertThat(run.lines()).hasSameSizeAs(names);
        List<Integer> detailColumns = new java.util.ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            String line = run.lines().get(i);
            int afterName = line.indexOf(names.get(i), 4) + names.get(i).length();
            int detail = afterName;
            while (detail < line.length() && line.charAt(detail) == ' ') detail++;
            assertThat(detail - afterName).as(line).isGreaterThanOrEqualTo(2);
            detailColumns.add(detail);
        }
        assertThat(detailColumns).as(String.join("\n", run.lines())).containsOnly(detailColumns.getFirst());
        assertThat(detailColumns.getFirst()).isEqualTo("warn  ".length() + "provider a-provider-with-a-long-name".length() + 2);
    }

    @Test
    void sandboxOffIsReportedAsOff() {
        env.put("LATHE_CONFIG_CONTENT", "{\"sandbox\": \"off\"}");

        Run run = doctor("--dir", project.toString());

        assertThat(run.line("sandbox")).startsWith("ok").contains("off (network off): commands run unsandboxed, as configured").contains("a command may write anywhere you can");
        assertThat(run.line("model")).startsWith("warn").contains("no default model").contains("; fix: set \"model\"");
        assertThat(run.exit()).isZero();
    }

    @Test
    void aBrokenConfigFailsNamingItsFileAndLineAndExitsOne() throws Exception {
        Path file = project.resolve("lathe.json");
        Files.writeString(file, "{\n  \"model\": \"fake/fake-model\",\n  \"sandbx\": \"on\"\n}\n");

        Run run = doctor("--dir", project.toString());

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.line("config")).startsWith("fail").contains(file.toRealPath().toString()).contains("sandbx").contains("; fix: ");
        assertThat(run.line("sandbox")).startsWith("warn").contains("not checked");
    }

    /** Issue 82: a mistyped action under {@code keybinds} passed the doctor; only the terminal UI named it, at its start. */
    @Test
    void aKeybindingOfNoActionIsNamedWithItsFileAndLine() throws Exception {
        Path file = Files.createDirectories(home.resolve("config/lathe")).resolve("lathe.json");
        Files.writeString(file, "{\n  \"keybinds\": {\n    \"sesions\": \"ctrl+o\"\n  }\n}\n");

        Run run = doctor("--dir", project.toString());

        assertThat(run.exit()).as(String.join("\n", run.lines())).isZero();
        assertThat(run.line("terminal ui")).startsWith("warn").contains(file + ":3: keybinds.sesions: unknown action; did you mean 'sessions'?")
                .contains("; fix: ");
        assertThat(run.lines().indexOf(run.line("terminal ui"))).as("beside the configuration's own check")
                .isEqualTo(run.lines().indexOf(run.line("config")) + 1);

        Files.writeString(file, "{\"keybinds\": {\"sessions\": \"ctrl+s\"}}");
        assertThat(doctor("--dir", project.toString()).line("terminal ui")).startsWith("ok");
    }

    @Test
    void everyConfigFileFoundIsListedWithWhetherItParses() throws Exception {
        Path global = Files.createDirectories(home.resolve("config/lathe")).resolve("lathe.json");
        Files.writeString(global, "// mine\n{\"snapshot\": true}\n");
        Path broken = Files.createDirectories(project.resolve(".lathe")).resolve("lathe.json");
        Files.writeString(broken, "{\n  \"model\": \"fake/fake-model\",\n  \"model\": \n");

        Run run = doctor("--dir", project.toString());

        List<String> files = run.lines().stream().filter(l -> l.matches("(ok|warn|fail) +config file  .*")).toList();
        assertThat(files).hasSize(3);
        assertThat(files.get(0)).startsWith("ok").contains(global + ": parses");
        assertThat(files.get(1)).startsWith("fail").contains(broken.toRealPath() + ":").contains("invalid JSON").contains("; fix: ");
        assertThat(files.get(2)).startsWith("ok").contains("LATHE_CONFIG_CONTENT: parses");
        assertThat(run.exit()).isEqualTo(1);
    }

    @Test
    void theMemoryLineNamesEveryInstructionFileThatReachesTheModelAndWhyAndWhatIsNotRead() throws Exception {
        Files.createDirectories(project.resolve(".git"));
        Files.createDirectories(project.resolve("docs"));
        Files.createDirectories(project.resolve(".claude/rules"));
        Files.createDirectories(home.resolve(".claude"));
        Files.writeString(home.resolve(".claude/CLAUDE.md"), "Mine.\n");
        Files.writeString(home.resolve("notes.md"), "Outside the project.\n");
        Files.writeString(project.resolve("AGENTS.md"), "Shared.\n");
        Files.writeString(project.resolve("CLAUDE.md"), "See @docs/style.md\n@gone.md\n@~/notes.md\n");
        Files.writeString(project.resolve("docs/style.md"), "Tabs.\n");
        Files.writeString(project.resolve(".claude/rules/ts.md"), "---\npaths: src/**/*.ts\n---\nStrict.\n");

        Run untrusted = doctor("--dir", project.toString());
        assertThat(untrusted.line("memory")).startsWith("warn").contains("in the prompt: ~/.claude/CLAUDE.md (Claude Code's user memory), AGENTS.md"
                + " (the instructions of the project root), CLAUDE.md (Claude Code's project memory of the project root), docs/style.md (imported by"
                + " CLAUDE.md:1)").contains("joining when a matching file is read or edited: .claude/rules/ts.md (src/**/*.ts)")
                .contains("not read: CLAUDE.md:2: @gone.md: no such file; CLAUDE.md:3: @~/notes.md: not read").doesNotContain("notes.md (imported");
        Files.createDirectories(project.resolve(".agents/skills/pdf-tools"));
        Files.createDirectories(project.resolve(".agents/skills/Bad"));
        Files.writeString(project.resolve(".agents/skills/pdf-tools/SKILL.md"), "---\nname: pdf-tools\ndescription: Read PDFs\n---\nUse pdftotext.\n");
        Files.writeString(project.resolve(".agents/skills/Bad/SKILL.md"), "---\ndescription: x\nname: Bad\n---\nbody\n");
        assertThat(doctor("--dir", project.toString()).line("skills")).startsWith("warn").contains("offered: pdf-tools")
                .contains(project.resolve(".agents/skills/Bad/SKILL.md") + ": line 3: name: 'Bad' must be lowercase letters");
        assertThat(new CommandLine(new TrustCommand(env)).execute("--dir", project.toString())).isZero();
        // trusted, an import from outside the project still passes the external_directory rule as the read tool does (issue 79)
        String outside = home.resolve("notes.md").toRealPath().toString();
        assertThat(doctor("--dir", project.toString()).line("memory")).contains("CLAUDE.md:3: @~/notes.md: not read: it leads to " + outside)
                .contains("\"external_directory\": {\"" + outside + "\": \"allow\"}").doesNotContain("notes.md (imported");
        Files.createDirectories(home.resolve("config/lathe"));
        Files.writeString(home.resolve("config/lathe/lathe.json"), "{\"permission\": {\"external_directory\": {\"" + outside + "\": \"allow\"}}}");
        assertThat(doctor("--dir", project.toString()).line("memory")).contains("~/notes.md (imported by CLAUDE.md:3)")
                .doesNotContain("CLAUDE.md:3: @~/notes.md");
    }

    @Test
    void anUntrustedFolderSaysWhatItSkipsUntilItIsTrusted() throws Exception {
        Files.writeString(project.resolve("lathe.json"), "{\"provider\": {\"corp\": {\"baseUrl\": \"http://127.0.0.1:9/corp\"}}}");
        Files.createDirectories(project.resolve(".lathe/commands"));
        Files.writeString(project.resolve(".lathe/commands/st.md"), "Status: !`git status`");

        Run untrusted = doctor("--dir", project.toString());

        assertThat(untrusted.line("trust")).startsWith("warn").contains("not trusted: skipped 1 provider base URL from lathe.json")
                .contains("skipped 1 !`cmd` shell command in a custom command from .lathe/commands").contains("; fix: ").contains("lathe trust --dir");
        assertThat(untrusted.exit()).isZero();

        assertThat(new CommandLine(new TrustCommand(env)).execute("--dir", project.toString())).isZero();
        assertThat(doctor("--dir", project.toString()).line("trust")).startsWith("ok").contains("trusted");
    }

    @Test
    void aKeyFromTheEnvironmentIsNamedByItsVariableNeverShown() {
        env.put("ANTHROPIC_API_KEY", KEY);
        env.put("LATHE_CONFIG_CONTENT", "{\"model\": \"anthropic/claude-sonnet-4-5\"}");

        Run run = doctor("--dir", project.toString());

        assertThat(run.line("provider anthropic")).startsWith("ok").contains("key from $ANTHROPIC_API_KEY");
        assertThat(run.line("model")).startsWith("ok").contains("anthropic/claude-sonnet-4-5 (anthropic-messages at https://");
        assertThat(String.join("\n", run.lines())).doesNotContain(KEY);
    }

    @Test
    void aModelWithoutAKeyFails() {
        env.put("LATHE_CONFIG_CONTENT", "{\"model\": \"anthropic/claude-sonnet-4-5\"}");

        Run run = doctor("--dir", project.toString());

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.line("model")).startsWith("fail").contains("no key for provider 'anthropic'");
        assertThat(run.line("providers")).startsWith("warn").contains("none has a key");
    }

    @Test
    void theServerLineReadsServerJsonAndChecksItsPid() throws Exception {
        Path serverJson = Files.createDirectories(home.resolve("state/lathe")).resolve("server.json");
        long dead = new ProcessBuilder("true").start().onExit().get().pid();
        Files.writeString(serverJson, "{\"url\": \"http://127.0.0.1:1\", \"token\": \"t\", \"pid\": " + dead + ", \"version\": \"0\"}");
        assertThat(doctor("--dir", project.toString()).line("server")).startsWith("warn").contains("names pid " + dead + ", which is not running")
                .contains("; fix: lathe stop");

        long alive = ProcessHandle.current().pid();
        Files.writeString(serverJson, "{\"url\": \"http://127.0.0.1:1\", \"token\": \"t\", \"pid\": " + alive + ", \"version\": \""
                + dev.lathe.protocol.Version.current() + "\"}");
        assertThat(doctor("--dir", project.toString()).line("server")).startsWith("ok").contains("running: pid " + alive + ", http://127.0.0.1:1");
    }

    @Test
    void aNodeRunningPostgreSQLIsNotReportedAsSQLite() throws Exception {
        // issue 53: the database line named the SQLite file while the running node kept its sessions in PostgreSQL;
        // the node says its store in its public GET /health (DESIGN §18), here a stand-in on loopback
        var node = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        String[] store = {"postgresql"};
        node.createContext("/health", exchange -> {
            byte[] body = ("{\"healthy\": true, \"ok\": true, \"node\": \"n1\", \"store\": \"" + store[0] + "\"}").getBytes();
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        node.start();
        try {
            Path serverJson = Files.createDirectories(home.resolve("state/lathe")).resolve("server.json");
            Files.writeString(serverJson, "{\"url\": \"http://127.0.0.1:" + node.getAddress().getPort() + "\", \"token\": \"t\", \"pid\": "
                    + ProcessHandle.current().pid() + ", \"version\": \"" + dev.lathe.protocol.Version.current() + "\"}");
            Run run = doctor("--dir", project.toString());
            assertThat(run.line("server")).startsWith("ok").contains("sessions in PostgreSQL");
            assertThat(run.line("database")).matches("ok +database +PostgreSQL: .*").contains("is not used for sessions");

            store[0] = "sqlite";
            Run local = doctor("--dir", project.toString());
            assertThat(local.line("database")).contains("lathe.db").doesNotContain("PostgreSQL");
            assertThat(local.line("server")).contains("sessions in SQLite");
        } finally {
            node.stop(0);
        }
    }

    @Test
    void aFileWithKeysLatheDoesNotReadIsNotCalledEveryKeyValid() throws Exception {
        // issue 53: "opencode.json: parses, every key valid" stood above "warn opencode keys Lathe does not read: theme"
        Files.writeString(project.resolve("opencode.json"), "{\"theme\": \"tokyonight\", \"instructions\": [\"a.md\"]}");
        Run run = doctor("--dir", project.toString());
        List<String> files = run.lines().stream().filter(l -> l.contains("config file") && l.contains("opencode.json")).toList();
        assertThat(files).singleElement().satisfies(l -> assertThat(l).startsWith("warn  config file").contains("keys Lathe does not read: theme")
                .doesNotContain("every key valid").contains("; fix: "));
        assertThat(run.exit()).isZero();
    }

    @Test
    void anUntrustedFolderNamesWhatItSkipsNotOnlyHowMany() throws Exception {
        // issue 53: the doctor said "skipped 1 MCP server" where /mcp shows the server
        Files.writeString(project.resolve(".mcp.json"), "{\"mcpServers\": {\"evil\": {\"command\": \"./evil.sh\"}}}");
        assertThat(doctor("--dir", project.toString()).line("trust")).startsWith("warn").contains("skipped 1 MCP server from .mcp.json: evil");
    }

    @Test
    void itIsACommandOfLatheAndAMissingFolderIsBadUsage() {
        assertThat(Main.execute("doctor", "--help")).isZero();
        assertThat(Main.execute("doctor", "--dir", home.resolve("missing").toString())).isEqualTo(2);
    }

    @Test
    void jsonIsOneObjectPerCheckPerLine() {
        Run text = doctor("--dir", project.toString());
        Run json = doctor("--dir", project.toString(), "--format", "json");

        var mapper = JsonMapper.builder().build();
        List<JsonNode> objects = json.lines().stream().map(mapper::readTree).toList();
        assertThat(objects).hasSameSizeAs(text.lines());
        assertThat(objects).allSatisfy(o -> assertThat(o.path("status").asString()).isIn("ok", "warn", "fail"));
        assertThat(objects).extracting(o -> o.path("check").asString()).contains("java", "git", "ripgrep", "bubblewrap", "config", "sandbox", "model",
                "server");
        assertThat(objects).filteredOn(o -> o.path("status").asString().equals("ok")).allSatisfy(o -> assertThat(o.has("fix")).isFalse());
    }
}
