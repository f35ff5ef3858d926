package dev.lathe.acp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.jsonrpc.Json;
import dev.lathe.jsonrpc.JsonRpcError;
import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.PartId;
import dev.lathe.protocol.PermissionId;
import dev.lathe.protocol.RawJson;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.InputPart;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.event.PermissionReply;
import dev.lathe.protocol.event.PermissionRequest;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.ToolDisplay;
import dev.lathe.protocol.session.ToolState;
import dev.lathe.protocol.session.Usage;
import dev.lathe.protocol.session.UserMessage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/** The mappings between ACP's JSON and Lathe's records, each on its own (the whole agent runs in AcpIT). */
class AcpMappingTest {
    private static final Path DIR = Path.of("/work/project");
    private static final String DIFF = """
            --- a/src/app.py
            +++ b/src/app.py
            @@ -1,3 +1,3 @@
             def greet():
            -    return "hello"
            +    return "hello, world"
            \s
            @@ -10,2 +10,3 @@
             x = 1
            +y = 2
             z = 3
            """;

    @Test
    void aUnifiedDiffBecomesEachFilesTextBeforeAndAfter() {
        List<DiffSnippets.Snippet> snippets = DiffSnippets.of(DIFF);
        assertThat(snippets).hasSize(1);
        DiffSnippets.Snippet s = snippets.getFirst();
        assertThat(s.path()).isEqualTo("src/app.py");
        assertThat(s.oldText()).contains("def greet():\n    return \"hello\"\n\n…\nx = 1\nz = 3\n");
        assertThat(s.newText()).isEqualTo("def greet():\n    return \"hello, world\"\n\n…\nx = 1\ny = 2\nz = 3\n");
        // a created file has no old text
        var created = DiffSnippets.of("--- /dev/null\n+++ b/new.txt\n@@ -0,0 +1 @@\n+fresh\n");
        assertThat(created.getFirst().oldText()).isEmpty();
        assertThat(created.getFirst().newText()).isEqualTo("fresh\n");
    }

    @Test
    void promptBlocksBecomeLathePromptParts() throws JsonRpcError {
        var blocks = Json.mapper().createArrayNode();
        blocks.addObject().put("type", "text").put("text", "fix this");
        blocks.addObject().put("type", "image").put("mimeType", "image/png").put("data", "iVBOR");
        blocks.addObject().put("type", "resource_link").put("uri", "file:///work/project/src/app.py").put("name", "app.py");
        blocks.addObject().put("type", "resource").putObject("resource").put("uri", "file:///work/project/notes.md").put("text", "selected lines");
        List<InputPart> parts = PromptContent.of(blocks);
        assertThat(parts).containsExactly(
                new InputPart.Text("fix this"),
                new InputPart.File("image/png", "image", "data:image/png;base64,iVBOR"),
                new InputPart.Text("[file: /work/project/src/app.py]"),
                new InputPart.Text("<context uri=\"/work/project/notes.md\">\nselected lines\n</context>"));

        var audio = Json.mapper().createArrayNode();
        audio.addObject().put("type", "audio").put("mimeType", "audio/wav").put("data", "x");
        assertThatThrownBy(() -> PromptContent.of(audio)).isInstanceOf(JsonRpcError.class).hasMessageContaining("audio is not supported");
        assertThatThrownBy(() -> PromptContent.of(Json.mapper().createArrayNode())).hasMessageContaining("non-empty");
    }

    @Test
    void theFeedStreamsEachPartOnceAndNeverEchoesTheEditorsOwnPrompt() {
        SessionId session = SessionId.next();
        var updates = new ArrayList<ObjectNode>();
        var feed = new SessionFeed(session, DIR, updates::add);
        // the editor's prompt: announced while it is being stored, so it is not sent back
        feed.promptSending();
        var own = new UserMessage(MessageId.next(), session, 1, "build", "fake/m");
        feed.on(new Event.MessageUpdated(own));
        feed.on(new Event.PartUpdated(new Part.Text(PartId.next(), session, own.id(), "my prompt", false)));
        feed.promptStored(own.id());
        // the answer: the part is announced empty, streams as deltas, then is stored whole
        var answer = new AssistantMessage(MessageId.next(), session, own.id(), "build", "fake/m", 2, Optional.empty(), Optional.empty(),
                Optional.empty(), Usage.ZERO, 0);
        feed.on(new Event.MessageUpdated(answer));
        PartId text = PartId.next();
        feed.on(new Event.PartUpdated(new Part.Text(text, session, answer.id(), "", false)));
        feed.on(new Event.PartDelta(session, answer.id(), text, "text", "Hello"));
        feed.on(new Event.PartDelta(session, answer.id(), text, "text", ", wor"));
        feed.on(new Event.PartUpdated(new Part.Text(text, session, answer.id(), "Hello, world", false)));
        feed.on(new Event.PartUpdated(new Part.Text(text, session, answer.id(), "Hello, world", false)));
        // a prompt typed in another client reaches the editor as a user chunk
        var other = new UserMessage(MessageId.next(), session, 3, "build", "fake/m");
        feed.on(new Event.MessageUpdated(other));
        feed.on(new Event.PartUpdated(new Part.Text(PartId.next(), session, other.id(), "from the terminal", false)));
        // another session's events are not this feed's
        feed.on(new Event.PartDelta(SessionId.next(), answer.id(), text, "text", "elsewhere"));

        assertThat(updates).extracting(u -> u.path("sessionUpdate").asString() + ":" + u.path("content").path("text").asString())
                .containsExactly("agent_message_chunk:Hello", "agent_message_chunk:, wor", "agent_message_chunk:ld", "user_message_chunk:from the terminal");
    }

    @Test
    void aLoadReplaysTheStoredConversationAndTheEventsAfterItSendOnlyWhatIsNew() {
        SessionId session = SessionId.next();
        var updates = new ArrayList<ObjectNode>();
        var feed = new SessionFeed(session, DIR, updates::add);
        var user = new UserMessage(MessageId.next(), session, 1, "build", "fake/m");
        var answer = new AssistantMessage(MessageId.next(), session, user.id(), "build", "fake/m", 2, Optional.empty(), Optional.empty(),
                Optional.empty(), Usage.ZERO, 0);
        PartId text = PartId.next();
        var call = new Part.Tool(PartId.next(), session, answer.id(), "call_1", "read",
                new ToolState.Completed(new RawJson("{\"path\":\"a.txt\"}"), "alpha", "a.txt", Map.of(), 1, 2));
        // stored while the answer was still streaming: its text cut at a flush
        feed.replay(List.of(
                new dev.lathe.protocol.api.MessageWithParts(user, List.of(new Part.Text(PartId.next(), session, user.id(), "what is in a.txt?", false),
                        new Part.Text(PartId.next(), session, user.id(), "<environment note>", true))),
                new dev.lathe.protocol.api.MessageWithParts(answer, List.of(call, new Part.Text(text, session, answer.id(), "It says al", false)))),
                List.of(new dev.lathe.protocol.session.Todo("check a.txt", dev.lathe.protocol.session.Todo.Status.IN_PROGRESS,
                        dev.lathe.protocol.session.Todo.Priority.HIGH)));
        // events held during the load: a delta already in the stored text, the final version, the call again
        feed.on(new Event.PartDelta(session, answer.id(), text, "text", "al"));
        feed.on(new Event.PartUpdated(new Part.Text(text, session, answer.id(), "It says alpha.", false)));
        feed.on(new Event.PartUpdated(call));

        assertThat(updates).extracting(u -> u.path("sessionUpdate").asString() + ":" + u.path("content").path("text").asString())
                .containsExactly("user_message_chunk:what is in a.txt?", "tool_call:", "agent_message_chunk:It says al", "plan:",
                        "agent_message_chunk:pha.", "tool_call_update:");
        assertThat(updates.get(3).path("entries").get(0).path("status").asString()).isEqualTo("in_progress");
    }

    @Test
    void aToolCallCarriesItsKindStatusLocationsAndDiff() {
        SessionId session = SessionId.next();
        var completed = new ToolState.Completed(new RawJson("{\"path\":\"src/app.py\",\"oldString\":\"hello\",\"newString\":\"hello, world\"}"),
                "Edited src/app.py", "src/app.py", Map.of(), 1, 2, List.of(), Optional.of(new ToolDisplay.FileChange(List.of("src/app.py"), DIFF)));
        ObjectNode call = ToolCalls.of(new Part.Tool(PartId.next(), session, MessageId.next(), "call_7", "edit", completed), DIR);
        assertThat(call.path("toolCallId").asString()).isEqualTo("call_7");
        assertThat(call.path("kind").asString()).isEqualTo("edit");
        assertThat(call.path("status").asString()).isEqualTo("completed");
        assertThat(call.path("locations").get(0).path("path").asString()).isEqualTo("/work/project/src/app.py");
        assertThat(call.path("content").get(0).path("type").asString()).isEqualTo("diff");
        assertThat(call.path("content").get(0).path("newText").asString()).contains("hello, world");
        assertThat(call.path("rawInput").path("oldString").asString()).isEqualTo("hello");

        var failed = new ToolState.Failed(new RawJson("{\"command\":\"make\"}"), "exit 2", 1, 2);
        ObjectNode bash = ToolCalls.of(new Part.Tool(PartId.next(), session, MessageId.next(), "call_8", "bash", failed), DIR);
        assertThat(bash.path("kind").asString()).isEqualTo("execute");
        assertThat(bash.path("status").asString()).isEqualTo("failed");
        assertThat(bash.path("title").asString()).isEqualTo("bash make");
        assertThat(ToolCalls.kind("mcp__github__create_issue")).isEqualTo("other");
    }

    @Test
    void anAskOffersLathesThreeAnswersAndTheEditorsChoiceMapsBack() {
        SessionId session = SessionId.next();
        var ask = new PermissionRequest(PermissionId.next(), session, MessageId.next(), "call_1", "edit", List.of("src/app.py"), List.of("src/*"),
                "Edit src/app.py", Map.of(), 1, Optional.of(new ToolDisplay.FileChange(List.of("src/app.py"), DIFF)));
        ObjectNode params = PermissionRelay.params(session, ask, DIR);
        assertThat(params.path("toolCall").path("kind").asString()).isEqualTo("edit");
        assertThat(params.path("toolCall").path("content").get(0).path("path").asString()).isEqualTo("/work/project/src/app.py");
        assertThat(params.path("options").findValuesAsString("kind")).containsExactly("allow_once", "allow_always", "reject_once");

        assertThat(PermissionRelay.answer(outcome("selected", "allow_once"))).isEqualTo(PermissionReply.ONCE);
        assertThat(PermissionRelay.answer(outcome("selected", "allow_always"))).isEqualTo(PermissionReply.ALWAYS);
        assertThat(PermissionRelay.answer(outcome("selected", "reject_always"))).isEqualTo(PermissionReply.REJECT);
        assertThat(PermissionRelay.answer(outcome("cancelled", ""))).isEqualTo(PermissionReply.REJECT);
    }

    private static ObjectNode outcome(String outcome, String option) {
        ObjectNode result = Json.object();
        result.putObject("outcome").put("outcome", outcome).put("optionId", option);
        return result;
    }
}
