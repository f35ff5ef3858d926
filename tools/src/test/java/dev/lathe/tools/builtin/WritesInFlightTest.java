package dev.lathe.tools.builtin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A write killed with SIGKILL leaves a temporary file; the next start-up removes it, and only it. */
class WritesInFlightTest {
    @TempDir Path tmp;

    @Test
    void theNextStartUpRemovesTheTemporaryFileOfAWriterKilledMidWriteAndNothingElse() throws Exception {
        Path project = Files.createDirectories(tmp.resolve("p")).toRealPath();
        Path journal = tmp.resolve("state/writes-in-flight");
        Path f = Files.writeString(project.resolve("a.txt"), "the original\n");
        // look-alikes: a user's file named exactly as Lathe names its temporary files but not Lathe's, and near misses
        Path userLookAlike = Files.writeString(project.resolve(".b.txt.lathe-abc123.tmp"), "mine\n");
        Path nearMiss = Files.writeString(project.resolve(".a.txt.lathe-abc.tmp.bak"), "mine too\n");
        Path notes = Files.writeString(project.resolve("notes.txt"), "keep\n");

        String javaBin = ProcessHandle.current().info().command().orElse("java");
        Process child = new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"), CrashingWrite.class.getName(), f.toString(),
                journal.toString()).redirectErrorStream(true).start();
        try (var out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            assertThat(Assertions.assertTimeoutPreemptively(Duration.ofSeconds(60), out::readLine)).isEqualTo("half written");
        } finally {
            child.destroyForcibly(); // SIGKILL: nothing of the writer runs after this
            child.waitFor(10, TimeUnit.SECONDS);
        }
        List<Path> leftovers = list(project).stream().filter(p -> p.getFileName().toString().startsWith(".a.txt.lathe-")
                && p.getFileName().toString().endsWith(".tmp")).toList();
        assertThat(leftovers).hasSize(1);
        // a marker someone planted naming a user's file is not obeyed: the name is not a temporary file's
        Files.writeString(journal.resolve("1-zz.write"), "1\n?\n" + notes + "\n");

        List<Path> removed = WritesInFlight.start(journal);

        assertThat(removed).containsExactly(leftovers.getFirst());
        assertThat(list(project)).containsExactlyInAnyOrder(f, userLookAlike, nearMiss, notes);
        assertThat(Files.readString(f)).isEqualTo("the original\n");
        assertThat(list(journal)).isEmpty();
    }

    @Test
    void aWriteThatCompletesLeavesNoMarker() throws Exception {
        Path journal = tmp.resolve("journal");
        WritesInFlight.start(journal);
        Path f = Files.writeString(Files.createDirectories(tmp.resolve("q")).resolve("a.txt"), "old\n");
        AtomicWrite.DEFAULT.replace(f, "new\n".getBytes(StandardCharsets.UTF_8), f.getParent());
        assertThat(Files.readString(f)).isEqualTo("new\n");
        assertThat(list(journal)).isEmpty();
    }

    private static List<Path> list(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }
}
