package dev.lathe.core.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.llm.Protocols;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.Turn;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Not part of the suite (no {@code Test} in its name): measures what one long streamed answer costs the core, over real
 * HTTP from the FakeLlm into a real SQLite file, with the answer limit off. Run it by name:
 * {@code ./mvnw -o -q -B test -pl core -am -Dsurefire.failIfNoSpecifiedTests=false -Dtest=LongAnswerMeasure -Dlathe.answerMb=10}.
 * It prints the time, the peak heap of the JVM (the fake's prepared events, about the answer's size, included) and the
 * process's peak RSS.
 */
class LongAnswerMeasure {
    @TempDir Path tmp;

    @Test
    void measure() throws Exception {
        int mb = Integer.getInteger("lathe.answerMb", 10);
        int deltaBytes = Integer.getInteger("lathe.deltaBytes", 1024);
        String chunk = "0123456789abcdef".repeat(deltaBytes / 16);
        try (var llm = FakeLlm.start()) {
            String config = "{\"model\": \"fake/m\", \"provider\": {\"fake\": {\"protocol\": \"openai-chat\", \"baseUrl\": \"" + llm.baseUrl()
                    + "\", \"models\": {\"m\": {\"context\": 100000, \"output\": 4000}}}}, \"limits\": {\"maxAnswerBytes\": 0}}";
            try (var h = new Harness(tmp, config, 10, Protocols.standard(HttpClient.newHttpClient()))) {
                llm.enqueue(Turn.of(Step.textDeltas(Collections.nCopies(mb * 1024 * 1024 / chunk.length(), chunk))));
                var s = h.session();
                System.gc();
                for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) pool.resetPeakUsage();
                long start = System.nanoTime();
                h.api.prompt(s.id(), dev.lathe.protocol.api.PromptRequest.text("say everything"));
                // waits on the status, not the history: reading a 50 MB history every few milliseconds would be the test's cost
                long deadline = System.nanoTime() + 600_000_000_000L;
                boolean busy = false;
                while (System.nanoTime() < deadline) {
                    boolean idle = h.api.status(s.id()) instanceof dev.lathe.protocol.session.SessionStatus.Idle;
                    if (!idle) busy = true;
                    if (idle && (busy || System.nanoTime() - start > 5_000_000_000L)) break;
                    // the harness keeps every event in a copy-on-write list (quadratic for 50,000 deltas): not the core's cost
                    h.events.clear();
                    Thread.sleep(1);
                }
                long millis = (System.nanoTime() - start) / 1_000_000;
                long peakHeap = 0;
                for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                    if (pool.getType() == MemoryType.HEAP) peakHeap += pool.getPeakUsage().getUsed();
                }
                String hwm = Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmHWM")).findFirst().orElse("?");
                System.out.printf("MEASURE answer=%d MB deltas=%d B time=%d ms peakHeap=%d MiB %s%n", mb, deltaBytes, millis, peakHeap >> 20,
                        hwm.replaceAll("\\s+", " "));
                var last = (AssistantMessage) h.api.messages(s.id()).getLast().info();
                assertThat(last.completedAt()).isPresent();
            }
        }
    }
}
