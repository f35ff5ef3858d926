package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.Turn;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DESIGN §26 "writes jailed in every mode", through a real {@code lathe run --allow-all}: the file tools (write, edit,
 * apply_patch) refuse a sibling folder, an absolute path outside and a link out of the project, and the model reads why
 * while the turn goes on (exit 0); a write inside goes through. An {@code external_directory} allow rule naming the
 * folder lets the same write through: {@code --allow-all} answers asks, it never widens the roots.
 */
class WriteJailIT {
    @TempDir Path home;
    @TempDir Path outside;

    @Test
    void allowAllNeverWritesOutsideTheProjectButARuleMay() throws Exception {
        try (var llm = FakeLlm.start(); var ws = RunIT.project()) {
            Path sibling = Files.createDirectories(ws.path().getParent().resolve(ws.path().getFileName() + "-sibling"));
            Files.writeString(outside.resolve("existing.txt"), "untouched\n");
            Files.createSymbolicLink(ws.path().resolve("out-link"), outside);
            String base = Lathe.providerConfig("openai-chat", llm.baseUrl(), RunIT.KEY);
            String patch = "*** Begin Patch\\n*** Add File: " + outside.resolve("patched.txt") + "\\n+patched\\n*** End Patch";
            llm.enqueue(Turn.of(
                    Step.toolCall("w1", "write", "{\"path\": \"" + sibling.resolve("new.txt") + "\", \"content\": \"x\"}"),
                    Step.toolCall("w2", "write", "{\"path\": \"" + outside.resolve("abs.txt") + "\", \"content\": \"x\"}"),
                    Step.toolCall("e1", "edit", "{\"path\": \"out-link/existing.txt\", \"oldString\": \"untouched\", \"newString\": \"changed\"}"),
                    Step.toolCall("p1", "apply_patch", "{\"patchText\": \"" + patch + "\"}"),
                    Step.toolCall("in", "write", "{\"path\": \"inside.txt\", \"content\": \"fine\"}")).finish("tool_calls"));
            llm.enqueue(Turn.of(Step.text("Done.")));
            var run = new Lathe(home, base).run("run", "--dir", ws.path().toString(), "--allow-all", "write everywhere");
            assertThat(run.exit()).as(run.stderr()).isZero();
            var last = llm.requests().getLast();
            for (String call : new String[] {"w1", "w2", "e1", "p1"}) {
                assertThat(last.toolResult(call)).as(call).hasValueSatisfying(r -> assertThat(r).contains("never lets a file tool write outside"));
            }
            assertThat(sibling.resolve("new.txt")).doesNotExist();
            assertThat(outside.resolve("abs.txt")).doesNotExist();
            assertThat(outside.resolve("patched.txt")).doesNotExist();
            assertThat(outside.resolve("existing.txt")).hasContent("untouched");
            assertThat(ws.path().resolve("inside.txt")).hasContent("fine");

            // an explicit rule names the folder: the same write goes through
            String ruled = base.substring(0, base.length() - 1) + ", \"permission\": {\"external_directory\": {\"" + outside + "/*\": \"allow\"}}}";
            llm.enqueue(Turn.of(Step.toolCall("w3", "write", "{\"path\": \"" + outside.resolve("abs.txt") + "\", \"content\": \"allowed\"}"))
                    .finish("tool_calls"));
            llm.enqueue(Turn.of(Step.text("Done.")));
            var allowed = new Lathe(home, ruled).run("run", "--dir", ws.path().toString(), "--allow-all", "write there");
            assertThat(allowed.exit()).as(allowed.stderr()).isZero();
            assertThat(outside.resolve("abs.txt")).hasContent("allowed");
        }
    }
}
