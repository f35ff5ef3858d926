package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code lathe debug permission} as a rule writer or a script runs it: NDJSON in, one NDJSON answer per line out. */
class DebugPermissionIT {
    static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir Path tmp;

    @Test
    void everyRequestGetsOneAnswerInOrderNamingTheSubCommandsAndTheRule() throws Exception {
        Path project = Files.createDirectories(tmp.resolve("project"));
        Files.writeString(project.resolve("lathe.json"), """
                {"permission": {"bash": {"*": "ask", "git status *": "allow", "cat *": "allow", "rm *": "deny"},
                                "read": {"*": "allow", ".env": "deny"}, "edit": {"*": "ask", "src/**": "allow"}}}
                """);
        var lathe = new Lathe(tmp, "{}");
        // the project's allow rules apply once its folder is trusted (DESIGN §24)
        assertThat(lathe.run("trust", "--dir", project.toString()).exit()).isZero();
        String input = String.join("\n",
                "{\"tool\":\"bash\",\"command\":\"git status --short\"}",
                "{\"tool\":\"bash\",\"command\":\"cat .env\"}",
                "{\"tool\":\"bash\",\"command\":\"git status && bash -c 'rm -rf build'\"}",
                "not json",
                "{\"tool\":\"bash\",\"command\":\"echo hi > /etc/motd\"}",
                "{\"tool\":\"edit\",\"path\":\"src/Main.java\"}",
                "{\"tool\":\"read\",\"path\":\"config/.env\"}",
                "{\"tool\":\"webfetch\",\"url\":\"https://example.com\"}") + "\n";

        var r = lathe.runWithInput(input, "debug", "permission", "--dir", project.toString());

        assertThat(r.exit()).as(r.stderr()).isZero();
        List<JsonNode> out = r.stdout().lines().map(JSON::readTree).toList();
        assertThat(out).hasSize(8);
        assertThat(out.get(0).path("decision").asString()).isEqualTo("allow");
        assertThat(out.get(0).path("rule").asString()).isEqualTo("bash: git status *");
        assertThat(out.get(0).path("layer").asString()).isEqualTo("project");
        assertThat(out.get(0).path("source").asString()).isEqualTo(project.resolve("lathe.json").toString());
        assertThat(out.get(1).path("decision").asString()).isEqualTo("deny");
        assertThat(out.get(1).path("rule").asString()).isEqualTo("read: .env");
        assertThat(out.get(2).path("decision").asString()).isEqualTo("deny");
        assertThat(out.get(2).path("commands").valueStream().map(JsonNode::asString).toList()).contains("git status", "rm -rf build");
        assertThat(out.get(3).has("error")).isTrue();
        assertThat(out.get(4).path("decision").asString()).isNotEqualTo("allow");
        assertThat(out.get(5).path("decision").asString()).isEqualTo("allow");
        assertThat(out.get(6).path("decision").asString()).isEqualTo("deny");
        assertThat(out.get(7).path("decision").asString()).isEqualTo("ask");
    }

    @Test
    void theBypassClassesShowTheirReasons() throws Exception {
        Path project = Files.createDirectories(tmp.resolve("project"));
        Files.writeString(project.resolve("lathe.json"), """
                {"permission": {"bash": {"*": "ask", "git diff *": "allow", "python3 -m unittest *": "allow", "cat *": "allow", "ls *": "allow"},
                                "read": {"*": "allow", ".env": "deny", "secrets/**": "deny"}, "external_directory": {"*": "ask"}}}
                """);
        Files.createDirectories(project.resolve("secrets"));
        Files.writeString(project.resolve("secrets/key"), "k");
        Files.createDirectories(tmp.resolve("outside"));
        Files.createSymbolicLink(project.resolve("out"), tmp.resolve("outside"));
        var lathe = new Lathe(tmp, "{}");
        // the project's allow rules apply once its folder is trusted (DESIGN §24)
        assertThat(lathe.run("trust", "--dir", project.toString()).exit()).isZero();
        String input = String.join("\n",
                "{\"tool\":\"bash\",\"command\":\"PYTHONPATH=/tmp python3 -m unittest\"}",
                "{\"tool\":\"bash\",\"command\":\"git diff --output=x.txt\"}",
                "{\"tool\":\"bash\",\"command\":\"git diff\\u0001\"}",
                "{\"tool\":\"bash\",\"command\":\"cat .ENV\"}",
                "{\"tool\":\"bash\",\"command\":\"ls secrets\"}",
                "{\"tool\":\"bash\",\"command\":\"ls out\"}") + "\n";

        var r = lathe.runWithInput(input, "debug", "permission", "--dir", project.toString());

        assertThat(r.exit()).as(r.stderr()).isZero();
        List<JsonNode> out = r.stdout().lines().map(JSON::readTree).toList();
        assertThat(out).hasSize(6);
        assertThat(out.get(0).path("decision").asString()).isEqualTo("ask");
        assertThat(out.get(0).path("reason").asString()).isEqualTo("environment prefix PYTHONPATH");
        assertThat(out.get(0).path("layer").asString()).isEqualTo("analysis");
        assertThat(out.get(0).path("source").asString()).isEqualTo("environment prefix PYTHONPATH");
        assertThat(out.get(1).path("decision").asString()).isEqualTo("ask");
        assertThat(out.get(1).path("reason").asString()).isEqualTo("git option --output writes a file");
        assertThat(out.get(2).path("decision").asString()).isEqualTo("ask");
        assertThat(out.get(2).path("reason").asString()).isEqualTo("control character U+0001");
        assertThat(out.get(3).path("decision").asString()).isEqualTo("deny");
        assertThat(out.get(3).path("rule").asString()).isEqualTo("read: .env");
        assertThat(out.get(4).path("decision").asString()).isEqualTo("deny");
        assertThat(out.get(4).path("rule").asString()).isEqualTo("read: secrets/**");
        assertThat(out.get(5).path("decision").asString()).isEqualTo("ask");
        assertThat(out.get(5).path("reason").asString()).contains("outside the project");
    }

    @Test
    void aMissingFolderIsBadUsage() throws Exception {
        var r = new Lathe(tmp, "{}").runWithInput("", "debug", "permission", "--dir", tmp.resolve("nope").toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.stderr()).contains("not a folder");
    }
}
