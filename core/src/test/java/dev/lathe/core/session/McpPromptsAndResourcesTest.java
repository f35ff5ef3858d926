package dev.lathe.core.session;

import static dev.lathe.core.session.ScriptedProtocol.finish;
import static dev.lathe.core.session.ScriptedProtocol.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.llm.Content;
import dev.lathe.llm.LlmMessage;
import dev.lathe.llm.StopReason;
import dev.lathe.protocol.api.CommandInfo;
import dev.lathe.protocol.api.CommandRequest;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.api.McpResourceInfo;
import dev.lathe.protocol.api.PromptRequest;
import dev.lathe.protocol.session.Part;
import dev.lathe.testkit.NpmServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real npm server-everything, started by the project as the running server starts it: {@code @everything:uri}
 * attaches its resource to the prompt the scripted model receives, its prompts run as {@code /everything:prompt}, and
 * both are listed for clients; what cannot be attached or run is refused with what is wrong, and nothing is sent.
 */
class McpPromptsAndResourcesTest {
    @TempDir Path tmp;

    static String config() {
        return ", \"mcp\": {\"everything\": {\"type\": \"local\", \"command\": [\"" + NpmServers.bin("mcp-server-everything") + "\", \"stdio\"]},"
                + " \"broken\": {\"type\": \"local\", \"command\": [\"false\"], \"timeout\": 5000}}";
    }

    /** The text of the user messages of the model's {@code n}th request. */
    static String userText(Harness h, int n) {
        return h.llm.requests.get(n).messages().stream().filter(m -> m.role() == LlmMessage.Role.USER).flatMap(m -> m.content().stream())
                .filter(Content.Text.class::isInstance).map(c -> ((Content.Text) c).text()).collect(Collectors.joining("\n"));
    }

    static <T> List<T> eventually(Supplier<List<T>> list, java.util.function.Predicate<List<T>> done) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        List<T> last = list.get();
        while (!done.test(last) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            last = list.get();
        }
        return last;
    }

    @Test void aMentionedResourceReachesTheModelWithThePrompt() throws Exception {
        try (var h = Harness.withMcpServers(tmp, config())) {
            var s = h.session();
            h.llm.then(text("Summarised."), finish(StopReason.STOP));
            // right after the project opened: the server is still starting, and the prompt waits for it
            h.promptAndWait(s.id(), "@everything:demo://resource/static/document/architecture.md summarise");

            String architecture = Files.readString(NpmServers.bin("mcp-server-everything").toRealPath().getParent().resolve("docs/architecture.md"));
            String sent = userText(h, 0);
            assertThat(sent).contains("@everything:demo://resource/static/document/architecture.md summarise")
                    .contains("<resource uri=\"demo://resource/static/document/architecture.md\" mime=\"text/markdown\">\n"
                            + architecture.lines().findFirst().orElseThrow());
            var user = h.api.messages(s.id()).getFirst();
            assertThat(user.parts()).anySatisfy(p -> assertThat(p).isInstanceOfSatisfying(Part.Text.class,
                    t -> assertThat(t.synthetic() && t.text().startsWith("<resource uri=\"demo://resource/static/document/architecture.md\"")).isTrue()));
        }
    }

    @Test void aCustomCommandMentioningAResourceAttachesIt() throws Exception {
        try (var h = Harness.withMcpServers(tmp, config())) {
            Files.createDirectories(h.project.resolve(".lathe/commands"));
            Files.writeString(h.project.resolve(".lathe/commands/digest.md"), "Digest @everything:demo://resource/dynamic/text/$1 briefly.\n");
            var s = h.session();
            h.llm.then(text("Digested."), finish(StopReason.STOP));
            h.api.command(s.id(), new CommandRequest("digest", "4"));
            h.awaitIdle(s.id());
            assertThat(userText(h, 0)).contains("Digest @everything:demo://resource/dynamic/text/4 briefly.")
                    .contains("<resource uri=\"demo://resource/dynamic/text/4\" mime=\"text/plain\">\nResource 4: This is a plaintext resource");
        }
    }

    @Test void anImageInADataUrlFilePartReachesTheModelAsAnImage() throws Exception {
        // how an MCP resource's or prompt's image is stored; any other file part stays a line naming it
        try (var h = new Harness(tmp, "", 10)) {
            var s = h.session();
            h.llm.then(text("A dot."), finish(StopReason.STOP));
            h.api.prompt(s.id(), new PromptRequest(List.of(new dev.lathe.protocol.api.InputPart.Text("what is it?"),
                    new dev.lathe.protocol.api.InputPart.File("image/png", "demo://dot.png", "data:image/png;base64,iVBORw0KGgo="),
                    new dev.lathe.protocol.api.InputPart.File("text/plain", "notes.txt", "file:///tmp/notes.txt")), java.util.Optional.empty(),
                    java.util.Optional.empty()));
            h.awaitIdle(s.id());
            List<Content> sent = h.llm.requests.getFirst().messages().getFirst().content();
            assertThat(sent).contains(new Content.Image("image/png", "iVBORw0KGgo="));
            assertThat(sent).anySatisfy(c -> assertThat(c).isEqualTo(new Content.Text("[attached file notes.txt (text/plain): file:///tmp/notes.txt]")));
        }
    }

    @Test void whatCannotBeAttachedRefusesThePromptSayingWhy() throws Exception {
        try (var h = Harness.withMcpServers(tmp, config())) {
            var s = h.session();
            assertThatThrownBy(() -> h.api.prompt(s.id(), PromptRequest.text("read @nosuch:demo://x please")))
                    .isInstanceOf(LatheException.InvalidInput.class)
                    .hasMessage("@nosuch:demo://x was not attached: no MCP server is called nosuch in this folder (its servers: everything, broken)");
            assertThatThrownBy(() -> h.api.prompt(s.id(), PromptRequest.text("read @everything:demo://no/such/thing")))
                    .isInstanceOf(LatheException.InvalidInput.class)
                    .hasMessageStartingWith("@everything:demo://no/such/thing could not be read: ");
            assertThatThrownBy(() -> h.api.prompt(s.id(), PromptRequest.text("read @broken:demo://x")))
                    .isInstanceOf(LatheException.Unavailable.class)
                    .hasMessageStartingWith("@broken:demo://x was not attached: MCP server broken ");
            // an e-mail address, an agent and a file reference are text, not resources
            h.llm.then(text("ok"), finish(StopReason.STOP));
            h.promptAndWait(s.id(), "mail me@everything:demo://x, ask @explore, see @README.md:12");
            assertThat(h.api.messages(s.id())).hasSize(2);
            assertThat(h.llm.requests).hasSize(1);
        }
    }

    @Test void aServerPromptRunsAsASlashCommandWithItsArguments() throws Exception {
        try (var h = Harness.withMcpServers(tmp, config())) {
            var s = h.session();
            h.llm.then(text("Simple."), finish(StopReason.STOP));
            // the first command right after the project opened waits for the server to connect
            var result = h.api.command(s.id(), new CommandRequest("everything:simple-prompt", ""));
            assertThat(result.messageId()).isPresent();
            h.awaitIdle(s.id());
            assertThat(userText(h, 0)).contains("This is a simple prompt without arguments.");

            h.llm.then(text("Sunny."), finish(StopReason.STOP));
            h.api.command(s.id(), new CommandRequest("/everything:args-prompt", "state=Texas \"San Antonio\""));
            h.awaitIdle(s.id());
            assertThat(userText(h, 1)).contains("What's weather in San Antonio, Texas?");

            h.llm.then(text("Analysed."), finish(StopReason.STOP));
            h.api.command(s.id(), new CommandRequest("everything:resource-prompt", "Text 7"));
            h.awaitIdle(s.id());
            assertThat(userText(h, 2)).contains("Please analyze the following resource:")
                    .contains("<resource uri=\"demo://resource/dynamic/text/7\" mime=\"text/plain\">\nResource 7: This is a plaintext resource");

            assertThatThrownBy(() -> h.api.command(s.id(), new CommandRequest("everything:args-prompt", "")))
                    .isInstanceOf(LatheException.InvalidInput.class)
                    .hasMessage("/everything:args-prompt needs city (usage: /everything:args-prompt city [state])");
            assertThatThrownBy(() -> h.api.command(s.id(), new CommandRequest("everything:no-such-prompt", "")))
                    .isInstanceOf(LatheException.NotFound.class)
                    .hasMessageStartingWith("MCP server everything has no prompt no-such-prompt; its prompts: /everything:simple-prompt");
            assertThatThrownBy(() -> h.api.command(s.id(), new CommandRequest("nosuch:prompt", "")))
                    .isInstanceOf(LatheException.NotFound.class).hasMessageStartingWith("unknown command 'nosuch:prompt'");
            assertThat(h.llm.requests).hasSize(3);
        }
    }

    @Test void promptsAndResourcesAreListedForClientsOnceTheServerConnected() throws Exception {
        try (var h = Harness.withMcpServers(tmp, config())) {
            String dir = h.project.toString();
            h.api.mcp(dir);
            List<CommandInfo> commands = eventually(() -> h.api.commands(dir), l -> l.stream().anyMatch(c -> c.name().startsWith("everything:")));
            assertThat(commands).extracting(CommandInfo::name).contains("undo", "everything:simple-prompt", "everything:args-prompt");
            CommandInfo args = commands.stream().filter(c -> c.name().equals("everything:args-prompt")).findFirst().orElseThrow();
            assertThat(args.source()).isEqualTo("mcp:everything");
            assertThat(args.description()).isEqualTo("A prompt with two arguments, one required and one optional (city [state])");
            assertThat(args.arguments()).containsExactly(new CommandInfo.Argument("city", "Name of the city", true),
                    new CommandInfo.Argument("state", "", false));

            List<McpResourceInfo> resources = eventually(() -> h.api.mcpResources(dir), l -> !l.isEmpty());
            assertThat(resources).contains(new McpResourceInfo("everything", "demo://resource/static/document/architecture.md", "architecture.md",
                    "Static document file exposed from /docs: architecture.md", "text/markdown", false));
            assertThat(resources).anySatisfy(r -> {
                assertThat(r.uri()).isEqualTo("demo://resource/dynamic/text/{resourceId}");
                assertThat(r.template()).isTrue();
            });
        }
    }
}
