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

    /**
     * Issue 71: on the daemon (where what the model read is remembered between runs), the model reads a file and edits
     * it, the user undoes the turn, and the same edit asked again is made, not refused as "changed on disk since you
     * last read it": Lathe's own undo put back the version the model had read.
     */
    @Test
    void theSameEditAfterAnUndoIsMadeNotRefusedAsSomeoneElsesChange() throws Exception {
        try (var llm = FakeLlm.start(); var ws = RunIT.project()) {
            String edit = "{\"path\":\"greet.py\",\"oldString\":\"\\\"Hello, \\\"\",\"newString\":\"\\\"Hi, \\\"\"}";
            llm.enqueue(Turn.of(Step.toolCall("call_read", "read", "{\"path\":\"greet.py\"}")));
            llm.enqueue(Turn.of(Step.toolCall("call_edit", "edit", edit)));
            llm.enqueue(Turn.of(Step.text("Now it says Hi.")));
            llm.enqueue(Turn.of(Step.toolCall("call_again", "edit", edit)));
            llm.enqueue(Turn.of(Step.text("Said Hi again.")));
            var lathe = new Lathe(home, Lathe.providerConfig("openai-chat", llm.baseUrl(), RunIT.KEY)).daemonFirst();
            try {
                String dir = ws.path().toString();
                String original = ws.read("greet.py");
                var first = lathe.run("run", "--dir", dir, "--allow-all", "say Hi instead");
                assertThat(first.exit()).as(first.stderr()).isZero();
                assertThat(ws.read("greet.py")).contains("\"Hi, \"");

                var undo = lathe.run("run", "--dir", dir, "--continue", "/undo");
                assertThat(undo.exit()).as(undo.stderr()).isZero();
                assertThat(ws.read("greet.py")).isEqualTo(original);

                var again = lathe.run("run", "--dir", dir, "--continue", "--allow-all", "say Hi instead, again");
                assertThat(again.exit()).as(again.stderr()).isZero();
                assertThat(llm.requests()).anySatisfy(r -> assertThat(r.body()).contains("\"tool_call_id\":\"call_again\",\"content\":\"Edited greet.py"))
                        .noneSatisfy(r -> assertThat(r.body()).contains("has changed on disk since you last read it"));
                assertThat(ws.read("greet.py")).contains("\"Hi, \"");
            } finally {
                lathe.stopDaemon();
            }
        }
    }
}
