package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.TempWorkspace;
import dev.lathe.testkit.Turn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Hooks in Claude Code's contract, as a user meets them (DESIGN §14, issue 27): real {@code lathe run} against the real
 * server (daemon-first), real hook scripts that record what they read on stdin, the provider our fake LLM. The project's
 * hooks are the examples of docs/extending.md, installed as a team would commit them in {@code .claude/}; the user's
 * own hooks live in {@code ~/.claude/settings.json} and {@code lathe.json}.
 */
class HooksIT {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Path EXAMPLES = Path.of("../docs/examples/hooks");
    private static final Path SCRIPTS = Path.of("src/test/resources/hooks").toAbsolutePath();

    @TempDir Path home;

    /** The docs' hooks in {@code .claude/}: the settings file and its two scripts, executable as committed. */
    private static void installTeamHooks(TempWorkspace ws) throws Exception {
        Path hooks = Files.createDirectories(ws.path().resolve(".claude/hooks"));
        Files.copy(EXAMPLES.resolve("settings.json"), ws.path().resolve(".claude/settings.json"));
        for (String script : List.of("guard-push.py", "strip-trailing-spaces.py")) {
            Files.copy(EXAMPLES.resolve(script), hooks.resolve(script), StandardCopyOption.COPY_ATTRIBUTES);
        }
    }

    /** {@code ~/.claude/settings.json}: the user's recorder on the tool events, in Claude Code's file. */
    private Path userRecorder(String events) throws Exception {
        Path log = home.resolve("hooks-seen.jsonl");
        StringBuilder json = new StringBuilder("{\"hooks\": {");
        String[] names = events.split(",");
        for (int i = 0; i < names.length; i++) {
            if (i > 0) json.append(", ");
            json.append("\"").append(names[i]).append("\": [{\"hooks\": [{\"type\": \"command\", \"command\": \"HOOK_LOG=").append(log)
                    .append(" python3 ").append(SCRIPTS.resolve("record.py")).append("\"}]}]");
        }
        json.append("}}");
        Files.createDirectories(home.resolve(".claude"));
        Files.writeString(home.resolve(".claude/settings.json"), json.toString());
        return log;
    }

    private static List<JsonNode> seen(Path log) throws Exception {
        if (!Files.exists(log)) return List.of();
        return Files.readAllLines(log).stream().filter(l -> !l.isBlank()).map(JSON::readTree).toList();
    }

    private static List<JsonNode> seen(Path log, String event) throws Exception {
        return seen(log).stream().filter(n -> n.path("hook_event_name").asString().equals(event)).toList();
    }

    @Test
    void aTeamsClaudeCodeHooksRunOnlyOnceTrustedSeeClaudeCodesNamesBlockAPushAndFormatAfterAnEdit() throws Exception {
        try (var llm = FakeLlm.start(); var ws = RunIT.project()) {
            installTeamHooks(ws);
            Path log = userRecorder("PreToolUse,PostToolUse");
            var lathe = new Lathe(home, Lathe.providerConfig("openai-chat", llm.baseUrl(), RunIT.KEY)).daemonFirst();
            String dir = ws.path().toString();
            ServeProcess.start(lathe).awaitReady(Duration.ofSeconds(60));
            try {
                // untrusted: the team's hooks are skipped, said once, and the push guard does not run (the user's recorder does)
                llm.enqueue(Turn.of(Step.toolCall("p1", "bash", "{\"command\":\"echo git push origin main\"}")).finish("tool_calls"));
                llm.enqueue(Turn.of(Step.text("Pushed, in words.")));
                var untrusted = lathe.run("run", "--dir", dir, "--allow-all", "push it");
                assertThat(untrusted.exit()).as(untrusted.stderr()).isZero();
                assertThat(untrusted.stderr().lines().filter(l -> l.startsWith("lathe: untrusted folder:")))
                        .containsExactly("lathe: untrusted folder: skipped 2 hooks from .claude/settings.json (run lathe trust to allow them)");
                assertThat(llm.requests().getLast().toolResult("p1")).hasValueSatisfying(r -> assertThat(r).contains("git push origin main"));
                assertThat(seen(log, "PreToolUse")).as("the user's own hooks run in any folder").hasSize(1);

                assertThat(lathe.run("trust", "--dir", dir).exit()).isZero();

                // trusted, same server: the guard blocks the push with exit 2, the model reads why, and the turn goes on
                llm.enqueue(Turn.of(Step.toolCall("p2", "bash", "{\"command\":\"git push origin main\"}")).finish("tool_calls"));
                llm.enqueue(Turn.of(Step.text("I will leave the push to you.")));
                var blocked = lathe.run("run", "--dir", dir, "--allow-all", "push it");
                assertThat(blocked.exit()).as(blocked.stderr()).isZero();
                assertThat(blocked.stderr()).doesNotContain("untrusted folder");
                assertThat(blocked.stdout()).contains("I will leave the push to you.");
                assertThat(llm.requests().getLast().toolResult("p2")).hasValueSatisfying(r -> assertThat(r)
                        .contains("Pushing is for humans here: commit, and say the branch is ready."));

                // the formatter after a write: the file is fixed and the model is told through additionalContext
                Path notes = ws.path().toRealPath().resolve("notes.txt");
                llm.enqueue(Turn.of(Step.toolCall("w1", "write", "{\"path\":\"notes.txt\",\"content\":\"first  \\nsecond\\t\\n\"}"))
                        .finish("tool_calls"));
                llm.enqueue(Turn.of(Step.text("Written.")));
                var wrote = lathe.run("run", "--dir", dir, "--allow-all", "write the notes");
                assertThat(wrote.exit()).as(wrote.stderr()).isZero();
                assertThat(Files.readString(notes)).isEqualTo("first\nsecond\n");
                assertThat(llm.requests().getLast().toolResult("w1")).hasValueSatisfying(r -> assertThat(r)
                        .contains("strip-trailing-spaces removed trailing spaces from " + notes));

                // what a Claude Code hook reads: the common fields and the event's own, in Claude Code's names
                JsonNode push = seen(log, "PreToolUse").get(1);
                assertThat(push.path("session_id").asString()).startsWith("ses_");
                assertThat(push.path("cwd").asString()).isEqualTo(ws.path().toRealPath().toString());
                assertThat(push.path("permission_mode").asString()).isNotEmpty();
                assertThat(push.has("transcript_path")).isTrue();
                assertThat(push.path("tool_name").asString()).isEqualTo("Bash");
                assertThat(push.path("tool_input").path("command").asString()).isEqualTo("git push origin main");
                assertThat(push.path("tool_use_id").asString()).isEqualTo("p2");
                JsonNode write = seen(log, "PostToolUse").getLast();
                assertThat(write.path("tool_name").asString()).isEqualTo("Write");
                assertThat(write.path("tool_input").path("file_path").asString()).isEqualTo(notes.toString());
                assertThat(write.path("tool_input").path("content").asString()).isEqualTo("first  \nsecond\t\n");
                assertThat(write.has("tool_response")).isTrue();
            } finally {
                lathe.run("stop");
            }
        }
    }

    @Test
    void lathesOwnHooksSeeLathesNamesDenyRewriteAndNeverBeatADenyRuleAndASlowOneIsCutOff() throws Exception {
        try (var llm = FakeLlm.start(); var ws = RunIT.project()) {
            String policy = "python3 " + SCRIPTS.resolve("bash-policy.py");
            String config = Lathe.providerConfig("openai-chat", llm.baseUrl(), RunIT.KEY).replaceFirst("\\}$", """
                    , "permission": {"edit": "allow", "bash": {"*": "allow", "curl *": "deny"}},
                      "hooks": {
                        "PreToolUse": [
                          {"matcher": "bash", "hooks": [{"type": "command", "command": "%s"}]},
                          {"matcher": "read", "hooks": [{"type": "command", "command": "sleep 30", "timeout": 1}]}
                        ]
                      }}""".formatted(policy));
            var lathe = new Lathe(home, config);
            // the docs' Claude Code plugin, installed for every project: its PostToolUse hook runs from its folder
            var added = lathe.run("plugin", "add", Path.of("../docs/examples/claude-plugin/acme").toAbsolutePath().normalize().toString());
            assertThat(added.exit()).as(added.stderr()).isZero();
            assertThat(lathe.run("plugin", "list").stdout()).contains("acme");
            llm.enqueue(Turn.of(
                    Step.toolCall("d1", "bash", "{\"command\":\"rm -rf build\"}"),
                    Step.toolCall("u1", "bash", "{\"command\":\"say-hi there\"}"),
                    Step.toolCall("r1", "read", "{\"path\":\"greet.py\"}"),
                    Step.toolCall("w1", "write", "{\"path\":\"notes.md\",\"content\":\"# Notes\\n\"}")).finish("tool_calls"));
            llm.enqueue(Turn.of(Step.text("Done with the policy.")));
            long started = System.nanoTime();
            var run = lathe.run("run", "--dir", ws.path().toString(), "go");
            assertThat(run.exit()).as(run.stderr()).isZero();
            assertThat(run.stdout()).contains("Done with the policy.");
            var last = llm.requests().getLast();
            // permissionDecision deny blocks with its reason
            assertThat(last.toolResult("d1")).hasValueSatisfying(r -> assertThat(r).contains("no recursive deletes"));
            // updatedInput rewrote the command that ran
            assertThat(last.toolResult("u1")).hasValueSatisfying(r -> assertThat(r).contains("rewritten-by-hook"));
            // the 30 s hook was cut off after its 1 s timeout, reported, and the read went on
            assertThat(last.toolResult("r1")).hasValueSatisfying(r -> assertThat(r).contains("def greet"));
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(25));
            assertThat(home.resolve("data/lathe/claude-plugins/acme/format.log")).content()
                    .isEqualTo("formatted " + ws.path().toRealPath().resolve("notes.md") + "\n");

            // the hook allows curl; the deny rule still denies it: the model reads the denial and finishes the task
            // (DESIGN §26), the run exits 0 and names the denied call on stderr
            llm.enqueue(Turn.of(Step.toolCall("n1", "bash", "{\"command\":\"curl http://127.0.0.1:9/\"}")).finish("tool_calls"));
            llm.enqueue(Turn.of(Step.text("Could not fetch it: denied.")));
            var denied = lathe.run("run", "--dir", ws.path().toString(), "fetch it");
            assertThat(denied.exit()).as(denied.stderr()).isZero();
            assertThat(denied.stderr()).contains("lathe: denied: bash curl http://127.0.0.1:9/ by bash: curl * (");
            assertThat(llm.requests().getLast().toolResult("n1")).hasValueSatisfying(r -> assertThat(r).contains("Denied by bash: curl * ("));
            assertThat(denied.stdout()).contains("Could not fetch it: denied.");
        }
    }

    /**
     * DESIGN §26 "hooks that fail closed", through a real {@code lathe run}: a policy hook set to {@code "onFailure":
     * "block"} that cannot start, and one that times out, each stop the bash call they guard (it leaves no file) and the
     * model reads why; the turn goes on. The same hooks without it fail open, and the call runs.
     */
    @Test
    void aPolicyHookThatFailsClosedBlocksItsCallWhenItCannotStartOrTimesOut() throws Exception {
        try (var llm = FakeLlm.start(); var ws = RunIT.project()) {
            for (String onFailure : List.of("block", "continue")) {
                String config = Lathe.providerConfig("openai-chat", llm.baseUrl(), RunIT.KEY).replaceFirst("\\}$", """
                        , "permission": {"bash": "allow", "edit": "allow"},
                          "hooks": {
                            "PreToolUse": [
                              {"matcher": "bash", "hooks": [{"type": "command", "command": "/nonexistent/guard.sh", "onFailure": "%1$s"}]},
                              {"matcher": "bash", "hooks": [{"type": "command", "command": "sleep 30", "timeout": 1, "onFailure": "%1$s"}]}
                            ]
                          }}""".formatted(onFailure));
                var lathe = new Lathe(home, config);
                String made = "made-" + onFailure + ".txt";
                llm.enqueue(Turn.of(Step.toolCall("b1", "bash", "{\"command\":\"touch " + made + "\"}")).finish("tool_calls"));
                llm.enqueue(Turn.of(Step.text("Finished.")));
                var run = lathe.run("run", "--dir", ws.path().toString(), "make the file");
                assertThat(run.exit()).as(run.stderr()).isZero();
                var result = llm.requests().getLast().toolResult("b1");
                if (onFailure.equals("block")) {
                    assertThat(ws.path().resolve(made)).as("the call a failed-closed hook guards").doesNotExist();
                    assertThat(result).hasValueSatisfying(r -> assertThat(r).contains("set to block when it fails").contains("exited with code 127").contains("timed out after 1 s"));
                } else {
                    assertThat(ws.path().resolve(made)).as("the call a failed-open hook guards").exists();
                }
            }
        }
    }

    private static final List<String> EVENTS = List.of("SessionStart", "InstructionsLoaded", "UserPromptSubmit", "PreToolUse", "PostToolUse",
            "PostToolUseFailure", "Stop", "SubagentStart", "SubagentStop", "PermissionRequest", "Notification", "PermissionDenied",
            "PreCompact", "PostCompact", "SessionEnd");

    /**
     * The conformance suite: every event Lathe fires reaches a Claude Code hook with the contract's fields, through real
     * {@code lathe run} turns and the real server; and the decisions that change a turn do so: context for the model, a
     * refused prompt, a Stop hook that makes the agent go on, {@code continue: false} ending the turn.
     */
    @Test
    void everyEventReachesItsHookWithTheContractsFieldsAndTheirDecisionsShapeTheTurn() throws Exception {
        try (var llm = FakeLlm.start(); var ws = RunIT.project()) {
            ws.write("AGENTS.md", "Keep answers short.\n");
            Path log = userRecorder(String.join(",", EVENTS));
            String behave = "python3 " + SCRIPTS.resolve("behave.py");
            String config = Lathe.providerConfig("openai-chat", llm.baseUrl(), RunIT.KEY).replaceFirst("\\}$", """
                    , "permission": {"bash": "allow", "read": "allow", "task": "allow"},
                      "hooks": {
                        "UserPromptSubmit": [{"hooks": [{"type": "command", "command": "%1$s"}]}],
                        "Stop": [{"hooks": [{"type": "command", "command": "%1$s"}]}],
                        "PostToolUse": [{"matcher": "bash", "hooks": [{"type": "command", "command": "%1$s"}]}]
                      }}""".formatted(behave));
            var lathe = new Lathe(home, config).daemonFirst();
            String dir = ws.path().toString();
            String real = ws.path().toRealPath().toString();
            var endpoint = ServeProcess.start(lathe).awaitReady(Duration.ofSeconds(60)).endpoint();
            try {
                // a turn with a call that works and one that fails; the Stop hook sends the agent back once
                llm.enqueue(Turn.of(Step.toolCall("b1", "bash", "{\"command\":\"echo hi\"}"),
                        Step.toolCall("r1", "read", "{\"path\":\"missing.txt\"}")).finish("tool_calls"));
                llm.enqueue(Turn.of(Step.text("DONE-EARLY")));
                llm.enqueue(Turn.of(Step.text("Tests pass. All done.")));
                var go = lathe.run("run", "--dir", dir, "go");
                assertThat(go.exit()).as(go.stderr()).isZero();
                assertThat(go.stdout()).contains("All done.");
                assertThat(llm.requests()).hasSize(3);
                assertThat(llm.requests().getFirst().body()).as("UserPromptSubmit's additionalContext reaches the model")
                        .contains("CONTEXT-FROM-HOOK: the build uses make");
                assertThat(llm.requests().getLast().body()).as("the Stop hook's reason is the agent's next instruction").contains("run the tests first");

                // a subagent
                llm.enqueue(Turn.of(Step.toolCall("t1", "task", "{\"description\":\"Look\",\"prompt\":\"look around\",\"agent\":\"explore\"}"))
                        .finish("tool_calls"));
                llm.enqueue(Turn.of(Step.text("CHILD-ANSWER")));
                llm.enqueue(Turn.of(Step.text("Delegated.")));
                var delegate = lathe.run("run", "--dir", dir, "--continue", "delegate");
                assertThat(delegate.exit()).as(delegate.stderr()).isZero();
                assertThat(llm.requests()).hasSize(6);

                // a refused prompt never reaches the model, and the user reads why
                var refused = lathe.run("run", "--dir", dir, "--continue", "a forbidden thing");
                assertThat(refused.exit()).isNotZero();
                assertThat(refused.stderr()).contains("prompts about forbidden things are refused");
                assertThat(llm.requests()).hasSize(6);

                // an ask lathe run rejects: PermissionRequest, the user's notification, PermissionDenied
                llm.enqueue(Turn.of(Step.toolCall("e1", "edit", "{\"path\":\"greet.py\",\"oldString\":\"Hello\",\"newString\":\"Hi\"}"))
                        .finish("tool_calls"));
                var asked = lathe.run("run", "--dir", dir, "--continue", "edit it");
                assertThat(asked.exit()).as(asked.stderr()).isEqualTo(3);

                // continue: false after a call ends the turn with the hook's reason; the model is not asked again
                llm.enqueue(Turn.of(Step.toolCall("h1", "bash", "{\"command\":\"echo halt\"}")).finish("tool_calls"));
                var halted = lathe.run("run", "--dir", dir, "--continue", "halt");
                assertThat(halted.stderr()).contains("halted by the team's policy");
                assertThat(llm.requests()).hasSize(8);

                try (var client = dev.lathe.client.HttpLatheClient.connect(endpoint, java.util.Optional.of(dir))) {
                    var session = client.sessions(dir).getFirst();
                    llm.enqueue(Turn.of(Step.text("SUMMARY: greeted, delegated, halted.")));
                    client.compact(session.id());
                    client.deleteSession(session.id());
                }

                long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (seen(log, "SessionEnd").isEmpty() && System.nanoTime() < deadline) Thread.sleep(50);
                for (String event : EVENTS) {
                    assertThat(seen(log, event)).as(event + " reached its hook").isNotEmpty().allSatisfy(in -> {
                        assertThat(in.path("session_id").asString()).as(event).startsWith("ses_");
                        assertThat(in.path("cwd").asString()).as(event).isEqualTo(real);
                        assertThat(in.path("permission_mode").asString()).as(event).isIn("default", "bypassPermissions", "plan");
                        assertThat(in.has("transcript_path")).as(event + " has transcript_path").isTrue();
                    });
                }
                JsonNode start = seen(log, "SessionStart").getFirst();
                assertThat(start.path("source").asString()).isEqualTo("startup");
                assertThat(seen(log, "InstructionsLoaded")).anySatisfy(in -> {
                    assertThat(in.path("file_path").asString()).endsWith("AGENTS.md");
                    assertThat(in.path("memory_type").asString()).isEqualTo("Project");
                    assertThat(in.path("load_reason").asString()).isEqualTo("session_start");
                });
                assertThat(seen(log, "UserPromptSubmit")).extracting(in -> in.path("prompt").asString()).contains("go", "delegate", "a forbidden thing");
                JsonNode transcript = seen(log, "UserPromptSubmit").get(1);
                assertThat(Files.readString(Path.of(transcript.path("transcript_path").asString()))).as("the transcript so far, in Claude Code's lines")
                        .contains("\"type\":\"user\"").contains("\"content\":\"go\"");
                assertThat(seen(log, "PostToolUseFailure")).anySatisfy(in -> {
                    assertThat(in.path("tool_name").asString()).isEqualTo("Read");
                    assertThat(in.path("tool_use_id").asString()).isEqualTo("r1");
                    assertThat(in.path("error").asString()).isNotEmpty();
                    assertThat(in.path("is_interrupt").asBoolean(true)).isFalse();
                });
                assertThat(seen(log, "Stop")).extracting(in -> in.path("stop_hook_active").asBoolean()).startsWith(false, true);
                assertThat(seen(log, "Stop").getFirst().path("last_assistant_message").asString()).isEqualTo("DONE-EARLY");
                JsonNode sub = seen(log, "SubagentStop").getFirst();
                assertThat(sub.path("agent_type").asString()).isEqualTo("explore");
                assertThat(sub.path("agent_id").asString()).startsWith("ses_");
                assertThat(seen(log, "SubagentStart").getFirst().path("agent_id").asString()).isEqualTo(sub.path("agent_id").asString());
                assertThat(seen(log, "PermissionRequest").getFirst().path("tool_name").asString()).isEqualTo("Edit");
                assertThat(seen(log, "PermissionRequest").getFirst().path("tool_input").path("file_path").asString()).isEqualTo(real + "/greet.py");
                // idle_prompt too, when a turn ends and the agent waits for input (earlier turns end before the ask)
                assertThat(seen(log, "Notification")).extracting(n -> n.path("notification_type").asString()).contains("permission_prompt", "idle_prompt");
                assertThat(seen(log, "PermissionDenied").getFirst().path("tool_use_id").asString()).isEqualTo("e1");
                assertThat(seen(log, "PreCompact").getFirst().path("trigger").asString()).isEqualTo("manual");
                assertThat(seen(log, "PostCompact").getFirst().path("compact_summary").asString()).contains("SUMMARY: greeted, delegated, halted.");
                assertThat(seen(log, "SessionEnd").getFirst().path("reason").asString()).isNotEmpty();
            } finally {
                lathe.run("stop");
            }
        }
    }
}
