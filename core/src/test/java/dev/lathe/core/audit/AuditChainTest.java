package dev.lathe.core.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.core.permission.Action;
import dev.lathe.core.permission.Decision;
import dev.lathe.core.permission.DecisionLog;
import dev.lathe.core.toolcall.AuditRecord;
import dev.lathe.core.toolcall.Origin;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hash chain over a real file: appended, verified, then changed, cut and torn. */
class AuditChainTest {
    @TempDir Path tmp;

    private Path project;
    private Path file;

    /** Writes three entries (a decision, an answer, a call) for a project and returns its file's text. */
    private String threeEntries() throws Exception {
        project = Files.createDirectories(tmp.resolve("project"));
        var files = new AuditFiles(tmp.resolve("audit"));
        file = files.of(project);
        try (var log = new ProjectAuditLog(files, id -> Optional.of(project.toString()), dir -> java.util.Set.of())) {
            log.decided(new DecisionLog.Decided("ses_1", project.toString(), "call_1", "bash", List.of("git push"),
                    new Decision(Action.ASK, List.of("git push"), "bash: *", "no rule allows it")));
            log.answered(new DecisionLog.Answered("ses_1", project.toString(), "call_1", "bash", "per_1", "once", "client"));
            log.record(new AuditRecord("ses_1", "call_1", "bash", origin(), AuditRecord.Verdict.COMPLETED, "", 1, 2));
        }
        return Files.readString(file);
    }

    private static Origin origin() { return Origin.values()[0]; }

    @Test
    void anAppendedLogVerifiesAndReadsBack() throws Exception {
        String text = threeEntries();

        assertThat(text.lines()).hasSize(3);
        assertThat(AuditChain.verify(text)).isEqualTo(new AuditChain.Verification.Intact(3, List.of()));
        var human = new AuditReader(new AuditFiles(tmp.resolve("audit")), project).human(Optional.of("ses_1"));
        assertThat(human).hasSize(3);
        assertThat(human.get(0)).contains("decision call_1 bash [git push]: ask by rule bash: *");
        assertThat(human.get(1)).contains("answer call_1 bash: once by client");
        assertThat(human.get(2)).contains("call call_1 bash").contains("completed");
        assertThat(new AuditReader(new AuditFiles(tmp.resolve("audit")), project).human(Optional.of("ses_other"))).isEmpty();
    }

    /**
     * An entry's line written from its prepared JSON (serialised before the writer's lock) is byte for byte the line of
     * its fields written whole, for values JSON must escape, nulls, numbers and lists, keyed or not; and a line so
     * written with one character of a field changed fails its check (a cheaper preparation must keep both).
     */
    @Test
    void aPreparedLineIsTheMapsLineAndATamperedOneFails() throws Exception {
        var key = AuditKey.readOrCreate(tmp.resolve("chain.key"));
        java.util.Map<String, Object> fields = new java.util.LinkedHashMap<>();
        fields.put("permission", "read");
        fields.put("patterns", List.of("a \"quoted\" \\ path", "tab\tnew\nline\u0001\u001f", "é ü 漢 \u2028 😀 </script>"));
        fields.put("decision", "allow");
        fields.put("rule", null);
        fields.put("exit", 2);
        fields.put("durationMillis", 12L);
        fields.put("names", List.of());
        fields.put("other", java.util.Map.of("k", true));
        var entry = new AuditEntry(AuditEntry.Kind.DECISION, 1_795_000_000_000L, "ses_1", "call_\"1", fields);
        for (Optional<AuditKey> keyed : List.of(Optional.<AuditKey>empty(), Optional.of(key))) {
            String prepared = AuditChain.line(7, AuditChain.GENESIS, AuditChain.prepare(entry), keyed);
            assertThat(prepared).isEqualTo(AuditChain.line(7, AuditChain.GENESIS, entry, keyed));
        }
        String first = AuditChain.line(1, AuditChain.GENESIS, AuditChain.prepare(entry), Optional.of(key));
        String second = AuditChain.line(2, AuditChain.hashOf(first).orElseThrow(), AuditChain.prepare(entry), Optional.of(key));
        String log = first + "\n" + second + "\n";
        assertThat(AuditChain.verify(log, new AuditHead.Read.Missing(), Optional.of(key))).isInstanceOf(AuditChain.Verification.Broken.class)
                .as("no anchor: the end is not proven");
        assertThat(AuditChain.verify(log)).isEqualTo(new AuditChain.Verification.Intact(2, List.of()));
        String tampered = log.replaceFirst("\"allow\"", "\"alloW\"");
        assertThat(AuditChain.verify(tampered, new AuditHead.Read.Found(new AuditHead(2, AuditChain.hashOf(second).orElseThrow()).signed(key)),
                Optional.of(key))).isInstanceOfSatisfying(AuditChain.Verification.Broken.class, b -> {
                    assertThat(b.line()).isEqualTo(1);
                    assertThat(b.why()).contains("MAC does not match its content");
                });
    }

    @Test
    void reopeningContinuesTheChain() throws Exception {
        threeEntries();
        try (var log = new ProjectAuditLog(new AuditFiles(tmp.resolve("audit")), id -> Optional.of(project.toString()), dir -> java.util.Set.of())) {
            log.record(new AuditRecord("ses_1", "call_2", "read", origin(), AuditRecord.Verdict.REJECTED, "denied\nsecond line", 3, 4));
        }
        String text = Files.readString(file);
        assertThat(AuditChain.verify(text)).isEqualTo(new AuditChain.Verification.Intact(4, List.of()));
        assertThat(text).doesNotContain("second line");
    }

    @Test
    void aFlippedByteIsFoundAtItsEntry() throws Exception {
        String text = threeEntries();
        int at = text.indexOf("git push");
        String changed = text.substring(0, at) + "git pusH" + text.substring(at + "git push".length());

        Files.writeString(file, changed, StandardCharsets.UTF_8);
        assertThat(verifyWithAnchor()).isInstanceOfSatisfying(AuditChain.Verification.Broken.class, b -> {
            assertThat(b.line()).isEqualTo(1);
            assertThat(b.why()).contains("MAC does not match its content");
        });
    }

    @Test
    void aChangedHashBreaksItsEntryOrTheNext() throws Exception {
        String text = threeEntries();
        var lines = new ArrayList<>(text.lines().toList());
        String second = lines.get(1);
        char last = second.charAt(second.length() - 3);
        lines.set(1, second.substring(0, second.length() - 3) + (last == '0' ? '1' : '0') + second.substring(second.length() - 2));

        Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        assertThat(verifyWithAnchor()).isInstanceOfSatisfying(AuditChain.Verification.Broken.class, b -> assertThat(b.line()).isEqualTo(2));
    }

    @Test
    void aRemovedOrReorderedLineIsFound() throws Exception {
        var lines = new ArrayList<>(threeEntries().lines().toList());
        var removed = new ArrayList<>(lines);
        removed.remove(1);
        assertThat(AuditChain.verify(String.join("\n", removed) + "\n")).isInstanceOfSatisfying(AuditChain.Verification.Broken.class, b -> {
            assertThat(b.line()).isEqualTo(2);
            assertThat(b.why()).contains("prev does not match");
        });
        var swapped = List.of(lines.get(0), lines.get(2), lines.get(1));
        assertThat(AuditChain.verify(String.join("\n", swapped) + "\n")).isInstanceOfSatisfying(AuditChain.Verification.Broken.class,
                b -> assertThat(b.line()).isEqualTo(2));
    }

    @Test
    void aTornLastLineIsReportedAndSealedOnReopen() throws Exception {
        String text = threeEntries();
        String torn = text + "{\"seq\":4,\"time\":5,\"kind\":\"ca";
        Files.writeString(file, torn, StandardCharsets.UTF_8);

        assertThat(AuditChain.verify(torn)).isInstanceOfSatisfying(AuditChain.Verification.Broken.class, b -> {
            assertThat(b.line()).isEqualTo(4);
            assertThat(b.why()).contains("torn last line");
        });

        try (var log = new ProjectAuditLog(new AuditFiles(tmp.resolve("audit")), id -> Optional.of(project.toString()), dir -> java.util.Set.of())) {
            log.record(new AuditRecord("ses_1", "call_3", "bash", origin(), AuditRecord.Verdict.COMPLETED, "", 6, 7));
        }
        String sealed = Files.readString(file);
        assertThat(AuditChain.verify(sealed)).isEqualTo(new AuditChain.Verification.Intact(5, List.of(4)));
        assertThat(new AuditReader(new AuditFiles(tmp.resolve("audit")), project).human(Optional.empty()))
                .anySatisfy(l -> assertThat(l).contains("torn: line 4"));

        // the torn bytes stay covered by the chain: changing them is found
        String changedTorn = sealed.replace("\"kind\":\"ca\n", "\"kind\":\"cb\n");
        assertThat(changedTorn).isNotEqualTo(sealed);
        assertThat(AuditChain.verify(changedTorn)).isInstanceOfSatisfying(AuditChain.Verification.Broken.class,
                b -> assertThat(b.line()).isEqualTo(4));
    }

    private AuditChain.Verification verifyWithAnchor() throws Exception {
        return new AuditReader(new AuditFiles(tmp.resolve("audit")), project).verify();
    }

    /** An anchor as the writer leaves it (signed with the audit key): what a crash before its rewrite leaves behind. */
    private void signedAnchor(long entries, String hash) throws Exception {
        new AuditHead(entries, hash).signed(AuditKey.read(new AuditFiles(tmp.resolve("audit")).key()).orElseThrow()).writeTo(head());
    }

    private Path head() {
        return file.resolveSibling(file.getFileName().toString().replace(".jsonl", ".head"));
    }

    @Test
    void eachAppendAnchorsTheEndOutsideTheLog() throws Exception {
        var lines = threeEntries().lines().toList();

        assertThat(Files.readString(head())).startsWith("{\"entries\":3,\"hash\":\"" + AuditChain.hashOf(lines.get(2)).orElseThrow() + "\",\"mac\":\"");
        assertThat(verifyWithAnchor()).isEqualTo(new AuditChain.Verification.Intact(3, List.of()));
    }

    @Test
    void droppingTheLastEntryIsFoundThroughTheAnchor() throws Exception {
        var lines = threeEntries().lines().toList();
        Files.writeString(file, lines.get(0) + "\n" + lines.get(1) + "\n", StandardCharsets.UTF_8);

        // the chain alone cannot see it
        assertThat(AuditChain.verify(Files.readString(file))).isEqualTo(new AuditChain.Verification.Intact(2, List.of()));
        assertThat(verifyWithAnchor()).isInstanceOfSatisfying(AuditChain.Verification.Broken.class, b -> {
            assertThat(b.line()).isEqualTo(3);
            assertThat(b.why()).contains("ends after entry 2").contains("records 3 entries");
        });

        Files.writeString(file, "", StandardCharsets.UTF_8);
        assertThat(verifyWithAnchor()).isInstanceOfSatisfying(AuditChain.Verification.Broken.class, b -> assertThat(b.line()).isEqualTo(1));
    }

    @Test
    void anAnchorLeftBehindByACrashBeforeItsRewriteStillChecks() throws Exception {
        var lines = threeEntries().lines().toList();
        // the state after appending entry 3 and crashing before the anchor was rewritten
        signedAnchor(2, AuditChain.hashOf(lines.get(1)).orElseThrow());

        assertThat(verifyWithAnchor()).isEqualTo(new AuditChain.Verification.Intact(3, List.of()));

        // and the next writer continues from the log, not from the anchor
        try (var log = new ProjectAuditLog(new AuditFiles(tmp.resolve("audit")), id -> Optional.of(project.toString()), dir -> java.util.Set.of())) {
            log.record(new AuditRecord("ses_1", "call_2", "read", origin(), AuditRecord.Verdict.COMPLETED, "", 3, 4));
        }
        assertThat(verifyWithAnchor()).isEqualTo(new AuditChain.Verification.Intact(4, List.of()));
        assertThat(Files.readString(head())).startsWith("{\"entries\":4,");
    }

    @Test
    void anAnchorNamingAnotherEntryOrMissingOrUnreadableFails() throws Exception {
        threeEntries();
        String anchored = Files.readString(head());

        Files.writeString(head(), "{\"entries\":3,\"hash\":\"" + "a".repeat(64) + "\"}\n");
        assertThat(verifyWithAnchor()).isInstanceOfSatisfying(AuditChain.Verification.Broken.class, b -> {
            assertThat(b.line()).isEqualTo(3);
            assertThat(b.why()).contains("not the one the head anchor records for entry 3");
        });

        Files.writeString(head(), "3 entries");
        assertThat(verifyWithAnchor()).isInstanceOfSatisfying(AuditChain.Verification.Broken.class,
                b -> assertThat(b.why()).contains("anchor is unreadable"));

        Files.delete(head());
        assertThat(verifyWithAnchor()).isInstanceOfSatisfying(AuditChain.Verification.Broken.class, b -> {
            assertThat(b.line()).isEqualTo(4);
            assertThat(b.why()).contains("anchor is missing");
        });

        Files.writeString(head(), anchored);
        assertThat(verifyWithAnchor()).isEqualTo(new AuditChain.Verification.Intact(3, List.of()));
    }

    @Test
    void aWriterThatFindsTheLogCutRecordsItSoTheNextAnchorDoesNotHideIt() throws Exception {
        var lines = threeEntries().lines().toList();
        Files.writeString(file, lines.get(0) + "\n", StandardCharsets.UTF_8);

        try (var log = new ProjectAuditLog(new AuditFiles(tmp.resolve("audit")), id -> Optional.of(project.toString()), dir -> java.util.Set.of())) {
            log.record(new AuditRecord("ses_1", "call_2", "read", origin(), AuditRecord.Verdict.COMPLETED, "", 3, 4));
        }

        assertThat(Files.readString(head())).startsWith("{\"entries\":3,");
        assertThat(verifyWithAnchor()).isInstanceOfSatisfying(AuditChain.Verification.Broken.class, b -> {
            assertThat(b.line()).isEqualTo(2);
            assertThat(b.why()).contains("cut short").contains("recorded 3 entries, the log held 1");
        });
        assertThat(new AuditReader(new AuditFiles(tmp.resolve("audit")), project).human(Optional.empty()))
                .anySatisfy(l -> assertThat(l).contains("cut: the log was found shorter than its head anchor"));
    }

    @Test
    void aDeletedLogIsRecordedByTheNextWriter() throws Exception {
        threeEntries();
        Files.delete(file);
        assertThat(verifyWithAnchor()).isInstanceOfSatisfying(AuditChain.Verification.Broken.class, b -> assertThat(b.line()).isEqualTo(1));

        try (var log = new ProjectAuditLog(new AuditFiles(tmp.resolve("audit")), id -> Optional.of(project.toString()), dir -> java.util.Set.of())) {
            log.record(new AuditRecord("ses_1", "call_2", "read", origin(), AuditRecord.Verdict.COMPLETED, "", 3, 4));
        }
        assertThat(verifyWithAnchor()).isInstanceOfSatisfying(AuditChain.Verification.Broken.class, b -> {
            assertThat(b.line()).isEqualTo(1);
            assertThat(b.why()).contains("cut short").contains("recorded 3 entries, the log held 0");
        });
    }

    @Test
    void aNewLogIsAnchoredEmptyBeforeItsFirstEntry() throws Exception {
        project = Files.createDirectories(tmp.resolve("project"));
        var files = new AuditFiles(tmp.resolve("audit"));
        file = files.of(project);
        assertThat(verifyWithAnchor()).isEqualTo(new AuditChain.Verification.Intact(0, List.of()));

        // what a crash right after the first append leaves: the log's first entry, the empty anchor
        try (var log = new ProjectAuditLog(files, id -> Optional.of(project.toString()), dir -> java.util.Set.of())) {
            log.record(new AuditRecord("ses_1", "call_1", "read", origin(), AuditRecord.Verdict.COMPLETED, "", 1, 2));
        }
        signedAnchor(0, AuditChain.GENESIS);
        assertThat(verifyWithAnchor()).isEqualTo(new AuditChain.Verification.Intact(1, List.of()));
    }
}
