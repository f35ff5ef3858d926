package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.client.HttpLatheClient;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.Turn;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Permission asks in the terminal UI on a small (80×24) terminal, end to end: the header stays on screen while a long
 * diff scrolls to its last line; "no, and tell the agent" continues the turn with the user's words as the call's
 * result; an "always" answer is listed and revoked with {@code /permissions} and {@code lathe permissions}.
 */
class PermissionAsksIT {
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir Path home;
    TuiBed bed;

    @BeforeEach
    void setUp() {
        bed = TuiBed.start("alpha\n");
    }

    @AfterEach
    void tearDown() {
        if (bed != null) bed.close();
    }

    @Test
    void aLongDiffKeepsTheHeaderOnA80x24ScreenScrollsToItsEndAndFeedbackContinuesTheTurn() throws Exception {
        start();
        String content = IntStream.rangeClosed(1, 60).mapToObj(i -> "row " + i).collect(Collectors.joining("\n", "", "\n"));
        bed.llm.enqueue(Turn.of(Step.text("I will write it."), Step.toolCall("c1", "write",
                JSON.writeValueAsString(JSON.createObjectNode().put("path", "src/big.txt").put("content", content)))));
        bed.llm.enqueue(Turn.of(Step.text("Understood, I left src/big.txt unwritten.")));

        bed.tmux.type("write src/big.txt").sendKeys("Enter");
        String asked = bed.tmux.awaitText("Permission: edit", WAIT);
        // the whole ask on the 24 rows: header, file, a window of the diff with its keys, the options
        assertThat(asked).contains("╭ Permission: edit").contains("src/big.txt").contains("1. Yes, once")
                .contains("2. Yes, allow all edits in this session").contains("3. No").contains("pgdn");
        assertThat(asked).contains("row 1").doesNotContain("row 60").doesNotContain("more lines");

        // every line can be read before answering; the header never leaves
        for (int i = 0; i < 8; i++) bed.tmux.sendKeys("PageDown");
        String end = bed.tmux.awaitText("+ row 60", WAIT);
        assertThat(end).contains("╭ Permission: edit").contains("src/big.txt").contains("of 60").contains("3. No");
        for (int i = 0; i < 8; i++) bed.tmux.sendKeys("PageUp");
        bed.tmux.await("the diff's start again", s -> s.contains("+ row 1 ") || s.lines().anyMatch(l -> l.stripTrailing().endsWith("+ row 1")), WAIT);

        // "no, and tell the agent": the same turn goes on with the words as the call's result
        bed.tmux.awaitArmedAsk(WAIT).sendKeys("3");
        bed.tmux.awaitText("and tell the agent:", WAIT);
        bed.tmux.type("not in src, put it in docs");
        bed.tmux.awaitText("and tell the agent: not in src, put it in docs", WAIT);
        bed.tmux.sendKeys("Enter");
        String done = bed.tmux.awaitText("Understood, I left src/big.txt unwritten.", WAIT);
        assertThat(done).contains("⊘").contains("Rejected by you: not in src, put it in docs").doesNotContain("✗");
        assertThat(bed.llm.requests()).hasSize(2);
        assertThat(bed.llm.requests().get(1).toolResult("c1")).hasValueSatisfying(r -> assertThat(r).contains("not in src, put it in docs"));
        assertThat(bed.ws.path().resolve("src/big.txt")).doesNotExist();
        bed.tmux.await("the idle screen", s -> !s.contains("Working…"), WAIT);
        AssistantMessage last = lastAssistant();
        assertThat(last.error()).isEmpty();
        assertThat(last.finish()).contains("stop");
    }

    @Test
    void anAlwaysAnswerIsListedAndRevokedWithSlashPermissionsAndTheCommandLine() throws Exception {
        start();
        bed.llm.enqueue(Turn.of(Step.toolCall("c1", "write", "{\"path\":\"a.txt\",\"content\":\"a\"}")));
        bed.llm.enqueue(Turn.of(Step.text("Wrote a.")));
        bed.tmux.type("write a").sendKeys("Enter");
        bed.tmux.awaitText("Permission: edit", WAIT);
        bed.tmux.answerAsk(2, WAIT);
        bed.tmux.awaitText("Wrote a.", WAIT);
        bed.tmux.await("the idle screen", s -> !s.contains("Working…"), WAIT);

        var listed = bed.lathe.run("permissions", "--dir", bed.ws.path().toString());
        assertThat(listed.exit()).as(listed.stderr()).isZero();
        assertThat(listed.stdout()).contains("ID").contains("edit").contains("session ses_");
        String id = listed.stdout().lines().skip(1).findFirst().orElseThrow().split("\\s+")[0];

        bed.tmux.type("/permissions").sendKeys("Enter");
        bed.tmux.awaitText("Remembered answers", WAIT);
        assertThat(bed.tmux.capture()).contains(id).contains("enter revoke");
        bed.tmux.sendKeys("Enter");
        bed.tmux.awaitText("Revoked edit *", WAIT);

        var after = bed.lathe.run("permissions", "--dir", bed.ws.path().toString());
        assertThat(after.exit()).as(after.stderr()).isZero();
        assertThat(after.stdout()).doesNotContain(id);
        assertThat(after.stderr()).contains("no remembered answers");
        var again = bed.lathe.run("permissions", "--dir", bed.ws.path().toString(), "--revoke", id);
        assertThat(again.exit()).isEqualTo(1);
        assertThat(again.stderr()).contains(id);

        // revoked: the next edit of the same session is asked for again
        bed.llm.enqueue(Turn.of(Step.toolCall("c2", "write", "{\"path\":\"b.txt\",\"content\":\"b\"}")));
        bed.llm.enqueue(Turn.of(Step.text("Wrote b.")));
        bed.tmux.type("write b").sendKeys("Enter");
        bed.tmux.awaitText("Permission: edit", WAIT);
        bed.tmux.answerAsk(1, WAIT);
        bed.tmux.awaitText("Wrote b.", WAIT);
    }

    private void start() throws Exception {
        ObjectNode config = (ObjectNode) JSON.readTree(Lathe.providerConfig("anthropic-messages", bed.llm.baseUrl(), "sk-tui"));
        config.set("permission", JSON.readTree("{\"*\": \"allow\", \"edit\": \"ask\"}"));
        bed.lathe = new Lathe(home, JSON.writeValueAsString(config));
        bed.tmux = Tmux.start(bed.lathe.command(), bed.ws.path(), 80, 24);
        bed.tmux.awaitText("Ask anything", WAIT);
    }

    private AssistantMessage lastAssistant() throws Exception {
        var r = bed.lathe.run("sessions", "--dir", bed.ws.path().toString(), "--format", "json");
        JsonNode list = JSON.readTree(r.stdout());
        try (var api = HttpLatheClient.connect(bed.lathe.server().orElseThrow(), Optional.of(bed.ws.path().toString()))) {
            List<MessageWithParts> history = api.messages(new SessionId(list.get(0).get("id").asString()));
            return history.reversed().stream().map(MessageWithParts::info).filter(AssistantMessage.class::isInstance)
                    .map(AssistantMessage.class::cast).findFirst().orElseThrow();
        }
    }
}
