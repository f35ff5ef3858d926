package dev.lathe.mcp.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.mcp.client.SdkServerClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** server-everything's resources attached with {@code @NAME:uri} and its prompts as {@code /NAME:prompt}. */
class ResourcesAndPromptsTest {
    static SdkServerClient client;

    @BeforeAll static void connect() { client = Everything.connect(); }

    @AfterAll static void close() { client.sdk().closeGracefully(); }

    @Test void aMentionedResourceIsReadIntoTheText() {
        var resources = new ServerResources("ev", client);
        var attached = resources.read("demo://resource/dynamic/text/1");
        assertThat(attached.text()).startsWith("<resource uri=\"demo://resource/dynamic/text/1\" mime=\"text/plain\">\nResource 1: This is a plaintext resource")
                .endsWith("</resource>");
        assertThat(attached.attachments()).isEmpty();
    }

    @Test void aBlobWhoseTypeIsTextIsReadAsText() {
        var attached = new ServerResources("ev", client).read("demo://resource/dynamic/blob/2");
        assertThat(attached.text()).contains("Resource 2: This is a base64 blob");
    }

    @Test void resourcesAndTemplatesAreListedForCompletion() {
        var listed = new ServerResources("ev", client).list();
        assertThat(listed).anySatisfy(l -> {
            assertThat(l.uri()).isEqualTo("demo://resource/static/document/architecture.md");
            assertThat(l.template()).isFalse();
        });
        assertThat(listed).anySatisfy(l -> {
            assertThat(l.uri()).isEqualTo("demo://resource/dynamic/text/{resourceId}");
            assertThat(l.template()).isTrue();
        });
    }

    @Test void aResourceThatCannotBeReadIsAFailureNamingIt() {
        assertThatThrownBy(() -> new ServerResources("ev", client).read("demo://no/such/thing"))
                .isInstanceOf(ServerResources.ResourceFailure.class).hasMessageStartingWith("@ev:demo://no/such/thing could not be read: ");
    }

    @Test void aLongTextIsCutLikeAFileRead() {
        String text = "line\n".repeat(3000);
        assertThat(ServerResources.capped(text)).startsWith("line\n").endsWith("(Resource truncated: 1000 of 3000 lines omitted at the end, as a file read is cut.)");
        assertThat(ServerResources.capped("short\n")).isEqualTo("short");
    }

    @Test void promptsAreCommandsWithTheirArguments() {
        var prompts = new ServerPrompts("ev", client);
        var commands = prompts.commands();
        assertThat(commands).extracting(ServerPrompts.PromptCommand::command).contains("ev:simple-prompt", "ev:args-prompt", "ev:resource-prompt");
        var args = commands.stream().filter(c -> c.prompt().equals("args-prompt")).findFirst().orElseThrow();
        assertThat(args.arguments()).extracting(ServerPrompts.Argument::name).containsExactly("city", "state");
        assertThat(args.required()).containsExactly("city");
        assertThat(args.usage()).isEqualTo("city [state]");
        assertThat(prompts.expand(args, "Paris Ile de France").text()).isEqualTo("What's weather in Paris, Ile de France?");
        assertThat(prompts.expand(args, "state=Texas city=\"San Antonio\"").text()).isEqualTo("What's weather in San Antonio, Texas?");
        assertThatThrownBy(() -> prompts.expand(args, "")).isInstanceOf(ServerPrompts.PromptFailure.class)
                .hasMessage("/ev:args-prompt needs city (usage: /ev:args-prompt city [state])");
        var simple = commands.stream().filter(c -> c.prompt().equals("simple-prompt")).findFirst().orElseThrow();
        assertThat(prompts.expand(simple, "").text()).isEqualTo("This is a simple prompt without arguments.");
        assertThat(prompts.expand(simple, "and be brief").text()).isEqualTo("This is a simple prompt without arguments.\n\nand be brief");
    }

    @Test void aPromptsEmbeddedResourceJoinsItsText() {
        var prompts = new ServerPrompts("ev", client);
        var command = prompts.commands().stream().filter(c -> c.prompt().equals("resource-prompt")).findFirst().orElseThrow();
        var expanded = prompts.expand(command, "Text 3");
        assertThat(expanded.text()).contains("Please analyze the following resource:")
                .contains("<resource uri=\"demo://resource/dynamic/text/3\"").contains("Resource 3: This is a plaintext resource");
        assertThatThrownBy(() -> prompts.expand(command, "Nope 1")).isInstanceOf(ServerPrompts.PromptFailure.class)
                .hasMessageStartingWith("MCP server ev could not give /ev:resource-prompt: ").hasMessageContaining("Invalid resourceType");
    }
}
