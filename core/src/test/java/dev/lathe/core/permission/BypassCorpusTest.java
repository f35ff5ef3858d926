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
 * Runs {@code permission-corpus-bypass.tsv}, the corpus of issue 23's bypass classes (environment prefixes, risky
 * program forms, control characters, letter case, content and listing operands, symlinks and devices), against a
 * Lathe-shaped policy in a real temp project with real symlinks and a real FIFO. A wrong allow (allowed where ask or
 * deny is expected) is listed first; every mismatch fails the test.
 */
class BypassCorpusTest {
    @TempDir Path tmp;

    static Rule r(String perm, String pattern, String action) { return new Rule(perm, pattern, Action.parse(action)); }

    private static List<Rule> rules() {
        List<Rule> rules = new ArrayList<>(List.of(r("*", "*", "ask"), r("bash", "*", "ask")));
        for (String allowed : List.of("git status", "git diff", "git log", "git show", "ls", "cat", "head", "tail", "less", "diff",
                "cmp", "grep", "rg", "find", "tree", "python3 -m unittest", "mvn -q test", "./mvnw -q test", "./gradlew test",
                "npm test", "npm run test", "sed", "awk", "tar", "rsync", "man", "echo", "node", "java", "wc", "xargs", "env",
                "watch", "su", "sudo", "git rm", "git checkout", "git restore", "git mv", "git clean")) {
            rules.add(r("bash", allowed + " *", "allow"));
        }
        for (String denied : List.of("rm", "git push", "curl", "wget")) rules.add(r("bash", denied + " *", "deny"));
        rules.addAll(List.of(r("read", "*", "allow"), r("read", ".env", "deny"), r("read", "secrets/**", "deny"),
                r("edit", "*", "ask"), r("edit", "build/**", "allow"), r("external_directory", "*", "ask")));
        return rules;
    }

    @Test
    void everyBypassClassAsksOrDenies() throws IOException, InterruptedException {
        Path root = tmp.toRealPath();
        Path proj = Files.createDirectories(root.resolve("proj"));
        for (String f : List.of(".env", "secrets/key", "src/Main.java", "src/.env", "docs/a.md", "build/x.jar")) {
            Files.createDirectories(proj.resolve(f).getParent());
            Files.writeString(proj.resolve(f), "x");
        }
        Files.createDirectories(root.resolve("outside"));
        Files.writeString(root.resolve("outside/f"), "x");
        Files.createSymbolicLink(proj.resolve("out-link"), root.resolve("outside"));
        Files.createSymbolicLink(proj.resolve("env-link"), proj.resolve(".env"));
        Files.createSymbolicLink(proj.resolve("sec-link"), proj.resolve("secrets"));
        Files.createSymbolicLink(proj.resolve("dev-link"), Path.of("/dev/urandom"));
        Process mkfifo = new ProcessBuilder("mkfifo", proj.resolve("fifo").toString()).inheritIO().start();
        assertThat(mkfifo.waitFor()).isZero();
        gitRepositories(proj);
        var decider = new PermissionDecider(new Ruleset(rules()), proj, Files.createDirectories(root.resolve("home")));

        List<String> wrongAllows = new ArrayList<>();
        List<String> others = new ArrayList<>();
        int[] counts = new int[Action.values().length];
        try (InputStream in = getClass().getResourceAsStream("/permission-corpus-bypass.tsv")) {
            String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
            for (int i = 0; i < lines.length; i++) {
                String line = lines[i];
                if (line.isBlank() || line.startsWith("#")) continue;
                int tab = line.indexOf('\t');
                Action expected = Action.parse(line.substring(0, tab));
                String command = unescape(line.substring(tab + 1)).replace("@ROOT@", root.toString());
                Path workdir = proj;
                if (command.startsWith("@IN:")) { // "@IN:repo@ git diff" runs in proj/repo
                    int end = command.indexOf('@', 4);
                    workdir = proj.resolve(command.substring(4, end));
                    command = command.substring(end + 1).strip();
                }
                Decision d = decider.bash(command, workdir);
                counts[expected.ordinal()]++;
                if (d.action() == expected) continue;
                String report = "line " + (i + 1) + ": expected " + expected + " got " + d.action() + " [" + d.rule() + "; " + d.reason() + "] for: " + command;
                (d.action() == Action.ALLOW ? wrongAllows : others).add(report);
            }
        }
        assertThat(counts[Action.ALLOW.ordinal()] + counts[Action.ASK.ordinal()] + counts[Action.DENY.ordinal()]).isGreaterThanOrEqualTo(200);
        List<String> all = new ArrayList<>(wrongAllows);
        all.addAll(others);
        assertThat(all).as("%d wrong allows, %d other mismatches", wrongAllows.size(), others.size()).isEmpty();
    }

    @Test
    void gitContentAndGlobalOptionsNameWhatDecided() throws IOException, InterruptedException {
        Path proj = tmp.toRealPath();
        gitRepositories(proj);
        var d = new PermissionDecider(new Ruleset(rules()), proj, proj);

        Decision diff = d.bash("git diff", proj.resolve("repo"));
        assertThat(diff.action()).isEqualTo(Action.DENY);
        assertThat(diff.rule()).isEqualTo("read: .env");
        assertThat(diff.reason()).isEqualTo("git diff prints tracked file repo/.env");
        assertThat(d.bash("git diff", proj.resolve("clean")).action()).isEqualTo(Action.ALLOW);
        assertThat(d.bash("git diff --cached", proj.resolve("staged")).reason()).isEqualTo("git diff prints tracked file staged/.env");
        // a pathspec that leaves the denied file out does not list it
        assertThat(d.bash("git diff -- src/", proj.resolve("repo")).action()).isEqualTo(Action.ALLOW);

        Decision push = d.bash("git -c x=y push origin main", proj);
        assertThat(push.action()).isEqualTo(Action.DENY);
        assertThat(push.rule()).isEqualTo("bash: git push *");
        assertThat(push.reason()).isEqualTo("runs `git -c x=y push origin main` (as `git push origin main`)");
    }

    /**
     * Three real repositories inside the project: {@code repo} tracks {@code .env} (modified since the commit),
     * {@code clean} ignores its untracked {@code .env}, {@code staged} had {@code .env} committed and then removed from
     * the index ({@code git rm --cached}), the file staying in the work tree.
     */
    private static void gitRepositories(Path proj) throws IOException, InterruptedException {
        for (String name : List.of("repo", "clean", "staged")) {
            Path repo = Files.createDirectories(proj.resolve(name));
            write(repo.resolve(".env"), "TOKEN=1");
            write(repo.resolve("src/App.java"), "class App {}");
            write(repo.resolve("docs/a.md"), "a");
            if (name.equals("clean")) write(repo.resolve(".gitignore"), ".env\n");
            git(repo, "init", "-q");
            git(repo, "add", ".");
            git(repo, "commit", "-q", "-m", "first");
            write(repo.resolve(".env"), "TOKEN=2");
            write(repo.resolve("src/App.java"), "class App { int x; }");
            if (name.equals("staged")) git(repo, "rm", "-q", "--cached", ".env");
        }
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    private static void git(Path repo, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("git", "-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false"));
        command.addAll(List.of(args));
        var pb = new ProcessBuilder(command).directory(repo.toFile()).inheritIO();
        pb.environment().put("GIT_CONFIG_NOSYSTEM", "1");
        pb.environment().put("GIT_CONFIG_GLOBAL", "/dev/null");
        assertThat(pb.start().waitFor()).as("git %s", String.join(" ", args)).isZero();
    }

    @Test
    void reasonsNameTheClass() {
        var d = new PermissionDecider(new Ruleset(rules()), tmp, tmp);
        assertThat(d.bash("PYTHONPATH=/tmp python3 -m unittest", tmp).reason()).isEqualTo("environment prefix PYTHONPATH");
        assertThat(d.bash("git diff --output=x", tmp).reason()).isEqualTo("git option --output writes a file");
        assertThat(d.bash("git status\u0001", tmp).reason()).isEqualTo("control character U+0001");
        assertThat(d.bash("mvn -q test exec:exec", tmp).reason()).isEqualTo("build goal names a plugin, which runs its code");
    }

    /** \n \r \t \\xNN \\uNNNN. */
    private static String unescape(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\' || i + 1 >= s.length()) {
                b.append(c);
                continue;
            }
            char n = s.charAt(i + 1);
            switch (n) {
                case 'n' -> { b.append('\n'); i++; }
                case 'r' -> { b.append('\r'); i++; }
                case 't' -> { b.append('\t'); i++; }
                case 'x' -> { b.append((char) Integer.parseInt(s.substring(i + 2, i + 4), 16)); i += 3; }
                case 'u' -> { b.append((char) Integer.parseInt(s.substring(i + 2, i + 6), 16)); i += 5; }
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
