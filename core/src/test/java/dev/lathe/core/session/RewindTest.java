package dev.lathe.core.session;

import static dev.lathe.core.session.ScriptedProtocol.call;
import static dev.lathe.core.session.ScriptedProtocol.finish;
import static dev.lathe.core.session.ScriptedProtocol.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.llm.LlmEvent;
import dev.lathe.llm.StopReason;
import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.api.Restore;
import dev.lathe.protocol.api.RewindRequest;
import dev.lathe.protocol.api.RewindResult;
import dev.lathe.protocol.api.RewoundTurns;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.MessageRewound;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.UserMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rewind by turn (DESIGN §18 "Rewind") over a ten-turn session of the scripted model: odd turns change
 * {@code tool.txt} with the write tool, even turns change {@code bash.txt} with a bash command.
 */
class RewindTest {
    private static final String ALLOW = ", \"permission\": {\"edit\": \"allow\", \"bash\": \"allow\"}";

    @TempDir Path tmp;

    @Test
    void codeOnlyPutsBackToolAndBashEditsAndLeavesTheConversation() throws Exception {
        try (var h = new Harness(tmp, ALLOW, 10)) {
            var s = h.session();
            List<MessageId> turns = tenTurns(h, s.id());
            int listed = h.api.messages(s.id()).size();

            RewindResult result = h.api.rewind(s.id(), RewindRequest.to(turns.get(5), Restore.code));

            assertThat(read(h, "tool.txt")).isEqualTo("tool 5\n");
            assertThat(read(h, "bash.txt")).isEqualTo("bash 4\n");
            assertThat(result.files()).containsExactly("bash.txt", "tool.txt");
            assertThat(result.rewound()).isEmpty();
            assertThat(h.api.messages(s.id())).hasSize(listed);
            assertThat(RewoundTurns.of(h.api.messages(s.id()))).isEmpty();
            h.llm.then(text("ok"), finish(StopReason.STOP));
            h.promptAndWait(s.id(), "what now");
            assertThat(h.llm.requests.getLast().messages().toString()).contains("turn 10", "what now");
        }
    }

    @Test
    void conversationOnlyKeepsTheLaterMessagesListedAsRewoundAndTheModelNeverReadsThem() throws Exception {
        try (var h = new Harness(tmp, ALLOW, 10)) {
            var s = h.session();
            List<MessageId> turns = tenTurns(h, s.id());
            int listed = h.api.messages(s.id()).size();

            RewindResult result = h.api.rewind(s.id(), RewindRequest.to(turns.get(5), Restore.conversation));

            assertThat(read(h, "tool.txt")).isEqualTo("tool 9\n");
            assertThat(read(h, "bash.txt")).isEqualTo("bash 10\n");
            assertThat(result.files()).isEmpty();
            List<MessageWithParts> messages = h.api.messages(s.id());
            assertThat(messages).as("kept in the store and listed").hasSize(listed);
            var rewound = RewoundTurns.of(messages);
            assertThat(rewound).containsExactlyInAnyOrderElementsOf(result.rewound());
            // turns 6 to 10: each prompt and its answers
            assertThat(messages.stream().filter(m -> rewound.contains(m.info().id()))).hasSize(5 * 2)
                    .anySatisfy(m -> assertThat(m.info()).isInstanceOf(AssistantMessage.class));
            assertThat(messages.stream().filter(m -> m.info() instanceof UserMessage && MessageRewound.marks(m.parts())).map(m -> m.info().id()))
                    .containsExactlyElementsOf(turns.subList(5, 10));

            h.llm.then(text("ok"), finish(StopReason.STOP));
            h.promptAndWait(s.id(), "what now");
            String sent = h.llm.requests.getLast().messages().toString();
            assertThat(sent).contains("turn 5", "what now").doesNotContain("turn 6", "turn 10", "bash 10", MessageRewound.TEXT);
            assertThat(h.api.messages(s.id())).hasSize(listed + 2);
        }
    }

    @Test
    void bothRestoresFilesAndConversationAndASecondRewindGoesFurtherBack() throws Exception {
        try (var h = new Harness(tmp, ALLOW, 10)) {
            var s = h.session();
            List<MessageId> turns = tenTurns(h, s.id());

            h.api.rewind(s.id(), RewindRequest.to(turns.get(7), Restore.both));
            assertThat(read(h, "tool.txt")).isEqualTo("tool 7\n");
            assertThat(read(h, "bash.txt")).isEqualTo("bash 6\n");
            RewindResult again = h.api.rewind(s.id(), RewindRequest.to(turns.get(3), Restore.both));

            assertThat(read(h, "tool.txt")).isEqualTo("tool 3\n");
            assertThat(read(h, "bash.txt")).isEqualTo("bash 2\n");
            assertThat(again.rewound()).as("turns 4 to 7; 8 to 10 were rewound already").hasSize(4 * 2);
            h.llm.then(text("ok"), finish(StopReason.STOP));
            h.promptAndWait(s.id(), "what now");
            assertThat(h.llm.requests.getLast().messages().toString()).contains("turn 3").doesNotContain("turn 4", "turn 8");
        }
    }

    @Test
    void aFileChangedOutsideTheAgentIsNamedAndKeptUnlessConfirmed() throws Exception {
        try (var h = new Harness(tmp, ALLOW, 10)) {
            var s = h.session();
            List<MessageId> turns = tenTurns(h, s.id());
            Files.writeString(h.project.resolve("bash.txt"), "mine\n");

            assertThatThrownBy(() -> h.api.rewind(s.id(), RewindRequest.to(turns.get(5), Restore.both)))
                    .isInstanceOfSatisfying(LatheException.Conflict.class, e -> assertThat(e.getMessage())
                            .contains("1 file changed outside the agent", "bash.txt", "\"confirm\": true").doesNotContain("tool.txt"));
            assertThat(read(h, "tool.txt")).as("nothing changed").isEqualTo("tool 9\n");
            assertThat(RewoundTurns.of(h.api.messages(s.id()))).isEmpty();

            RewindResult kept = h.api.rewind(s.id(), RewindRequest.to(turns.get(5), Restore.code).keepingOutsideEdits());
            assertThat(kept.kept()).containsExactly("bash.txt");
            assertThat(kept.files()).containsExactly("tool.txt");
            assertThat(read(h, "bash.txt")).isEqualTo("mine\n");
            assertThat(read(h, "tool.txt")).isEqualTo("tool 5\n");

            RewindResult confirmed = h.api.rewind(s.id(), RewindRequest.to(turns.get(5), Restore.code).overwritingOutsideEdits());
            assertThat(confirmed.files()).contains("bash.txt");
            assertThat(read(h, "bash.txt")).isEqualTo("bash 4\n");
        }
    }

    @Test
    void badInputIsRefusedInTheCallersWordsAndChangesNothing() throws Exception {
        try (var h = new Harness(tmp, ALLOW, 10)) {
            var s = h.session();
            List<MessageId> turns = tenTurns(h, s.id());
            var other = h.session();
            h.llm.then(text("hi"), finish(StopReason.STOP));
            h.promptAndWait(other.id(), "elsewhere");
            MessageId otherPrompt = h.api.messages(other.id()).getFirst().info().id();
            MessageId answer = h.api.messages(s.id()).stream().filter(m -> m.info() instanceof AssistantMessage).findFirst().orElseThrow().info().id();

            assertThatThrownBy(() -> h.api.rewind(s.id(), RewindRequest.to(MessageId.next(), Restore.both))).isInstanceOf(LatheException.NotFound.class)
                    .hasMessageContaining("no message");
            assertThatThrownBy(() -> h.api.rewind(s.id(), RewindRequest.to(otherPrompt, Restore.both))).as("a message of another session")
                    .isInstanceOf(LatheException.NotFound.class);
            assertThatThrownBy(() -> h.api.rewind(s.id(), RewindRequest.to(answer, Restore.both))).isInstanceOf(LatheException.InvalidInput.class)
                    .hasMessageContaining("not a message you sent");
            assertThatThrownBy(() -> h.api.rewind(s.id(), new RewindRequest(turns.get(1), null, Optional.empty())))
                    .isInstanceOf(LatheException.InvalidInput.class).hasMessageContaining("code, conversation, both");
            assertThatThrownBy(() -> h.api.rewind(s.id(), new RewindRequest(null, Restore.code, Optional.empty())))
                    .isInstanceOf(LatheException.InvalidInput.class).hasMessageContaining("messageId");
            assertThat(read(h, "tool.txt")).isEqualTo("tool 9\n");
            assertThat(RewoundTurns.of(h.api.messages(s.id()))).isEmpty();
            assertThat(read(h, "elsewhere.txt")).isEqualTo("untouched\n");
        }
    }

    @Test
    void aFolderSwappedForALinkOutOfTheProjectIsNeverRestoredThrough() throws Exception {
        try (var h = new Harness(tmp, ALLOW, 10)) {
            var s = h.session();
            Files.createDirectories(h.project.resolve("sub"));
            Path outside = Files.createDirectories(tmp.resolve("outside"));
            Files.writeString(outside.resolve("x.txt"), "precious\n");
            h.llm.then(concat(call(0, "c1", "write", "{\"path\":\"sub/x.txt\",\"content\":\"made\\n\"}"), new LlmEvent[] {finish(StopReason.TOOL_CALLS)}));
            h.llm.then(text("done"), finish(StopReason.STOP));
            h.promptAndWait(s.id(), "make sub/x.txt");
            MessageId prompt = h.api.messages(s.id()).getFirst().info().id();
            // the user swaps the folder for a link out of the project, then confirms the rewind
            Files.delete(h.project.resolve("sub/x.txt"));
            Files.delete(h.project.resolve("sub"));
            Files.createSymbolicLink(h.project.resolve("sub"), outside);

            h.api.rewind(s.id(), RewindRequest.to(prompt, Restore.code).overwritingOutsideEdits());

            assertThat(outside.resolve("x.txt")).as("the file behind the link").hasContent("precious");
            assertThat(Files.isSymbolicLink(h.project.resolve("sub"))).isTrue();
        }
    }

    @Test
    void summariseFromHereReplacesTheLaterTurnsWithTheModelsSummaryAndLeavesTheFiles() throws Exception {
        try (var h = new Harness(tmp, ALLOW, 10)) {
            var s = h.session();
            List<MessageId> turns = tenTurns(h, s.id());
            int listed = h.api.messages(s.id()).size();
            h.llm.then(text("SUMMARY: turns 6 to 10 wrote tool.txt and bash.txt"), finish(StopReason.STOP));

            RewindResult result = h.api.rewind(s.id(), RewindRequest.to(turns.get(5), Restore.summarise));

            assertThat(read(h, "tool.txt")).as("files stay").isEqualTo("tool 9\n");
            assertThat(read(h, "bash.txt")).isEqualTo("bash 10\n");
            assertThat(result.files()).isEmpty();
            assertThat(result.rewound()).as("turns 6 to 10 with their answers").hasSize(5 * 2);
            String asked = h.llm.requests.getLast().messages().toString();
            assertThat(asked).as("the summary is asked of the whole conversation as the model saw it").contains("turn 5", "turn 10", "\"turn 6\" on");
            List<MessageWithParts> messages = h.api.messages(s.id());
            assertThat(messages).as("the rewound turns stay listed; the summary pair follows").hasSize(listed + 2);
            assertThat(messages.getLast().info().id()).isEqualTo(result.summary().orElseThrow());
            assertThat(RewoundTurns.of(messages)).containsExactlyInAnyOrderElementsOf(result.rewound()).doesNotContain(result.summary().get());
            MessageId pair = messages.get(messages.size() - 2).info().id();
            assertThat(MessageRewound.summarises(messages.get(messages.size() - 2).parts())).isTrue();

            h.llm.then(text("ok"), finish(StopReason.STOP));
            h.promptAndWait(s.id(), "what now");
            String sent = h.llm.requests.getLast().messages().toString();
            assertThat(sent).contains("turn 5", "SUMMARY: turns 6 to 10", "what now").doesNotContain("turn 7", "done 10");
            assertThat(sent.indexOf("done 5")).isLessThan(sent.indexOf("SUMMARY: turns 6 to 10"));
            assertThat(sent.indexOf("SUMMARY: turns 6 to 10")).isLessThan(sent.indexOf("what now"));
            assertThatThrownBy(() -> h.api.rewind(s.id(), RewindRequest.to(pair, Restore.both))).as("the summary's own message is no prompt of yours")
                    .isInstanceOf(LatheException.InvalidInput.class);
            assertThatThrownBy(() -> h.api.rewind(s.id(), RewindRequest.to(turns.get(7), Restore.summarise))).as("summarised already")
                    .isInstanceOf(LatheException.Conflict.class);
        }
    }

    @Test
    void aSummaryTheModelCannotWriteRewindsNothing() throws Exception {
        try (var h = new Harness(tmp, ALLOW, 10)) {
            var s = h.session();
            List<MessageId> turns = tenTurns(h, s.id());
            h.llm.then(finish(StopReason.STOP));

            assertThatThrownBy(() -> h.api.rewind(s.id(), RewindRequest.to(turns.get(5), Restore.summarise)))
                    .isInstanceOf(LatheException.Conflict.class).hasMessageContaining("nothing was rewound");

            h.llm.then(text("ok"), finish(StopReason.STOP));
            h.promptAndWait(s.id(), "what now");
            assertThat(h.llm.requests.getLast().messages().toString()).contains("turn 10", "done 10").doesNotContain("Rewound and summarised");
        }
    }

    /** Ten turns; returns the prompts' ids in order (turn i at index i - 1). */
    private static List<MessageId> tenTurns(Harness h, SessionId id) throws Exception {
        Files.writeString(h.project.resolve("elsewhere.txt"), "untouched\n");
        List<MessageId> prompts = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            String call = i % 2 == 1
                    ? "{\"path\":\"tool.txt\",\"content\":\"tool " + i + "\\n\"}"
                    : "{\"command\":\"printf 'bash " + i + "\\\\n' > bash.txt\"}";
            h.llm.then(concat(call(0, "c" + i, i % 2 == 1 ? "write" : "bash", call), new LlmEvent[] {finish(StopReason.TOOL_CALLS)}));
            h.llm.then(text("done " + i), finish(StopReason.STOP));
            h.promptAndWait(id, "turn " + i);
            prompts.add(h.api.messages(id).stream().filter(m -> m.info() instanceof UserMessage).toList().getLast().info().id());
        }
        assertThat(read(h, "tool.txt")).isEqualTo("tool 9\n");
        assertThat(read(h, "bash.txt")).isEqualTo("bash 10\n");
        assertThat(h.api.messages(id).stream().flatMap(m -> m.parts().stream()).filter(Part.Patch.class::isInstance)).hasSize(10);
        return prompts;
    }

    private static String read(Harness h, String file) throws Exception {
        return Files.readString(h.project.resolve(file));
    }

    private static LlmEvent[] concat(LlmEvent[]... groups) {
        return Stream.of(groups).flatMap(Stream::of).toArray(LlmEvent[]::new);
    }
}
