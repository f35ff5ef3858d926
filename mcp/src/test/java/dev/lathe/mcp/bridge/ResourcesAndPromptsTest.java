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

    @Test void mentionsNameTheirServerAndRunToWhitespace() {
        String prompt = "compare @ev:demo://resource/dynamic/text/1 with @other:x://y and mail me@ev:not-a-mention";
        assertThat(ServerResources.mentions(prompt, "ev")).containsExactly("demo://resource/dynamic/text/1");
        assertThat(ServerResources.mentions(prompt, "other")).containsExactly("x://y");
    }

    @Test void aMentionedResourceIsReadIntoTheText() {
        var resources = new ServerResources("ev", client);
        var attached = resources.read("demo://resource/dynamic/text/1");
        assertThat(attached.text()).startsWith("<resource uri=\"demo://resource/dynamic/text/1\"").contains("</resource>");
        assertThat(resources.list()).isNotEmpty();
    }

    @Test void aResourceThatCannotBeReadIsSaidNotThrown() {
        var attached = new ServerResources("ev", client).read("demo://no/such/thing");
        assertThat(attached.text()).startsWith("[resource @ev:demo://no/such/thing could not be read");
    }

    @Test void promptsAreCommandsWithTheirArguments() {
        var prompts = new ServerPrompts("ev", client);
        var commands = prompts.commands();
        assertThat(commands).extracting(ServerPrompts.PromptCommand::command).contains("ev:simple-prompt", "ev:args-prompt");
        var args = commands.stream().filter(c -> c.prompt().equals("args-prompt")).findFirst().orElseThrow();
        assertThat(args.arguments()).containsExactly("city", "state");
        assertThat(args.required()).containsExactly("city");
        assertThat(prompts.expand(args, "Paris Ile de France")).contains("Paris").contains("Ile de France");
        assertThatThrownBy(() -> prompts.expand(args, "")).isInstanceOf(ServerPrompts.PromptFailure.class).hasMessageContaining("city");
        var simple = commands.stream().filter(c -> c.prompt().equals("simple-prompt")).findFirst().orElseThrow();
        assertThat(prompts.expand(simple, "")).contains("simple prompt");
    }
}
