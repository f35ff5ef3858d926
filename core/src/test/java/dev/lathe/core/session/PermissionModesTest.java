package dev.lathe.core.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.core.config.Config;
import dev.lathe.core.trust.Withheld;
import dev.lathe.llm.Protocols;
import dev.lathe.protocol.api.PermissionReplyRequest;
import dev.lathe.protocol.api.PromptRequest;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.event.PermissionReply;
import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.Turn;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 67 (DESIGN §27): Claude Code's {@code permissions.defaultMode} and {@code additionalDirectories} in a project's
 * {@code .claude/settings.json}, as Claude Code writes them, apply in a trusted folder and ask as before in an untrusted
 * one, where what was skipped is named; {@code bypassPermissions} never applies. End to end: the real core, real files,
 * the fake model over HTTP; the evidence is the asks, the files on disk and what the provider received.
 */
class PermissionModesTest {
    @TempDir Path tmp;

    private static Harness harness(Path tmp, FakeLlm llm) throws Exception {
        return harness(tmp, llm, "");
    }

    private static Harness harness(Path tmp, FakeLlm llm, String more) throws Exception {
        return new Harness(tmp, "{\"model\": \"fake/m\", \"provider\": {\"fake\": {\"protocol\": \"openai-chat\", \"baseUrl\": \"" + llm.baseUrl()
                + "\", \"models\": {\"m\": {\"context\": 100000, \"output\": 4000}}}}" + more + "}", 20, Protocols.standard(HttpClient.newHttpClient()));
    }

    private static void write(Path file, String text) throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    /** Sends {@code prompt} in a new session, rejects the ask it raises and answers the ask's permission. */
    private static String askedAndRejected(Harness h, String prompt) throws Exception {
        var s = h.session();
        h.api.prompt(s.id(), PromptRequest.text(prompt));
        var asked = (Event.PermissionAsked) h.awaitEvent(Event.PermissionAsked.class::isInstance);
        h.api.replyPermission(asked.request().id(), PermissionReplyRequest.of(PermissionReply.REJECT));
        h.awaitIdle(s.id());
        return asked.request().permission();
    }

    private static final String ACCEPT_EDITS = """
            {
              "permissions": {
                "defaultMode": "acceptEdits"
              }
            }
            """;

    @Test
    void acceptEditsInATrustedFolderEditsWithoutAnAsk() throws Exception {
        try (var llm = FakeLlm.start(); var h = harness(tmp, llm)) {
            write(h.project.resolve(".claude/settings.json"), ACCEPT_EDITS);
            h.trustProject();
            llm.enqueue(Turn.of(Step.toolCall("c1", "write", "{\"path\":\"made.txt\",\"content\":\"written\\n\"}")));
            llm.enqueue(Turn.of(Step.text("done")));
            h.promptAndWait(h.session().id(), "write made.txt");

            assertThat(h.project.resolve("made.txt")).hasContent("written");
            assertThat(h.events).noneSatisfy(e -> assertThat(e.event()).isInstanceOf(Event.PermissionAsked.class));
        }
    }

    @Test
    void acceptEditsInAnUntrustedFolderStillAsksAndIsNamedAsSkipped() throws Exception {
        try (var llm = FakeLlm.start(); var h = harness(tmp, llm)) {
            write(h.project.resolve(".claude/settings.json"), ACCEPT_EDITS);
            llm.enqueue(Turn.of(Step.toolCall("c1", "write", "{\"path\":\"made.txt\",\"content\":\"written\\n\"}")));
            llm.enqueue(Turn.of(Step.text("done")));
            assertThat(askedAndRejected(h, "write made.txt")).isEqualTo("edit");

            assertThat(h.project.resolve("made.txt")).doesNotExist();
            var skipped = h.projects.get(h.project.toString()).config().withheldOf(Withheld.Kind.PERMISSION_MODES);
            assertThat(skipped).extracting(Withheld::message)
                    .containsExactly("skipped defaultMode acceptEdits from .claude/settings.json (run lathe trust to allow it)");
        }
    }

    @Test
    void additionalDirectoriesOfATrustedFolderAreReadWithoutAnAskAndWritableInTheSandbox() throws Exception {
        try (var llm = FakeLlm.start(); var h = harness(tmp, llm)) {
            Path shared = Files.createDirectories(tmp.resolve("shared"));
            write(shared.resolve("notes.txt"), "SHARED-NOTES-7f1c\n");
            write(h.project.resolve(".claude/settings.json"), "{\"permissions\": {\"additionalDirectories\": [\"../shared\"]}}");
            h.trustProject();
            llm.enqueue(Turn.of(Step.toolCall("c1", "read", "{\"path\":\"" + shared.resolve("notes.txt") + "\"}")));
            llm.enqueue(Turn.of(Step.text("done")));
            h.promptAndWait(h.session().id(), "read the shared notes");

            assertThat(llm.requests().get(1).toolResult("c1").orElseThrow()).contains("SHARED-NOTES-7f1c");
            assertThat(h.events).noneSatisfy(e -> assertThat(e.event()).isInstanceOf(Event.PermissionAsked.class));
            assertThat(h.projects.get(h.project.toString()).config().sandbox().writable()).contains(shared.toRealPath().toString());
        }
    }

    /** The sandbox binds the folder writable, and only it: a folder outside both stays read-only to bash. */
    @Test
    void bashInTheSandboxMayWriteInAnAdditionalDirectoryOnly() throws Exception {
        SandboxTest.bubblewrapWorks();
        try (var llm = FakeLlm.start(); var h = harness(tmp, llm, ", \"sandbox\": \"on\", \"permission\": {\"bash\": \"allow\", \"edit\": \"allow\", \"external_directory\": \"allow\"}")) {
            Path shared = Files.createDirectories(tmp.resolve("shared"));
            Path other = Files.createDirectories(tmp.resolve("other"));
            write(h.project.resolve(".claude/settings.json"), "{\"permissions\": {\"additionalDirectories\": [\"../shared\"]}}");
            h.trustProject();
            String command = "echo made > " + shared.resolve("out.txt") + "; echo made > " + other.resolve("out.txt");
            llm.enqueue(Turn.of(Step.toolCall("c1", "bash", "{\"command\":\"" + command + "\",\"description\":\"write both\"}")));
            llm.enqueue(Turn.of(Step.text("done")));
            h.promptAndWait(h.session().id(), "write both");

            assertThat(shared.resolve("out.txt")).hasContent("made");
            assertThat(other.resolve("out.txt")).doesNotExist();
        }
    }

    @Test
    void additionalDirectoriesOfAnUntrustedFolderStillAsk() throws Exception {
        try (var llm = FakeLlm.start(); var h = harness(tmp, llm)) {
            Path shared = Files.createDirectories(tmp.resolve("shared"));
            write(shared.resolve("notes.txt"), "SHARED-NOTES-7f1c\n");
            write(h.project.resolve(".claude/settings.local.json"), "{\"permissions\": {\"additionalDirectories\": [\"../shared\"]}}");
            llm.enqueue(Turn.of(Step.toolCall("c1", "read", "{\"path\":\"" + shared.resolve("notes.txt") + "\"}")));
            llm.enqueue(Turn.of(Step.text("done")));
            assertThat(askedAndRejected(h, "read the shared notes")).isEqualTo("external_directory");

            var config = h.projects.get(h.project.toString()).config();
            assertThat(config.sandbox().writable()).isEmpty();
            assertThat(config.withheldOf(Withheld.Kind.PERMISSION_MODES)).extracting(Withheld::message)
                    .containsExactly("skipped additionalDirectories ../shared from .claude/settings.local.json (run lathe trust to allow it)");
        }
    }

    @Test
    void planStartsNewSessionsOnThePlanAgentAndBypassNeverApplies() throws Exception {
        try (var llm = FakeLlm.start(); var h = harness(tmp, llm)) {
            write(h.project.resolve(".claude/settings.json"), "{\"permissions\": {\"defaultMode\": \"plan\"}}");
            write(h.project.resolve(".claude/settings.local.json"), "{\"permissions\": {\"defaultMode\": \"bypassPermissions\"}}");
            h.trustProject();

            assertThat(h.session().agent()).isEqualTo("plan");
            var config = h.projects.get(h.project.toString()).config();
            assertThat(config.withheldOf(Withheld.Kind.PERMISSION_MODES)).extracting(Withheld::message).containsExactly(
                    "not applied: defaultMode bypassPermissions from .claude/settings.local.json (never taken from a project's file;"
                            + " lathe run --allow-all answers asks for one run)");
            assertThat(config.permission()).noneMatch(r -> r.action().equals("allow") && r.origin().layer() == Config.Layer.PROJECT);
        }
    }
}
