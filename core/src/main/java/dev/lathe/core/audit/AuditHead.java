package dev.lathe.core.audit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.regex.Matcher;

/**
 * The anchor of an audit file's end, kept outside it ({@code <key>.head} next to {@code <key>.jsonl}): how many
 * entries the log had and the hash of the last one, rewritten whole (a temporary file renamed over it) after each
 * append. The chain alone cannot show that its last entries were cut off; the anchor can: the log must still hold the
 * entry numbered {@code entries}, with that {@code hash}.
 *
 * <p>Order: the writer appends the entry, then rewrites the anchor; a reader reads the anchor, then the log. So an
 * anchor is never ahead of the log it describes except when entries were really lost, and a crash between the append
 * and the rewrite leaves an anchor one entry behind, which still checks (entries after the anchored one are allowed).
 * Nothing is forced to disk (as for the log): after a power cut the anchor may name entries the disk never got, and
 * {@code --verify} then reports them missing, which they are.
 */
record AuditHead(long entries, String hash, java.util.Optional<String> mac) {
    private static final java.util.regex.Pattern FORMAT = java.util.regex.Pattern.compile(
            "\\{\"entries\":(\\d+),\"hash\":\"([0-9a-f]{64})\"(?:,\"mac\":\"([0-9a-f]{64})\")?}\\n?");

    AuditHead(long entries, String hash) {
        this(entries, hash, java.util.Optional.empty());
    }

    /** This anchor signed with {@code key} (so nobody without it can write an anchor that checks). */
    AuditHead signed(AuditKey key) {
        return new AuditHead(entries, hash, java.util.Optional.of(key.mac(signedText())));
    }

    /** Whether the anchor carries a MAC that {@code key} made. */
    boolean signedWith(AuditKey key) {
        return mac.map(m -> m.equals(key.mac(signedText()))).orElse(false);
    }

    private String signedText() { return "audit-head " + entries + " " + hash; }

    /** The anchor of an empty log. */
    static final AuditHead EMPTY = new AuditHead(0, AuditChain.GENESIS);

    /** The anchor file of the audit file {@code log}. */
    static Path fileOf(Path log) {
        String name = log.getFileName().toString();
        String base = name.endsWith(".jsonl") ? name.substring(0, name.length() - ".jsonl".length()) : name;
        return log.resolveSibling(base + ".head");
    }

    String text() {
        return "{\"entries\":" + entries + ",\"hash\":\"" + hash + "\"" + mac.map(m -> ",\"mac\":\"" + m + "\"").orElse("") + "}\n";
    }

    /** Replaces {@code file} with this anchor in one rename, so a reader sees the old anchor or the new one, never half. */
    void writeTo(Path file) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, text(), StandardCharsets.UTF_8);
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** What the anchor file of a log holds. */
    sealed interface Read {
        /** There is no anchor file. */
        record Missing() implements Read {}

        /** The file is not an anchor (changed by hand, or foreign). */
        record Unreadable(String why) implements Read {}

        record Found(AuditHead head) implements Read {}
    }

    static Read read(Path file) throws IOException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return new Read.Missing();
        }
        Matcher m = FORMAT.matcher(text);
        if (!m.matches()) return new Read.Unreadable("it is not {\"entries\":N,\"hash\":\"…\"}");
        try {
            return new Read.Found(new AuditHead(Long.parseLong(m.group(1)), m.group(2), java.util.Optional.ofNullable(m.group(3))));
        } catch (NumberFormatException e) {
            return new Read.Unreadable("its entry count is out of range");
        }
    }
}
