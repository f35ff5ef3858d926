package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.Turn;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /undo} and {@code /redo} as a user types them: {@code lathe run --continue "/undo"} on the real jar. */
class UndoIT {
    @TempDir Path home;

    @Test
    void undoRestoresTheEditedFileAndRedoAppliesItAgain() throws Exception {
        try (var llm = FakeLlm.start(); var ws = RunIT.project()) {
            llm.enqueue(Turn.of(Step.toolCall("call_edit", "edit",
                    "{\"path\":\"greet.py\",\"oldString\":\"\\\"Hello, \\\"\",\"newString\":\"\\\"Hi, \\\"\"}")));
            llm.enqueue(Turn.of(Step.text("Now it says Hi.")));
            var lathe = new Lathe(home, Lathe.providerConfig("openai-chat", llm.baseUrl(), RunIT.KEY));
            String original = ws.read("greet.py");

            var edit = lathe.run("run", "--dir", ws.path().toString(), "--allow-all", "say Hi instead");
            assertThat(edit.exit()).as(edit.stderr()).isZero();
            assertThat(ws.read("greet.py")).contains("\"Hi, \"");

            var undo = lathe.run("run", "--dir", ws.path().toString(), "--continue", "/undo");
            assertThat(undo.exit()).as(undo.stderr()).isZero();
            assertThat(undo.stdout()).contains("greet.py");
            assertThat(ws.read("greet.py")).isEqualTo(original);

            var redo = lathe.run("run", "--dir", ws.path().toString(), "--continue", "/redo");
            assertThat(redo.exit()).as(redo.stderr()).isZero();
            assertThat(ws.read("greet.py")).contains("\"Hi, \"");
            // commands never reach the model
            assertThat(llm.requests()).hasSize(2);
        }
    }
}
