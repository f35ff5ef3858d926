package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code lathe permissions} names every rule a folder's files configure with the file that wrote it, and shows an
 * untrusted folder's allow rules as withheld until {@code lathe trust}, then as applied (DESIGN §24, issue 52).
 */
class PermissionsRulesIT {
    static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir Path tmp;

    @Test
    void eachRuleNamesItsFileAndAnUntrustedAllowWaitsForTrust() throws Exception {
        Path project = Files.createDirectories(tmp.resolve("project"));
        Path claude = Files.createDirectories(project.resolve(".claude")).resolve("settings.json");
        Files.writeString(claude, """
                {"permissions": {"deny": ["Read(./secret.txt)"], "allow": ["Bash(ls:*)"]}}
                """);
        Path latheJson = project.resolve("lathe.json");
        Files.writeString(latheJson, """
                {"permission": {"webfetch": {"*": "ask"}}}
                """);
        var lathe = new Lathe(tmp, "{}");

        var before = lathe.run("permissions", "--dir", project.toString());
        assertThat(before.exit()).as(before.stderr()).isZero();
        assertThat(before.stderr()).contains("no remembered answers");
        assertThat(row(before.stdout(), "webfetch")).contains("ask", "applied", latheJson.toString());
        assertThat(row(before.stdout(), "secret.txt")).contains("read", "deny", "applied", claude.toString());
        assertThat(row(before.stdout(), "ls *")).contains("bash", "allow", "withheld until trust", claude.toString());

        List<JsonNode> rules = JSON.readTree(lathe.run("permissions", "--dir", project.toString(), "--rules", "--format", "json").stdout())
                .valueStream().toList();
        JsonNode ls = rules.stream().filter(r -> r.path("pattern").asString().equals("ls *")).findFirst().orElseThrow();
        assertThat(ls.path("permission").asString()).isEqualTo("bash");
        assertThat(ls.path("action").asString()).isEqualTo("allow");
        assertThat(ls.path("state").asString()).isEqualTo("withheld");
        assertThat(ls.path("source").asString()).isEqualTo(claude.toString());
        assertThat(rules).anySatisfy(r -> {
            assertThat(r.path("permission").asString()).isEqualTo("webfetch");
            assertThat(r.path("source").asString()).isEqualTo(latheJson.toString());
        });
        // the approvals' JSON is still the bare GET /approvals array scripts read
        assertThat(JSON.readTree(lathe.run("permissions", "--dir", project.toString(), "--format", "json").stdout()).isArray()).isTrue();

        assertThat(lathe.run("trust", "--dir", project.toString()).exit()).isZero();
        var after = lathe.run("permissions", "--dir", project.toString());
        assertThat(after.exit()).as(after.stderr()).isZero();
        assertThat(row(after.stdout(), "ls *")).contains("bash", "allow", "applied", claude.toString()).doesNotContain("withheld");
        assertThat(row(after.stdout(), "secret.txt")).contains("deny", "applied");
    }

    private static String row(String listing, String containing) {
        return listing.lines().filter(l -> l.contains(containing)).findFirst()
                .orElseThrow(() -> new AssertionError("no row with '" + containing + "' in:\n" + listing));
    }
}
