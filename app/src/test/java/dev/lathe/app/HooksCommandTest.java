package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code lathe hooks} on real config files in fresh XDG folders: read here, and from a core standing for the daemon. */
class HooksCommandTest {
    @TempDir Path home;

    private Map<String, String> env() {
        return Map.of("XDG_CONFIG_HOME", home.resolve("config").toString(), "XDG_DATA_HOME", home.resolve("data").toString(),
                "XDG_STATE_HOME", home.resolve("state").toString(), "XDG_CACHE_HOME", home.resolve("cache").toString(),
                "HOME", home.toString(), "LATHE_DISABLE_MODELS_FETCH", "1");
    }

    private record Run(int exit, String out, String err) {}

    private static Run run(HooksCommand command, String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        int exit = new CommandLine(command).setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void listsTheFoldersHooksAndNamesAnUntrustedFoldersSkippedOnes() throws Exception {
        Path project = Files.createDirectories(home.resolve("proj"));
        String dir = project.toString();
        // before any hook is written: nothing on stdout, and the person is told so
        Run none = run(new HooksCommand(env(), d -> Optional.empty()), "--dir", dir);
        assertThat(none.exit()).isZero();
        assertThat(none.out()).isEmpty();
        assertThat(none.err()).isEqualTo("lathe: no hooks in effect in " + dir + "\n");
        Files.createDirectories(home.resolve("config/lathe"));
        Files.writeString(home.resolve("config/lathe/lathe.json"), """
                {"hooks": {"PostToolUse": [{"matcher": "edit|write", "hooks": [{"type": "command", "command": "fmt --quiet"}]}],
                           "Stop": [{"hooks": [{"type": "http", "url": "http://127.0.0.1:9/stop"}]}]}}
                """);
        Files.createDirectories(project.resolve(".claude"));
        Files.writeString(project.resolve(".claude/settings.json"), """
                {"hooks": {"PreToolUse": [{"matcher": "Bash", "hooks": [{"type": "command", "command": "./guard.sh"},
                                                                       {"type": "command", "command": "./log.sh"}]}]}}
                """);
        var noDaemon = new HooksCommand(env(), d -> Optional.empty());


        Run untrusted = run(noDaemon, "--dir", dir);
        assertThat(untrusted.exit()).as(untrusted.err()).isZero();
        String global = home.resolve("config/lathe/lathe.json").toString();
        assertThat(untrusted.out()).isEqualTo("PostToolUse\tedit|write\tcommand\tfmt --quiet\t" + global + "\n"
                + "Stop\t*\thttp\thttp://127.0.0.1:9/stop\t" + global + "\n");
        // one line for the file, as lathe run says it (how it counts is the config loader's: ConfigLoader, Withheld)
        assertThat(untrusted.err().lines().toList()).first().satisfies(l -> assertThat(l).startsWith("lathe: untrusted folder: skipped ")
                .contains(" from .claude/settings.json (run lathe trust to allow "));
        // and what each would run: the configured hooks are shown, not only counted
        assertThat(untrusted.err().lines().skip(1)).singleElement().satisfies(l -> assertThat(l)
                .startsWith("lathe:   withheld: .claude/settings.json hook PreToolUse Bash (runs code, sends data to a host): ").contains("./guard.sh").contains("./log.sh"));

        assertThat(new CommandLine(new TrustCommand(env())).execute("--dir", dir)).isZero();
        Run trusted = run(noDaemon, "--dir", dir);
        assertThat(trusted.err()).isEmpty();
        assertThat(trusted.out().lines()).containsExactlyInAnyOrder("PostToolUse\tedit|write\tcommand\tfmt --quiet\t" + global,
                "Stop\t*\thttp\thttp://127.0.0.1:9/stop\t" + global, "PreToolUse\tBash\tcommand\t./guard.sh\t.claude/settings.json",
                "PreToolUse\tBash\tcommand\t./log.sh\t.claude/settings.json");

        // a core in this process stands for the daemon: GET /hooks's answer, the same lines
        try (var core = dev.lathe.server.LatheServer.embedded(env())) {
            boolean[] asked = {false};
            Run live = run(new HooksCommand(env(), d -> {
                asked[0] = true;
                return Optional.of(core);
            }), "--dir", dir);
            assertThat(asked[0]).isTrue();
            assertThat(live.exit()).as(live.err()).isZero();
            assertThat(live.out()).isEqualTo(trusted.out());
        }

        Files.writeString(project.resolve(".claude/settings.json"), "{\"hooks\": {\"PreToolUse\": [{\"hooks\": [{\"type\": \"nope\"}]}]}}");
        // changed since trust: withheld (and so not checked) until approved
        Run changed = run(noDaemon, "--dir", dir);
        assertThat(changed.exit()).as(changed.err()).isZero();
        assertThat(changed.err()).startsWith("lathe: changed since trust: skipped 1 hook from .claude/settings.json: PreToolUse")
                .contains("lathe:   withheld: .claude/settings.json hook PreToolUse (runs code, sends data to a host): {\"hooks\":[{\"type\":\"nope\"}]}");
        assertThat(new CommandLine(new TrustCommand(env())).execute("--dir", dir)).isZero();
        Run bad = run(noDaemon, "--dir", dir);
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).startsWith("lathe: ").contains(".claude/settings.json").contains("type");
    }

    @Test
    void aRunningDaemonAnswersOverHttp() throws Exception {
        Path project = Files.createDirectories(home.resolve("proj"));
        String dir = project.toRealPath().toString();
        Files.createDirectories(home.resolve("config/lathe"));
        Files.writeString(home.resolve("config/lathe/lathe.json"), """
                {"hooks": {"PreToolUse": [{"matcher": "bash", "hooks": [{"type": "command", "command": "./guard.sh", "timeout": 5}]}]}}
                """);
        Files.createDirectories(project.resolve(".claude"));
        Files.writeString(project.resolve(".claude/settings.json"), "{\"hooks\": {\"Stop\": [{\"hooks\": [{\"type\": \"command\", \"command\": \"x\"}]}]}}");
        var options = new dev.lathe.server.LatheServer.ServeOptions("127.0.0.1", Optional.empty(), dev.lathe.server.LatheServer.Mode.FOREGROUND,
                dev.lathe.server.LatheServer.Exposure.LOOPBACK_ONLY, Optional.empty());
        try (var daemon = dev.lathe.server.LatheServer.serve(env(), options)) {
            var endpoint = dev.lathe.client.ServerDiscovery.find(home.resolve("state/lathe/server.json")).orElseThrow();
            try (var client = dev.lathe.client.HttpLatheClient.connect(endpoint, Optional.of(dir))) {
                var listing = client.hooks(dir);
                assertThat(listing.hooks()).singleElement().isEqualTo(new dev.lathe.protocol.api.HookInfo("PreToolUse", "bash", "command", "./guard.sh",
                        home.resolve("config/lathe/lathe.json").toString()));
                assertThat(listing.skipped()).singleElement().satisfies(sk -> {
                    assertThat(sk.kind()).isEqualTo("hooks");
                    assertThat(sk.source()).isEqualTo(".claude/settings.json");
                });
            }
            Run run = run(new HooksCommand(env()), "--dir", dir);
            assertThat(run.exit()).as(run.err()).isZero();
            assertThat(run.out()).isEqualTo("PreToolUse\tbash\tcommand\t./guard.sh\t" + home.resolve("config/lathe/lathe.json") + "\n");
            assertThat(run.err()).startsWith("lathe: untrusted folder: skipped ").contains(".claude/settings.json");
        }
    }
}
