package dev.lathe.core.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.core.trust.Withheld;
import dev.lathe.llm.Protocols;
import dev.lathe.protocol.api.PermissionReplyRequest;
import dev.lathe.protocol.api.PromptRequest;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.event.PermissionReply;
import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.RecordedRequest;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.Turn;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 52, class 6 (DESIGN §24 "Restrictive rules need no trust"): the rules a project states in Claude Code's and
 * OpenCode's own files, in the exact shapes those tools write them, apply in a folder the user never trusted — a deny
 * refuses, an ask asks, an agent's tool switched off is not offered — while an allow rule there opens nothing until the
 * folder is trusted. End to end: the real core, real files, the fake model over HTTP; the evidence is what the provider
 * received and what happened on disk.
 */
class OtherHarnessRulesTest {
    private static final String SECRET = "CANARY-CLAUDE-DENIED-61f0";

    @TempDir Path tmp;

    /** The user's own config: bash runs without asking, so only the project's rules can stop a command. */
    private static String config(FakeLlm llm, String permission) {
        return "{\"model\": \"fake/m\", \"permission\": " + permission + ","
                + " \"provider\": {\"fake\": {\"protocol\": \"openai-chat\", \"baseUrl\": \"" + llm.baseUrl()
                + "\", \"models\": {\"m\": {\"context\": 100000, \"output\": 4000}}}}}";
    }

    private static Harness harness(Path tmp, FakeLlm llm, String permission) throws Exception {
        return new Harness(tmp, config(llm, permission), 20, Protocols.standard(HttpClient.newHttpClient()));
    }

    private static void write(Path file, String text) throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    /** Each refusal is read by the model, which then ends its turn (DESIGN §26): one prompt, two requests, per attempt. */
    private static void attempt(Harness h, FakeLlm llm, dev.lathe.protocol.SessionId session, String tool, String args) throws Exception {
        llm.enqueue(Turn.of(Step.toolCall("c" + llm.requests().size(), tool, args)));
        llm.enqueue(Turn.of(Step.text("understood")));
        h.promptAndWait(session, "go on");
    }

    @Test
    void aClaudeReadDenyKeepsTheFileFromTheModelByEveryRoute() throws Exception {
        try (var llm = FakeLlm.start(); var h = harness(tmp, llm, "{\"bash\": \"allow\", \"read\": \"allow\", \"grep\": \"allow\"}")) {
            // as Claude Code writes it (`/permissions`, "Add a new rule")
            write(h.project.resolve(".claude/settings.json"), """
                    {
                      "permissions": {
                        "deny": [
                          "Read(./secret.txt)"
                        ]
                      }
                    }
                    """);
            write(h.project.resolve("secret.txt"), "token=" + SECRET + "\n");
            var s = h.session().id();
            attempt(h, llm, s, "read", "{\"path\":\"secret.txt\"}");
            attempt(h, llm, s, "read", "{\"path\":\"./sub/../secret.txt\"}");
            attempt(h, llm, s, "bash", "{\"command\":\"cat secret.txt\",\"description\":\"show\"}");
            attempt(h, llm, s, "bash", "{\"command\":\"cat *.txt\",\"description\":\"show\"}");
            // grep is not refused: it searches with the denied file hidden (the sandbox), and the turn goes on
            llm.enqueue(Turn.of(Step.toolCall("c9", "grep", "{\"pattern\":\"token\"}")));
            llm.enqueue(Turn.of(Step.text("done")));
            h.promptAndWait(s, "search");

            assertThat(llm.requests()).hasSize(10);
            for (RecordedRequest r : llm.requests()) assertThat(r.body()).doesNotContain(SECRET);
            assertThat(llm.requests().get(1).body()).contains("Denied by read: ").contains("read of secret.txt is not permitted").contains(".claude/settings.json");
        }
    }

    @Test
    void aClaudeBashDenyRefusesTheCommandInEveryShape() throws Exception {
        try (var llm = FakeLlm.start(); var h = harness(tmp, llm, "{\"bash\": \"allow\"}")) {
            write(h.project.resolve(".claude/settings.local.json"), """
                    {
                      "permissions": {
                        "allow": [
                          "Bash(rm -f victim.txt)"
                        ],
                        "deny": [
                          "Bash(rm:*)"
                        ]
                      }
                    }
                    """);
            write(h.project.resolve("victim.txt"), "keep me\n");
            var s = h.session().id();
            for (String command : new String[] {"rm victim.txt", "rm -f victim.txt", "true && rm victim.txt", "sh -c 'rm victim.txt'",
                    "env rm victim.txt", "echo $(rm victim.txt)"}) {
                attempt(h, llm, s, "bash", "{\"command\":\"" + command + "\",\"description\":\"x\"}");
                assertThat(h.project.resolve("victim.txt")).as(command).exists();
            }
            assertThat(h.project.resolve("victim.txt")).hasContent("keep me\n");
            assertThat(h.events).noneSatisfy(e -> assertThat(e.event()).isInstanceOf(Event.PermissionAsked.class));
        }
    }

    @Test
    void aClaudeAskRuleAsksAndTheUsersOwnClaudeRulesApplyToo() throws Exception {
        try (var llm = FakeLlm.start(); var h = harness(tmp, llm, "{\"bash\": \"allow\"}")) {
            write(h.project.resolve(".claude/settings.json"), "{\"permissions\": {\"ask\": [\"Bash(echo:*)\"]}}");
            // the user's ~/.claude/settings.json (HOME is the harness's folder)
            write(tmp.resolve(".claude/settings.json"), "{\"permissions\": {\"deny\": [\"Bash(mkdir:*)\"]}}");
            llm.enqueue(Turn.of(Step.toolCall("c1", "bash", "{\"command\":\"echo hello\",\"description\":\"x\"}")));
            var s = h.session();
            h.api.prompt(s.id(), PromptRequest.text("say hello"));
            var asked = (Event.PermissionAsked) h.awaitEvent(Event.PermissionAsked.class::isInstance);
            assertThat(asked.request().permission()).isEqualTo("bash");
            assertThat(asked.request().metadata().get("rule")).contains("echo *");
            h.api.replyPermission(asked.request().id(), PermissionReplyRequest.of(PermissionReply.REJECT));
            h.awaitIdle(s.id());

            attempt(h, llm, s.id(), "bash", "{\"command\":\"mkdir made\",\"description\":\"x\"}");
            assertThat(h.project.resolve("made")).doesNotExist();
            assertThat(h.events).filteredOn(e -> e.event() instanceof Event.PermissionAsked).hasSize(1);
        }
    }

    @Test
    void anOpenCodeAgentWithWriteSwitchedOffIsOfferedNoToolThatChangesFiles() throws Exception {
        try (var llm = FakeLlm.start(); var h = harness(tmp, llm, "{\"edit\": \"allow\"}")) {
            // as OpenCode's docs write an agent's tools: write off (OpenCode's edit permission: write, edit and patch)
            write(h.project.resolve("opencode.json"), """
                    {
                      "$schema": "https://opencode.ai/config.json",
                      "agent": {
                        "build": {
                          "tools": {
                            "write": false
                          }
                        }
                      }
                    }
                    """);
            write(h.project.resolve("a.txt"), "old\n");
            llm.enqueue(Turn.of(Step.toolCall("c1", "edit", "{\"path\":\"a.txt\",\"oldString\":\"old\",\"newString\":\"new\"}")));
            llm.enqueue(Turn.of(Step.text("done")));
            h.promptAndWait(h.session().id(), "change a.txt");

            assertThat(llm.requests().getFirst().toolNames()).contains("read", "bash").doesNotContain("write", "edit", "apply_patch");
            assertThat(h.project.resolve("a.txt")).hasContent("old");
        }
    }

    @Test
    void anOpenCodeAgentWhosePermissionDeniesBashAndEditIsNotOfferedThem() throws Exception {
        try (var llm = FakeLlm.start(); var h = harness(tmp, llm, "{\"edit\": \"allow\", \"bash\": \"allow\"}")) {
            // OpenCode hides a tool its agent's permission denies outright (issue 82): the model is not offered bash or edits
            write(h.project.resolve("opencode.json"), """
                    {"agent": {"build": {"permission": {"bash": "deny", "edit": "deny"}}}}
                    """);
            llm.enqueue(Turn.of(Step.text("done")));
            h.promptAndWait(h.session().id(), "hello");

            assertThat(llm.requests().getFirst().toolNames()).contains("read", "grep").doesNotContain("bash", "write", "edit", "apply_patch");
        }
    }

    @Test
    void anOpenCodeAgentFileWithEditSwitchedOffLosesPatchToo() throws Exception {
        try (var llm = FakeLlm.start(); var h = harness(tmp, llm, "{\"edit\": \"allow\"}")) {
            write(h.project.resolve(".opencode/agent/build.md"), """
                    ---
                    description: builds
                    mode: primary
                    tools:
                      edit: false
                    ---
                    You build things.
                    """);
            llm.enqueue(Turn.of(Step.text("done")));
            h.promptAndWait(h.session().id(), "hello");

            assertThat(llm.requests().getFirst().toolNames()).contains("read").doesNotContain("write", "edit", "apply_patch");
        }
    }

    @Test
    void allowRulesOfAnUntrustedFolderOpenNothingInAnyHarnessFile() throws Exception {
        try (var llm = FakeLlm.start(); var h = harness(tmp, llm, "{\"bash\": \"ask\"}")) {
            write(h.project.resolve(".claude/settings.json"), "{\"permissions\": {\"allow\": [\"Bash(echo:*)\", \"Bash\"]}}");
            write(h.project.resolve("opencode.json"), "{\"permission\": {\"bash\": \"allow\"}, \"tools\": {\"bash\": true}}");
            write(h.project.resolve("lathe.json"), "{\"permission\": {\"bash\": {\"echo *\": \"allow\"}}}");
            llm.enqueue(Turn.of(Step.toolCall("c1", "bash", "{\"command\":\"echo hello\",\"description\":\"x\"}")));
            var s = h.session();
            h.api.prompt(s.id(), PromptRequest.text("say hello"));
            var asked = (Event.PermissionAsked) h.awaitEvent(Event.PermissionAsked.class::isInstance);
            assertThat(asked.request().permission()).isEqualTo("bash");
            h.api.replyPermission(asked.request().id(), PermissionReplyRequest.of(PermissionReply.REJECT));
            h.awaitIdle(s.id());

            // said where an untrusted folder's skipped definitions are said
            var project = h.projects.get(h.project.toString());
            assertThat(project.config().withheldOf(Withheld.Kind.ALLOW_RULES)).extracting(Withheld::source)
                    .containsExactly("opencode.json", ".claude/settings.json", "lathe.json");
        }
    }

    @Test
    void anUntrustedFoldersAgentFileAllowsNothingEither() throws Exception {
        try (var llm = FakeLlm.start(); var h = harness(tmp, llm, "{\"bash\": \"ask\"}")) {
            write(h.project.resolve(".opencode/agent/build.md"), "---\ndescription: builds\nmode: primary\npermission:\n  bash: allow\n---\nYou build.\n");
            llm.enqueue(Turn.of(Step.toolCall("c1", "bash", "{\"command\":\"echo hello\",\"description\":\"x\"}")));
            var s = h.session();
            h.api.prompt(s.id(), PromptRequest.text("say hello"));
            var asked = (Event.PermissionAsked) h.awaitEvent(Event.PermissionAsked.class::isInstance);
            assertThat(asked.request().permission()).isEqualTo("bash");
            h.api.replyPermission(asked.request().id(), PermissionReplyRequest.of(PermissionReply.REJECT));
            h.awaitIdle(s.id());
        }
    }

    @Test
    void onceTrustedTheFoldersAllowRulesApply() throws Exception {
        try (var llm = FakeLlm.start(); var h = harness(tmp, llm, "{\"bash\": \"ask\"}")) {
            write(h.project.resolve(".claude/settings.json"), "{\"permissions\": {\"allow\": [\"Bash(echo:*)\"]}}");
            h.trustProject();
            llm.enqueue(Turn.of(Step.toolCall("c1", "bash", "{\"command\":\"echo hello\",\"description\":\"x\"}")));
            llm.enqueue(Turn.of(Step.text("done")));
            h.promptAndWait(h.session().id(), "echo hello");

            assertThat(llm.requests().get(1).toolResult("c1").orElseThrow()).contains("hello");
            assertThat(h.events).noneSatisfy(e -> assertThat(e.event()).isInstanceOf(Event.PermissionAsked.class));
        }
    }
}
