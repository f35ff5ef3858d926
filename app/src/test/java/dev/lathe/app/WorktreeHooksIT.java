package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.run.console.ExitCode;
import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.RecordedRequest;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.TempWorkspace;
import dev.lathe.testkit.Turn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What issue 44 finished after {@link WorktreeIT}: Claude Code's {@code WorktreeCreate} / {@code WorktreeRemove} hooks
 * (real scripts in the user's {@code ~/.claude/settings.json}), the agent front matter {@code isolation: worktree},
 * and a merge in a HOME without a git identity. The packaged jar against the fake model, on real git.
 */
class WorktreeHooksIT {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir Path home;

    /** The prompt names the file to write; the write's result ends the turn. */
    private static Turn writeWhatThePromptSays(RecordedRequest r) {
        Matcher m = Pattern.compile("write (\\S+) saying (\\S+)").matcher(r.lastUserText());
        if (!m.find()) return Turn.of(Step.text("nothing to do"));
        return r.toolResult("w1").isEmpty()
                ? Turn.of(Step.toolCall("w1", "write", "{\"path\":\"" + m.group(1) + "\",\"content\":\"" + m.group(2) + "\\n\"}"))
                : Turn.of(Step.text("wrote " + m.group(1)));
    }

    /** The user's Claude Code settings with {@code hooks}, and the hook scripts' log folder. */
    private Path userHooks(String hooksJson) throws Exception {
        Files.createDirectories(home.resolve(".claude"));
        Files.writeString(home.resolve(".claude/settings.json"), "{\"hooks\": " + hooksJson + "}");
        return Files.createDirectories(home.resolve("hook-log"));
    }

    private Path script(String name, String body) throws Exception {
        Path file = Files.createDirectories(home.resolve("hooks")).resolve(name);
        Files.writeString(file, "#!/bin/bash\n" + body);
        return file;
    }

    @Test
    void aWorktreeCreateHookMakesTheFolderInsteadOfGitAndWorktreeRemoveIsToldWhenItGoes() throws Exception {
        try (var llm = FakeLlm.start(); var plain = TempWorkspace.create()) {
            // a folder of another version control system: no git here at all, the hook makes the checkout
            plain.write("a.txt", "trunk\n");
            Path made = Files.createDirectories(home.resolve("made")).toRealPath();
            Path log = userHooks("{\"WorktreeCreate\": [{\"hooks\": [{\"type\": \"command\", \"command\": \"bash " + home.resolve("hooks/make.sh") + "\"}]}],"
                    + " \"WorktreeRemove\": [{\"hooks\": [{\"type\": \"command\", \"command\": \"bash " + home.resolve("hooks/drop.sh") + "\"}]}]}");
            script("make.sh", """
                    input=$(cat)
                    printf '%s\\n' "$input" >> LOG/create.jsonl
                    name=$(printf '%s' "$input" | sed -n 's/.*"name":"\\([^"]*\\)".*/\\1/p')
                    cwd=$(printf '%s' "$input" | sed -n 's/.*"cwd":"\\([^"]*\\)".*/\\1/p')
                    if [ "$name" = broken ]; then echo "the checkout server is down" >&2; exit 1; fi
                    if [ "$name" = chatty ]; then echo "checking out..."; fi
                    echo "checking out $name" >&2
                    mkdir -p "MADE/$name" && cp "$cwd/a.txt" "MADE/$name/"
                    echo "MADE/$name"
                    """.replace("LOG", log.toString()).replace("MADE", made.toString()));
            script("drop.sh", """
                    input=$(cat)
                    printf '%s\\n' "$input" >> LOG/remove.jsonl
                    rm -rf "$(printf '%s' "$input" | sed -n 's/.*"worktree_path":"\\([^"]*\\)".*/\\1/p')"
                    """.replace("LOG", log.toString()));
            llm.respondWith(WorktreeHooksIT::writeWhatThePromptSays);
            var lathe = new Lathe(home, Lathe.providerConfig("openai-chat", llm.baseUrl(), "sk-w"));
            String dir = plain.path().toString();

            var r = lathe.run("run", "--dir", dir, "--allow-all", "-w", "alt", "--", "write b.txt saying hi");
            assertThat(r.exit()).as(r.stderr()).isZero();
            int requests = llm.requests().size();
            Path alt = made.resolve("alt");
            assertThat(Files.readString(alt.resolve("b.txt"))).isEqualTo("hi\n");
            assertThat(Files.readString(alt.resolve("a.txt"))).isEqualTo("trunk\n");
            assertThat(plain.resolve("b.txt")).as("the folder itself is untouched").doesNotExist();
            assertThat(r.stderr()).contains("lathe: worktree kept: " + alt + " (made by a WorktreeCreate hook)");
            JsonNode created = JSON.readTree(Files.readAllLines(log.resolve("create.jsonl")).getFirst());
            assertThat(created.get("hook_event_name").asString()).isEqualTo("WorktreeCreate");
            assertThat(created.get("name").asString()).isEqualTo("alt");
            assertThat(Path.of(created.get("cwd").asString()).toRealPath()).isEqualTo(plain.path().toRealPath());
            assertThat(created.get("permission_mode").asString()).isEqualTo("default");

            // the session is the worktree's, though the folder lies outside the repository: listed with the folder it
            // was started from (the board groups it there), and the hook was told its id (Claude Code's session_id)
            var listed = lathe.run("sessions", "--dir", dir, "--format", "json");
            assertThat(listed.exit()).as(listed.stderr()).isZero();
            JsonNode sessions = JSON.readTree(listed.stdout());
            assertThat(sessions).as(listed.stdout()).hasSize(1);
            JsonNode session = sessions.get(0);
            String sessionId = session.get("id").asString();
            assertThat(session.get("directory").asString()).isEqualTo(alt.toString());
            assertThat(session.get("worktree").get("name").asString()).isEqualTo("alt");
            assertThat(session.get("worktree").get("mainCheckout").asString()).isEqualTo(plain.path().toRealPath().toString());
            assertThat(created.get("session_id").asString()).isEqualTo(sessionId);
            assertThat(created.get("transcript_path").asString()).as("the session's transcript, as for every hook of a session").contains(sessionId);

            // the hook ran before its session was stored: its run is audited in the folder's log all the same
            var audit = lathe.run("audit", "--dir", dir, "--format", "json");
            assertThat(audit.exit()).as(audit.stderr()).isZero();
            assertThat(audit.stdout().lines().filter(l -> l.contains("\"WorktreeCreate\"")).toList()).as(audit.stdout())
                    .singleElement().asString().contains(sessionId);

            var list = lathe.run("worktree", "list", "--dir", dir, "--format", "json");
            assertThat(list.exit()).as(list.stderr()).isZero();
            JsonNode trees = JSON.readTree(list.stdout());
            assertThat(trees).hasSize(1);
            assertThat(trees.get(0).get("name").asString()).isEqualTo("alt");
            assertThat(trees.get(0).get("path").asString()).isEqualTo(alt.toString());
            assertThat(trees.get(0).get("session").asString()).isEqualTo(sessionId);

            // the same name again is refused before the hook runs
            var again = lathe.run("run", "--dir", dir, "-w", "alt", "--", "hi");
            assertThat(again.exit()).isEqualTo(ExitCode.USAGE);
            assertThat(again.stderr()).contains("a worktree named alt exists");

            // a hook that fails, or prints more than the folder, makes no worktree and no session runs
            var broken = lathe.run("run", "--dir", dir, "-w", "broken", "--", "write c.txt saying no");
            assertThat(broken.exit()).isEqualTo(ExitCode.USAGE);
            assertThat(broken.stderr()).contains("no worktree was made").contains("the checkout server is down");
            var chatty = lathe.run("run", "--dir", dir, "-w", "chatty", "--", "write c.txt saying no");
            assertThat(chatty.exit()).isEqualTo(ExitCode.USAGE);
            assertThat(chatty.stderr()).contains("printed 2 lines").contains("only the absolute path");
            assertThat(llm.requests()).as("only the first run reached the model").hasSize(requests);

            var removed = lathe.run("worktree", "remove", "alt", "--dir", dir);
            assertThat(removed.exit()).as(removed.stderr()).isZero();
            JsonNode told = JSON.readTree(Files.readAllLines(log.resolve("remove.jsonl")).getFirst());
            assertThat(told.get("hook_event_name").asString()).isEqualTo("WorktreeRemove");
            assertThat(told.get("worktree_path").asString()).isEqualTo(alt.toString());
            assertThat(told.get("session_id").asString()).as("the session that ran in it").isEqualTo(sessionId);
            assertThat(alt).as("removed by the WorktreeRemove hook").doesNotExist();
            assertThat(JSON.readTree(lathe.run("worktree", "list", "--dir", dir, "--format", "json").stdout())).isEmpty();
        }
    }

    @Test
    void aWorktreeRemoveHookIsToldWhenLathesOwnUnchangedWorktreeGoes() throws Exception {
        try (var llm = FakeLlm.start(); var ws = TempWorkspace.create()) {
            ws.write("a.txt", "main\n").initGitRepo();
            Path log = userHooks("{\"WorktreeRemove\": [{\"hooks\": [{\"type\": \"command\", \"command\": \"bash " + home.resolve("hooks/told.sh") + "\"}]}]}");
            // it runs before git removes the folder: a hook may still archive what is there
            script("told.sh", "input=$(cat)\nprintf '%s\\n' \"$input\" >> LOG/remove.jsonl\nls \"$(printf '%s' \"$input\" | sed -n 's/.*\"worktree_path\":\"\\([^\"]*\\)\".*/\\1/p')\" >> LOG/seen.txt\n"
                    .replace("LOG", log.toString()));
            llm.enqueue(Turn.of(Step.text("Nothing to change.")));
            var lathe = new Lathe(home, Lathe.providerConfig("openai-chat", llm.baseUrl(), "sk-w"));
            var r = lathe.run("run", "--dir", ws.path().toString(), "-w", "look", "--", "just look");
            assertThat(r.exit()).as(r.stderr()).isZero();
            Path wt = ws.resolve(".lathe/worktrees/look");
            assertThat(wt).doesNotExist();
            JsonNode told = JSON.readTree(Files.readAllLines(log.resolve("remove.jsonl")).getFirst());
            assertThat(told.get("hook_event_name").asString()).isEqualTo("WorktreeRemove");
            assertThat(told.get("worktree_path").asString()).isEqualTo(wt.toString());
            assertThat(told.get("session_id").asString()).startsWith("ses_");
            assertThat(Files.readString(log.resolve("seen.txt"))).contains("a.txt");
        }
    }

    @Test
    void anAgentWhoseFrontMatterSaysIsolationWorktreeWorksInItsOwnWorktree() throws Exception {
        try (var llm = FakeLlm.start(); var ws = TempWorkspace.create()) {
            ws.write("a.txt", "main\n").write(".claude/agents/apart.md", """
                    ---
                    name: apart
                    description: Works apart from the main checkout
                    isolation: worktree
                    ---
                    You are the apart agent.
                    """).initGitRepo();
            llm.respondWith(r -> {
                if (r.system().contains("You are the apart agent.")) return writeWhatThePromptSays(r);
                return r.toolResult("t1").isEmpty()
                        // no isolation argument: the agent's own definition asks for it
                        ? Turn.of(Step.toolCall("t1", "task", "{\"description\":\"apart\",\"prompt\":\"write one.txt saying 1\",\"agent\":\"apart\"}"))
                        : Turn.of(Step.text("the agent is done"));
            });
            var lathe = new Lathe(home, Lathe.providerConfig("openai-chat", llm.baseUrl(), "sk-w"));
            var r = lathe.run("run", "--dir", ws.path().toString(), "--allow-all", "delegate it");
            assertThat(r.exit()).as(r.stderr()).isZero();
            RecordedRequest last = llm.requests().stream().filter(q -> !q.system().contains("You are the apart agent.")).reduce((a, b) -> b).orElseThrow();
            String result = last.toolResult("t1").orElseThrow();
            Matcher m = Pattern.compile("git worktree (\\S+) on branch (lathe/apart-\\w+) \\(1 file changed, 1 insertion").matcher(result);
            assertThat(m.find()).as(result).isTrue();
            assertThat(Files.readString(Path.of(m.group(1)).resolve("one.txt"))).isEqualTo("1\n");
            assertThat(ws.resolve("one.txt")).doesNotExist();
            assertThat(ws.git("status", "--porcelain")).isEmpty();
        }
    }

    @Test
    void aMergeWithoutAGitIdentitySaysSoInOneLineAndChangesNothing() throws Exception {
        try (var llm = FakeLlm.start(); var ws = TempWorkspace.create()) {
            ws.write("a.txt", "main\n").initGitRepo();  // the workspace's own commit carries an identity; HOME has none
            llm.respondWith(WorktreeHooksIT::writeWhatThePromptSays);
            var lathe = new Lathe(home, Lathe.providerConfig("openai-chat", llm.baseUrl(), "sk-w"));
            String repo = ws.path().toString();
            var r = lathe.run("run", "--dir", repo, "--allow-all", "-w", "anon", "--", "write b.txt saying hello");
            assertThat(r.exit()).as(r.stderr()).isZero();
            String head = ws.git("rev-parse", "HEAD");

            var merge = lathe.run("worktree", "merge", "anon", "--dir", repo);
            assertThat(merge.exit()).isEqualTo(ExitCode.USAGE);
            assertThat(merge.stderr().strip().lines().toList()).as(merge.stderr()).hasSize(1);
            assertThat(merge.stderr()).contains("git does not know who you are").contains("git config --global user.email")
                    .doesNotContain("Author identity unknown");
            assertThat(ws.git("rev-parse", "HEAD")).isEqualTo(head);
            assertThat(ws.resolve("b.txt")).doesNotExist();
            Path wt = ws.resolve(".lathe/worktrees/anon");
            assertThat(ws.git("-C", wt.toString(), "status", "--porcelain")).as("the worktree's change is still uncommitted").contains("b.txt");
            assertThat(ws.git("-C", wt.toString(), "rev-parse", "HEAD")).isEqualTo(head);
        }
    }
}
