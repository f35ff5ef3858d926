package dev.lathe.core.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.core.toolcall.AuditRecord;
import dev.lathe.core.toolcall.Origin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The keyed chain over real files, attacked as someone who can write the log and its anchor but cannot read the key:
 * rewriting the tail and recomputing a plain hash chain and anchor is found, and so is a whole log rewritten unkeyed;
 * a log written before the key existed still verifies, its old entries reported as unkeyed.
 */
class AuditKeyTest {
    @TempDir Path tmp;

    private static final Origin ORIGIN = Origin.values()[0];

    private AuditFiles files;
    private Path project;
    private Path file;

    private void write(int calls) throws Exception {
        project = Files.createDirectories(tmp.resolve("project"));
        files = new AuditFiles(tmp.resolve("audit"));
        file = files.of(project);
        try (var log = new ProjectAuditLog(files, id -> Optional.of(project.toString()), dir -> java.util.Set.of())) {
            for (int i = 1; i <= calls; i++) {
                long now = System.currentTimeMillis();
                log.record(new AuditRecord("ses_1", "call_" + i, "bash", ORIGIN, AuditRecord.Verdict.COMPLETED, "", now, now));
            }
        }
    }

    private AuditChain.Verification verify() throws Exception {
        return new AuditReader(files, project).verify();
    }

    /** The attacker's rewrite: from line {@code from} on, each entry changed by {@code edit}, chained with plain SHA-256, and the anchor to match. */
    private void rewriteTail(int from, java.util.function.UnaryOperator<String> edit) throws Exception {
        List<String> lines = Files.readAllLines(file);
        List<String> out = new ArrayList<>(lines.subList(0, from - 1));
        String prev = from == 1 ? AuditChain.GENESIS : AuditChain.hashOf(lines.get(from - 2)).orElseThrow();
        for (int i = from - 1; i < lines.size(); i++) {
            var node = AuditChain.read(lines.get(i)).orElseThrow();
            Map<String, Object> fields = new java.util.LinkedHashMap<>();
            node.properties().forEach(e -> {
                if (!List.of("seq", "time", "kind", "session", "call", "prev", "hash", "mac").contains(e.getKey())) fields.put(e.getKey(), e.getValue().asString(""));
            });
            var entry = new AuditEntry(AuditEntry.Kind.CALL, node.path("time").asLong(), node.path("session").asString(), node.path("call").asString(), fields);
            String line = edit.apply(AuditChain.line(i + 1, prev, entry));
            // recomputed after the edit, as an attacker without the key can: a plain hash
            String prefix = line.substring(0, line.lastIndexOf(",\"hash\":\""));
            line = prefix + ",\"hash\":\"" + AuditChain.sha256(prefix) + "\"}";
            out.add(line);
            prev = AuditChain.hashOf(line).orElseThrow();
        }
        Files.write(file, out);
        new AuditHead(out.size(), prev).writeTo(AuditHead.fileOf(file));
    }

    @Test
    void firstDecisionsOnManyThreadsAtOnceAllGetTheOneKeyAndLeaveNoTemporaryFile() throws Exception {
        for (int round = 0; round < 20; round++) {
            Path file = tmp.resolve("round-" + round).resolve("chain.key");
            // a leftover of a killed process that had this process's pid, as a crash loop leaves one
            Files.createDirectories(file.getParent());
            Files.writeString(file.resolveSibling("chain.key." + ProcessHandle.current().pid() + ".tmp"), "half");
            var start = new java.util.concurrent.CountDownLatch(1);
            List<java.util.concurrent.Future<AuditKey>> keys = new ArrayList<>();
            try (var pool = java.util.concurrent.Executors.newFixedThreadPool(8)) {
                for (int i = 0; i < 8; i++) {
                    keys.add(pool.submit(() -> {
                        start.await();
                        return AuditKey.readOrCreate(file);
                    }));
                }
                start.countDown();
                String first = keys.getFirst().get().mac("x");
                for (var k : keys) assertThat(k.get().mac("x")).as("round " + round + ": one key for every thread").isEqualTo(first);
            }
            try (var left = Files.list(file.getParent())) {
                assertThat(left.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tmp") && !n.contains("." + ProcessHandle.current().pid() + ".")))
                        .as("temporary files left").isEmpty();
            }
        }
    }

    @Test
    void theKeyIsMadeOwnerOnlyAndEveryEntryAndTheAnchorAreKeyed() throws Exception {
        write(3);
        assertThat(Files.getPosixFilePermissions(files.key())).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.readAllLines(file)).hasSize(3).allSatisfy(l -> assertThat(l).contains(",\"mac\":\"").doesNotContain(",\"hash\":\""));
        assertThat(Files.readString(AuditHead.fileOf(file))).contains("\"mac\":\"");
        assertThat(verify()).isEqualTo(new AuditChain.Verification.Intact(3, List.of(), 0));
    }

    @Test
    void aTailRewrittenWithAPlainHashChainAndItsAnchorIsFound() throws Exception {
        write(4);
        rewriteTail(3, l -> l.replace("\"verdict\":\"completed\"", "\"verdict\":\"rejected\""));
        // the plain chain itself is consistent: only the key tells the forgery
        assertThat(AuditChain.verify(Files.readString(file), AuditHead.read(AuditHead.fileOf(file)))).isInstanceOf(AuditChain.Verification.Intact.class);
        assertThat(verify()).isInstanceOfSatisfying(AuditChain.Verification.Broken.class, b -> {
            assertThat(b.line()).isEqualTo(3);
            assertThat(b.why()).contains("not keyed but follows keyed entries");
        });
    }

    @Test
    void aWholeLogRewrittenUnkeyedIsFoundByItsDates() throws Exception {
        write(2);
        rewriteTail(1, l -> l.replace("\"tool\":\"bash\"", "\"tool\":\"read\""));
        assertThat(verify()).isInstanceOfSatisfying(AuditChain.Verification.Broken.class, b -> {
            // the first entry may be dated just before the key (the call ended as the writer opened the log): the next is not
            assertThat(b.line()).isBetween(1, 2);
            assertThat(b.why()).contains("dated after the audit key was made");
        });
    }

    @Test
    void aMacMadeWithoutTheKeyAndAnUnsignedAnchorAreFound() throws Exception {
        write(3);
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        String last = lines.getLast().replace("\"verdict\":\"completed\"", "\"verdict\":\"failed\"");
        String prefix = last.substring(0, last.lastIndexOf(",\"mac\":\""));
        lines.set(2, prefix + ",\"mac\":\"" + AuditChain.sha256(prefix) + "\"}");
        Files.write(file, lines);
        assertThat(verify()).isInstanceOfSatisfying(AuditChain.Verification.Broken.class, b -> {
            assertThat(b.line()).isEqualTo(3);
            assertThat(b.why()).contains("MAC does not match");
        });

        write(0);
        Files.write(file, lines.subList(0, 2));
        new AuditHead(2, AuditChain.hashOf(lines.get(1)).orElseThrow()).writeTo(AuditHead.fileOf(file));
        assertThat(verify()).isInstanceOfSatisfying(AuditChain.Verification.Broken.class, b -> assertThat(b.why()).contains("not signed with the audit key"));
    }

    @Test
    void aLogWrittenBeforeTheKeyVerifiesWithItsOldEntriesReportedUnkeyed() throws Exception {
        project = Files.createDirectories(tmp.resolve("project"));
        files = new AuditFiles(tmp.resolve("audit"));
        file = files.of(project);
        Files.createDirectories(file.getParent());
        // as the writer before keys wrote it: plain hashes and an unsigned anchor, dated an hour ago
        long then = System.currentTimeMillis() - 3_600_000;
        String first = AuditChain.line(1, AuditChain.GENESIS, new AuditEntry(AuditEntry.Kind.CALL, then, "ses_0", "call_0", Map.of("tool", "read")));
        String second = AuditChain.line(2, AuditChain.hashOf(first).orElseThrow(), new AuditEntry(AuditEntry.Kind.CALL, then + 1, "ses_0", "call_1",
                Map.of("tool", "bash")));
        Files.writeString(file, first + "\n" + second + "\n");
        new AuditHead(2, AuditChain.hashOf(second).orElseThrow()).writeTo(AuditHead.fileOf(file));
        assertThat(verify()).isEqualTo(new AuditChain.Verification.Intact(2, List.of(), 2));

        try (var log = new ProjectAuditLog(files, id -> Optional.of(project.toString()), dir -> java.util.Set.of())) {
            log.record(new AuditRecord("ses_1", "call_9", "bash", ORIGIN, AuditRecord.Verdict.COMPLETED, "", System.currentTimeMillis(), System.currentTimeMillis()));
        }
        assertThat(verify()).isEqualTo(new AuditChain.Verification.Intact(3, List.of(), 2));
    }

    @Test
    void withoutItsKeyAKeyedLogDoesNotVerify() throws Exception {
        write(2);
        Files.delete(files.key());
        assertThat(verify()).isInstanceOfSatisfying(AuditChain.Verification.Broken.class, b -> {
            assertThat(b.line()).isEqualTo(1);
            assertThat(b.why()).contains("audit key is missing");
        });
    }
}
