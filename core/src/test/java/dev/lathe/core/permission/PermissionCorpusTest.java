package dev.lathe.core.permission;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@code permission-corpus.tsv} (expected decision, TAB, command) against a fixed rule set and a project laid out
 * in a temp folder, with a symlink inside the project pointing outside and a sibling {@code proj-other} for the
 * string-prefix trick. Every mismatch is reported with its line; a wrong allow is the worst kind and is listed first.
 */
class PermissionCorpusTest {
    @TempDir Path tmp;

    static Rule r(String perm, String pattern, String action) { return new Rule(perm, pattern, Action.parse(action)); }

    private List<Rule> rules(Path root) {
        return List.of(
                r("*", "*", "ask"),
                r("bash", "*", "ask"), r("bash", "git status *", "allow"), r("bash", "git log *", "allow"),
                r("bash", "git diff *", "allow"), r("bash", "ls *", "allow"), r("bash", "cat *", "allow"), r("bash", "echo *", "allow"),
                r("bash", "grep *", "allow"), r("bash", "rm *", "deny"), r("bash", "head *", "allow"), r("bash", "tail *", "allow"),
                r("bash", "wc *", "allow"), r("bash", "pwd", "allow"), r("bash", "cd *", "allow"), r("bash", "find *", "allow"),
                r("bash", "npm test *", "allow"), r("bash", "sed *", "allow"), r("bash", "sort *", "allow"), r("bash", "touch *", "allow"),
                r("bash", "mkdir *", "allow"), r("bash", "cp *", "allow"), r("bash", "mv *", "allow"), r("bash", "tee *", "allow"),
                r("bash", "./mvnw *", "allow"), r("bash", "git push *", "deny"), r("bash", "sudo *", "deny"), r("bash", "curl *", "allow"),
                r("bash", "jq *", "allow"), r("bash", "chmod *", "allow"), r("bash", "diff *", "allow"), r("bash", "true", "allow"),
                r("read", "*", "allow"), r("read", ".env", "deny"), r("read", "*.pem", "ask"), r("read", "secrets/**", "deny"),
                r("edit", "*", "ask"), r("edit", "src/**", "allow"), r("edit", "build/**", "allow"), r("edit", "src/generated/**", "deny"),
                r("external_directory", "*", "ask"), r("external_directory", root + "/shared/**", "allow"));
    }

    @Test
    void corpus() throws IOException {
        Path root = tmp.toRealPath();
        Path proj = Files.createDirectories(root.resolve("proj"));
        for (String f : List.of(".env", "src/Main.java", "src/.env", "secrets/key", "build/x", "README.md")) {
            Files.createDirectories(proj.resolve(f).getParent());
            Files.writeString(proj.resolve(f), "x");
        }
        Files.createDirectories(root.resolve("outside"));
        Files.writeString(root.resolve("outside/f"), "x");
        Files.createDirectories(root.resolve("proj-other"));
        Files.writeString(root.resolve("proj-other/f"), "x");
        Files.createDirectories(root.resolve("shared"));
        Files.writeString(root.resolve("shared/f"), "x");
        Path home = Files.createDirectories(root.resolve("home"));
        Files.createSymbolicLink(proj.resolve("link-out"), root.resolve("outside"));
        var decider = new PermissionDecider(new Ruleset(rules(root)), proj, home);

        List<String> wrongAllows = new ArrayList<>();
        List<String> others = new ArrayList<>();
        int cases = 0;
        try (InputStream in = getClass().getResourceAsStream("/permission-corpus.tsv")) {
            String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
            for (int i = 0; i < lines.length; i++) {
                String line = lines[i];
                if (line.isBlank() || line.startsWith("#")) continue;
                int tab = line.indexOf('\t');
                Action expected = Action.parse(line.substring(0, tab));
                String command = line.substring(tab + 1).replace("\\n", "\n").replace("@ROOT@", root.toString());
                Decision d = decider.bash(command, proj);
                cases++;
                if (d.action() == expected) continue;
                String report = "line " + (i + 1) + ": expected " + expected + " got " + d.action() + " [" + d.rule() + "; " + d.reason() + "] for: " + command;
                (d.action() == Action.ALLOW ? wrongAllows : others).add(report);
            }
        }
        assertThat(cases).isGreaterThanOrEqualTo(300);
        List<String> all = new ArrayList<>(wrongAllows);
        all.addAll(others);
        assertThat(all).as("%d wrong allows, %d other mismatches", wrongAllows.size(), others.size()).isEmpty();
    }
}
