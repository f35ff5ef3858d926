package dev.lathe.core.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.llm.Protocols;
import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.RecordedRequest;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.Turn;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The prompt layout of DESIGN §7 over a long session, on the wire: the real core, tools and encoders against the fake
 * model over HTTP, for each protocol. Every request is the previous one plus new messages (100 % prefix continuity);
 * block A and the tools are byte-identical across projects and free of anything session specific; the environment
 * travels in the first user message only.
 */
class PromptLayoutTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"openai-chat", "anthropic-messages", "openai-responses"})
    void aLongSessionOnlyEverAppendsAndBlockAIsSharedAndClean(String protocol) throws Exception {
        try (var llm = FakeLlm.start()) {
            String config = "{\"model\": \"fake/m\", \"permission\": {\"edit\": \"allow\", \"bash\": \"allow\"}, \"provider\": {\"fake\": {\"protocol\": \""
                    + protocol + "\", \"baseUrl\": \"" + llm.baseUrl()
                    + "\", \"models\": {\"m\": {\"context\": 200000, \"output\": 4000, \"reasoningEffort\": \"low\"}}}}}";
            try (var h = new Harness(tmp, config, 30, Protocols.standard(HttpClient.newHttpClient()))) {
                Path project = h.project.toRealPath();
                Files.writeString(project.resolve("AGENTS.md"), "Project one: run the tests with make test.\n");
                Files.writeString(project.resolve("a.txt"), "alpha\nbeta\n");
                Files.createDirectories(project.resolve("sub"));
                Files.writeString(project.resolve("sub/AGENTS.md"), "Sub folder: keep lines short.\n");
                Files.writeString(project.resolve("sub/c.txt"), "gamma\n");
                git(project, "init", "-q", "-b", "trunk");
                Path other = Files.createDirectories(tmp.resolve("other"));
                Files.writeString(other.resolve("AGENTS.md"), "Project two: run npm test.\n");

                script(llm);
                var session = h.session();
                h.promptAndWait(session.id(), "tidy up the text files");
                int firstTurn = llm.requests().size();
                h.promptAndWait(session.id(), "now the sub folder");
                List<RecordedRequest> requests = llm.requests();
                assertThat(llm.pending()).isZero();
                assertThat(requests.size()).isGreaterThanOrEqualTo(20);
                assertThat(h.api.messages(session.id())).filteredOn(m -> m.info() instanceof dev.lathe.protocol.session.UserMessage).hasSize(2);

                // 1. every request's bytes start with the whole previous request (its conversation still open)
                for (int i = 1; i < requests.size(); i++) {
                    String before = WireLayout.comparable(requests.get(i - 1), protocol);
                    String after = WireLayout.comparable(requests.get(i), protocol);
                    assertThat(before).as("request %d", i - 1).endsWith("]}");
                    String open = before.substring(0, before.length() - 2);
                    assertThat(after).as("request %d continues request %d", i, i - 1).startsWith(open);
                    assertThat(after.charAt(open.length())).as("request %d adds messages after request %d's", i, i - 1).isEqualTo(',');
                }

                // 2. the environment is a part of the first user message, not of the system blocks or later messages
                RecordedRequest first = requests.getFirst();
                String date = LocalDate.now().toString();
                String system = first.system();
                assertThat(system).contains("Project one").doesNotContain(project.toString()).doesNotContain(date).doesNotContain("<environment>");
                List<JsonNode> users = userMessages(requests.getLast(), protocol);
                String firstUser = text(users.getFirst());
                assertThat(firstUser).contains("tidy up the text files").contains("<environment>").contains("Working folder: " + project)
                        .contains("Date: " + date).contains("Platform: ").contains("Git branch: trunk");
                String secondUser = text(userMessages(requests.get(firstTurn), protocol).getLast());
                assertThat(secondUser).contains("now the sub folder").doesNotContain("<environment>").doesNotContain("Working folder");
                assertThat(count(requests.getLast().body(), "<environment>")).isEqualTo(1);

                // 3. block A holds nothing specific to a user, a project or a day
                JsonNode a = WireLayout.blockA(first.json(), protocol);
                assertThat(a.toString()).doesNotContain(project.toString()).doesNotContain(tmp.toString());
                assertThat(PromptLeaks.find(blockAText(first.json(), protocol))).isEmpty();

                // 4. another project: the same block A and tools to the byte, its own block B
                llm.enqueue(Turn.of(Step.text("Hello from two.")));
                h.promptAndWait(h.session(other).id(), "hi");
                RecordedRequest two = llm.requests().getLast();
                assertThat(JSON.writeValueAsString(WireLayout.blockA(two.json(), protocol))).isEqualTo(JSON.writeValueAsString(a));
                assertThat(JSON.writeValueAsString(two.json().path("tools"))).isEqualTo(JSON.writeValueAsString(first.json().path("tools")));
                assertThat(two.toolNames()).isSorted().isEqualTo(first.toolNames());
                assertThat(two.system()).contains("Project two").doesNotContain("Project one");
                assertThat(text(userMessages(two, protocol).getFirst())).contains("Working folder: " + other.toRealPath());
            }
        }
    }

    /** Two user prompts, 21 model requests: every built-in tool that runs without a person or a network, text and reasoning. */
    private static void script(FakeLlm llm) {
        // first prompt
        llm.enqueue(Turn.of(Step.text("Let me look."), Step.toolCall("c1", "read", "{\"path\":\"a.txt\"}")));
        llm.enqueue(Turn.of(Step.toolCall("c2", "glob", "{\"pattern\":\"**/*.txt\"}")));
        llm.enqueue(Turn.of(Step.toolCall("c3", "grep", "{\"pattern\":\"alpha\"}")));
        llm.enqueue(Turn.of(Step.toolCall("c4", "list", "{\"path\":\".\"}")));
        llm.enqueue(Turn.of(Step.toolCall("c5", "todo", "{\"todos\":[{\"content\":\"Edit a.txt\",\"status\":\"in_progress\"},"
                + "{\"content\":\"Write b.txt\",\"status\":\"pending\"},{\"content\":\"Check\",\"status\":\"pending\"}]}")));
        llm.enqueue(Turn.of(Step.toolCall("c6", "edit", "{\"path\":\"a.txt\",\"oldString\":\"beta\",\"newString\":\"BETA\"}")));
        llm.enqueue(Turn.of(Step.toolCall("c7", "write", "{\"path\":\"b.txt\",\"content\":\"bravo\\n\"}")));
        llm.enqueue(Turn.of(Step.toolCall("c8", "bash", "{\"command\":\"cat a.txt b.txt\",\"description\":\"Show both files\"}")));
        llm.enqueue(Turn.of(Step.toolCall("c9", "read", "{\"path\":\"a.txt\"}"), Step.toolCall("c10", "read", "{\"path\":\"b.txt\"}")));
        llm.enqueue(Turn.of(Step.reasoning("Both files look right; check the todo list."), Step.text("Checking the list."),
                Step.toolCall("c11", "todoread", "{}")));
        llm.enqueue(Turn.of(Step.text("Done: a.txt edited and b.txt written.")));
        // second prompt
        llm.enqueue(Turn.of(Step.toolCall("c12", "read", "{\"path\":\"sub/c.txt\"}")));
        llm.enqueue(Turn.of(Step.toolCall("c13", "edit", "{\"path\":\"sub/c.txt\",\"oldString\":\"gamma\",\"newString\":\"GAMMA\"}")));
        llm.enqueue(Turn.of(Step.toolCall("c14", "bash", "{\"command\":\"exit 3\",\"description\":\"Fail on purpose\"}")));
        llm.enqueue(Turn.of(Step.toolCall("c15", "read", "{\"path\":\"sub/missing.txt\"}")));
        llm.enqueue(Turn.of(Step.toolCall("c16", "read", "{\"path\":\"a.txt\",\"offset\":2,\"limit\":1}")));
        llm.enqueue(Turn.of(Step.toolCall("c17", "apply_patch", "{\"patchText\":\"*** Begin Patch\\n*** Add File: sub/d.txt\\n+delta\\n*** End Patch\"}")));
        llm.enqueue(Turn.of(Step.toolCall("c18", "grep", "{\"pattern\":\"GAMMA|delta\",\"path\":\"sub\"}")));
        llm.enqueue(Turn.of(Step.toolCall("c19", "todo", "{\"todos\":[{\"content\":\"Edit a.txt\",\"status\":\"completed\"},"
                + "{\"content\":\"Write b.txt\",\"status\":\"completed\"},{\"content\":\"Check\",\"status\":\"completed\"}]}")));
        llm.enqueue(Turn.of(Step.toolCall("c20", "unknown_tool", "{}")));
        llm.enqueue(Turn.of(Step.text("The sub folder is done too.")));
    }

    private static String blockAText(JsonNode body, String protocol) {
        JsonNode a = WireLayout.blockA(body, protocol);
        return a.has("text") ? a.path("text").asString() : a.path("content").asString();
    }

    /** The user's own messages (not tool results), in order. */
    private static List<JsonNode> userMessages(RecordedRequest request, String protocol) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode m : request.messages()) {
            if (!m.path("role").asString("").equals("user")) continue;
            if (!text(m).isEmpty()) out.add(m);
        }
        return out;
    }

    /** The text blocks of a message (string content, or {@code text}/{@code input_text} blocks), joined. */
    private static String text(JsonNode message) {
        JsonNode content = message.path("content");
        if (content.isString()) return content.asString();
        List<String> parts = new ArrayList<>();
        for (JsonNode block : content) {
            String type = block.path("type").asString("");
            if (type.equals("text") || type.equals("input_text")) parts.add(block.path("text").asString());
        }
        return String.join("\n", parts);
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) n++;
        return n;
    }

    private static void git(Path dir, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes())).isZero();
    }
}
