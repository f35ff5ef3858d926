package dev.lathe.llm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Request bodies recorded from an encoder before it was rewritten (under {@code bodies/} of the test resources), and a
 * history with every kind of content to record them from. {@code LATHE_RECORD_BODIES=DIR} in the environment writes them anew into DIR.
 */
public final class RecordedBodies {
    public static final List<ToolSpec> TOOLS = List.of(
            new ToolSpec("read", "Reads a file.", "{ \"type\": \"object\", \"properties\": {\"path\": {\"type\": \"string\", \"maxLength\": 9},"
                    + " \"limit\": {\"type\": \"integer\"}}, \"required\": [\"path\"] }"),
            new ToolSpec("now", "The time.", "{\"type\":\"object\"}"),
            new ToolSpec("env", "Free-form keys: not strict.", "{\"type\":\"object\",\"additionalProperties\":{\"type\":\"string\"}}"));

    private RecordedBodies() {}

    public static List<LlmMessage> history() {
        return List.of(
                LlmMessage.user(List.of(new Content.Text("Read \"a.txt\"\n\tplease ✓"), new Content.Text("and b"))),
                LlmMessage.assistant(List.of(new Content.Reasoning("thought", Optional.of("sig-1")), new Content.Text("Reading."),
                        new Content.Text("Both."), new Content.ToolCall("c1", "read", "{ \"path\" : \"a.txt\" }", Optional.empty()),
                        new Content.ToolCall("c2", "now", " ", Optional.empty()))),
                LlmMessage.user(List.of(new Content.ToolResult("c1", "read", "line 1\nline 2", false), new Content.ToolResult("c2", "now", "boom", true))),
                LlmMessage.assistant(List.of(new Content.Reasoning("", Optional.of("enc-2")), new Content.Reasoning("unsigned", Optional.empty()))),
                LlmMessage.user(List.of(new Content.ToolResult("c3", "read", "x", false), new Content.Text("look"), new Content.Image("image/png", "iVBORw0K"))),
                LlmMessage.assistant(List.of(new Content.Text("Seen."))),
                LlmMessage.user(List.of(new Content.Image("application/pdf", "JVBERi0"), new Content.Text("and this"))),
                LlmMessage.user(List.of()));
    }

    /** {@code body} is the one recorded as {@code name}, byte for byte. */
    public static void check(String name, byte[] body) {
        String record = System.getenv("LATHE_RECORD_BODIES");
        if (record != null) {
            try {
                Files.write(Path.of(record, name), body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return;
        }
        try (InputStream in = RecordedBodies.class.getResourceAsStream("/bodies/" + name)) {
            assertThat(in).as("recorded body %s", name).isNotNull();
            assertThat(new String(body, StandardCharsets.UTF_8)).isEqualTo(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
