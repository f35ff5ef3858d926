package dev.lathe.core.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An entry's JSON is made before the writer's lock and its anchor after it: the line is the same bytes as the map's
 * way made it, and when any of many concurrent appends returns, the anchor names its entry or a later one (never an
 * earlier one, so a cut after the return is found), and the whole log verifies with its anchor.
 */
class ConcurrentAppendTest {
    @TempDir Path tmp;

    private static AuditEntry entry(Map<String, Object> fields) {
        return new AuditEntry(AuditEntry.Kind.DECISION, 1_790_000_000_123L, "ses_\"q\"", "call_é\n", fields);
    }

    @Test
    void aPreparedLineIsTheSameBytesAsTheMapsWay() throws Exception {
        Path keyFile = tmp.resolve("chain.key");
        Optional<AuditKey> key = Optional.of(AuditKey.readOrCreate(keyFile));
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("permission", "read");
        fields.put("patterns", List.of("a \"b\".txt", "ü/\u2028x", "\\back"));
        fields.put("source", null);
        fields.put("exit", 3);
        fields.put("reason", "</script> & \t tab");
        Map<String, Object> colliding = new LinkedHashMap<>(fields);
        colliding.put("prev", "mine");
        colliding.put("seq", 99L);
        for (Map<String, Object> f : List.of(fields, colliding, Map.<String, Object>of())) {
            for (String prev : List.of(AuditChain.GENESIS, AuditChain.sha256("x"), "not \"hex\"")) {
                for (Optional<AuditKey> k : List.of(Optional.<AuditKey>empty(), key)) {
                    AuditEntry e = entry(f);
                    assertThat(AuditChain.line(7, prev, AuditChain.prepare(e), k)).as("%s %s %s", f, prev, k.isPresent())
                            .isEqualTo(AuditChain.line(7, prev, e, k));
                }
            }
        }
        assertThat(AuditChain.prepare(entry(colliding)).middle()).as("a field named as a chain field goes the map's way").isNull();
    }

    @Test
    void everyAppendReturnsWithTheAnchorAtOrPastItsEntry() throws Exception {
        Path log = tmp.resolve("audit").resolve("p.jsonl");
        var file = new AuditFile(log, tmp.resolve("audit").resolve("chain.key"));
        int threads = 16;
        int each = 40;
        var start = new CountDownLatch(1);
        var behind = new ConcurrentLinkedQueue<String>();
        List<Thread> running = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            running.add(Thread.ofVirtual().start(() -> {
                try {
                    start.await();
                    for (int i = 0; i < each; i++) {
                        String call = "call_" + thread + "_" + i;
                        file.append(new AuditEntry(AuditEntry.Kind.CALL, System.currentTimeMillis(), "ses_" + thread, call, Map.of("tool", "read")));
                        // read after the return: the anchor first, then the log (which only grows), as a reader does
                        var anchor = (AuditHead.Read.Found) AuditHead.read(AuditHead.fileOf(log));
                        long mine = seqOf(Files.readString(log, StandardCharsets.UTF_8), call);
                        if (anchor.head().entries() < mine) behind.add(call + ": anchor " + anchor.head().entries() + " < entry " + mine);
                    }
                } catch (Exception e) {
                    behind.add(e.toString());
                }
            }));
        }
        start.countDown();
        for (Thread t : running) t.join();
        assertThat(behind).isEmpty();
        var anchor = (AuditHead.Read.Found) AuditHead.read(AuditHead.fileOf(log));
        assertThat(anchor.head().entries()).isEqualTo(threads * each);
        String text = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(AuditChain.verify(text, anchor, AuditKey.read(tmp.resolve("audit").resolve("chain.key"))))
                .isInstanceOf(AuditChain.Verification.Intact.class);
        assertThat(Files.list(log.getParent()).map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        file.close();
    }

    private static long seqOf(String text, String call) {
        for (String line : text.split("\n")) {
            if (line.contains("\"call\":\"" + call + "\"")) return AuditChain.read(line).orElseThrow().path("seq").asLong();
        }
        throw new AssertionError(call + " is not in the log");
    }
}
