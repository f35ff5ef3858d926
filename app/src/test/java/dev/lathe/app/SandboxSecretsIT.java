package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.TempWorkspace;
import dev.lathe.testkit.Turn;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Lathe's own secrets are not readable from the sandbox by any path: the provider keys saved in {@code auth.json}, the
 * server's token in {@code server.json}, the audit chain's key. The user's folders live outside {@code /tmp} here (as
 * they do for a user): under {@code /tmp} the sandbox's private temporary folder would hide them by accident and the
 * test would prove nothing. Nor does the project's listing show stand-ins for the config files it does not have (issue 71,
 * minor 2, decision 531): a model reading {@code .mcp.json} finds none, not a folder.
 */
class SandboxSecretsIT {
    static final String SAVED = "sk-saved-key-5be0c1f7";

    @Test
    void aSandboxedCommandReadsNoneOfLathesSecrets() throws Exception {
        Path base = Files.createDirectories(TempWorkspace.outsideTmp(Path.of("target")));
        Path home = Files.createTempDirectory(base, "secrets-home-");
        try (var llm = FakeLlm.start(); var ws = TempWorkspace.create()) {
            Path data = home.resolve("data/lathe");
            Files.createDirectories(data);
            Files.writeString(data.resolve("auth.json"), "{\"other\": {\"type\": \"api\", \"key\": \"" + SAVED + "\"}}");
            String script = "cat \\\"$XDG_DATA_HOME/lathe/auth.json\\\" \\\"$XDG_STATE_HOME/lathe/server.json\\\" \\\"$XDG_DATA_HOME/lathe/audit/chain.key\\\" 2>&1"
                    + " | od -c | head -c 4000; echo; echo sandboxed-command-ran; ls -la \\\"$XDG_DATA_HOME/lathe\\\";"
                    // issue 71, minor 2 (decision 531): the project's listing shows no stand-ins for the config it lacks
                    + " echo project-listing; ls -la; cat .mcp.json 2>&1";
            llm.enqueue(Turn.of(Step.toolCall("c1", "bash", "{\"command\":\"" + script + "\"}")));
            llm.enqueue(Turn.of(Step.text("done")));
            String config = "{\"model\": \"fake/m\", \"sandbox\": \"on\", \"provider\": {\"fake\": {\"protocol\": \"openai-chat\", \"baseUrl\": \""
                    + llm.baseUrl() + "\", \"apiKey\": \"k\", \"models\": {\"m\": {\"context\": 100000, \"output\": 4096}}}}}";
            var lathe = new Lathe(home, config);

            var run = lathe.run("run", "--dir", ws.path().toString(), "--allow-all", "read the secrets");

            assertThat(run.exit()).as(run.stderr()).isZero();
            String seen = llm.requests().get(1).toolResult("c1").orElseThrow();
            assertThat(seen).contains("sandboxed-command-ran");
            // the saved keys exist on the host, but read empty inside
            assertThat(data.resolve("auth.json")).content().contains(SAVED);
            assertThat(odLetters(seen)).doesNotContain("sk-saved").doesNotContain("token");
            String listing = seen.substring(seen.indexOf("project-listing"));
            assertThat(listing).doesNotContain(".claude").doesNotContain(".codex").doesNotContain(".opencode")
                    .contains("cat: .mcp.json: No such file or directory").doesNotContain("Is a directory");
            assertThat(listing.lines().filter(l -> l.endsWith(" .mcp.json"))).isEmpty();
        }
    }

    /** The characters {@code od -c} printed, joined (it spaces them out, so a plain search would miss a secret). */
    private static String odLetters(String od) {
        StringBuilder out = new StringBuilder();
        for (String line : od.split("\n")) {
            String[] cells = line.trim().split("\\s+");
            if (cells.length < 2 || !cells[0].matches("[0-7]{7}")) continue;
            for (int i = 1; i < cells.length; i++) out.append(cells[i].length() == 1 ? cells[i] : "?");
        }
        return out.toString();
    }
}
