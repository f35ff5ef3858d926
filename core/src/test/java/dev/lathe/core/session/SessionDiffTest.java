package dev.lathe.core.session;

import static dev.lathe.core.session.ScriptedProtocol.call;
import static dev.lathe.core.session.ScriptedProtocol.finish;
import static dev.lathe.core.session.ScriptedProtocol.text;
import static dev.lathe.core.session.SessionAdminTest.assertStatus;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.protocol.api.LatheException;
import dev.lathe.llm.LlmEvent;
import dev.lathe.llm.StopReason;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.FileDiff;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SessionDiffTest {
    @TempDir Path tmp;

    private static LlmEvent[] step(LlmEvent[]... calls) {
        return Stream.concat(Stream.of(calls).flatMap(Stream::of), Stream.of(finish(StopReason.TOOL_CALLS))).toArray(LlmEvent[]::new);
    }

    @Test
    void showsEachChangedFileFromBeforeTheFirstChangeToNow() throws Exception {
        try (var h = new Harness(tmp, ", \"permission\": {\"edit\": \"allow\", \"bash\": \"allow\"}", 10)) {
            Files.writeString(h.project.resolve("a.txt"), "one\ntwo\nthree\n");
            Files.writeString(h.project.resolve("gone.txt"), "bye\n");
            Files.writeString(h.project.resolve("untouched.txt"), "same\n");
            Files.write(h.project.resolve("img.bin"), new byte[] {0, 1, 2, 3});
            var s = h.session();
            assertThat(h.api.diff(s.id())).isEmpty();

            h.llm.then(step(call(0, "c1", "edit", "{\"path\":\"a.txt\",\"oldString\":\"two\",\"newString\":\"TWO\"}"),
                    call(1, "c2", "write", "{\"path\":\"new.txt\",\"content\":\"fresh\\n\"}"),
                    call(2, "c3", "bash", "{\"command\":\"rm gone.txt && printf '\\\\x00\\\\x09\\\\x08' > img.bin\"}")));
            h.llm.then(text("Changed."), finish(StopReason.STOP));
            h.promptAndWait(s.id(), "change things");
            h.llm.then(step(call(0, "c4", "edit", "{\"path\":\"a.txt\",\"oldString\":\"three\",\"newString\":\"3\"}")));
            h.llm.then(text("Changed again."), finish(StopReason.STOP));
            h.promptAndWait(s.id(), "and a.txt again");
            assertThat(Files.readString(h.project.resolve("a.txt"))).isEqualTo("one\nTWO\n3\n");

            List<FileDiff> diff = h.api.diff(s.id());

            assertThat(diff).extracting(FileDiff::path).containsExactly("a.txt", "gone.txt", "img.bin", "new.txt");
            FileDiff a = diff.get(0);
            assertThat(a.status()).isEqualTo("modified");
            assertThat(a.additions()).isEqualTo(2);
            assertThat(a.deletions()).isEqualTo(2);
            // both turns' edits against the file as it was before the first one
            assertThat(a.patch()).startsWith("diff --git a/a.txt b/a.txt\n")
                    .endsWith("--- a/a.txt\n+++ b/a.txt\n@@ -1,3 +1,3 @@\n one\n-two\n-three\n+TWO\n+3\n");
            assertThat(diff.get(1)).satisfies(d -> {
                assertThat(d.status()).isEqualTo("deleted");
                assertThat(d.deletions()).isEqualTo(1);
                assertThat(d.additions()).isZero();
                assertThat(d.patch()).contains("deleted file mode").endsWith("@@ -1 +0,0 @@\n-bye\n");
            });
            assertThat(diff.get(2)).isEqualTo(FileDiff.binary("img.bin", "modified"));
            assertThat(diff.get(3)).satisfies(d -> {
                assertThat(d.status()).isEqualTo("added");
                assertThat(d.additions()).isEqualTo(1);
                assertThat(d.patch()).contains("new file mode").endsWith("@@ -0,0 +1 @@\n+fresh\n");
            });

            // a file put back as it was drops out
            Files.delete(h.project.resolve("new.txt"));
            Files.writeString(h.project.resolve("gone.txt"), "bye\n");
            assertThat(h.api.diff(s.id())).extracting(FileDiff::path).containsExactly("a.txt", "img.bin");

            // undoing the last turn leaves the first turn's change of a.txt
            h.api.undo(s.id());
            assertThat(h.api.diff(s.id()).getFirst().patch()).endsWith("@@ -1,3 +1,3 @@\n one\n-two\n+TWO\n three\n");
            assertStatus(LatheException.NotFound.class, () -> h.api.diff(SessionId.next()));
        }
    }
}
