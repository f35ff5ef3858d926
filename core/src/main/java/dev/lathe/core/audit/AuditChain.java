package dev.lathe.core.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The byte format of the audit file and its check. Each entry is one line, a JSON object whose fields end with
 * {@code "prev"} (the previous entry's hash; {@link #GENESIS} for the first) and {@code "hash"}: the hex SHA-256 of the
 * line's bytes before {@code ,"hash":}. So changing any byte of an entry breaks its own hash, and removing or
 * reordering entries breaks the next one's {@code prev} (and {@code seq}). A last line without its newline is a torn
 * write; the writer seals it on reopen with a {@code torn} entry whose {@code prev} is the torn bytes' hash, so the
 * chain runs through them and the crash stays visible. The end is anchored outside the file ({@link AuditHead}), so
 * cutting off the last entries is found too; a writer that finds the log shorter than its anchor records a {@code cut}
 * entry before it goes on, so the next anchor does not hide it.
 *
 * <p>Keyed ({@link AuditKey}): an entry written with the key ends in {@code "mac"} instead of {@code "hash"}, the hex
 * HMAC-SHA256 of the same bytes, and the anchor carries a MAC too; so whoever lacks the key cannot rewrite the tail and
 * recompute the chain and the anchor. Entries written before the key existed keep their plain hash: they verify as
 * unkeyed and are counted as such; an unkeyed entry after a keyed one, or one dated after the key was made, is a
 * forgery by someone without the key.
 */
public final class AuditChain {
    private AuditChain() {}

    /** The {@code prev} of the first entry. */
    public static final String GENESIS = "0".repeat(64);

    private static final String HASH_FIELD = ",\"hash\":\"";
    private static final String MAC_FIELD = ",\"mac\":\"";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** The line (without its newline) for an entry numbered {@code seq} following the entry hashed {@code prev}. */
    static String line(long seq, String prev, AuditEntry entry) {
        return line(seq, prev, entry, Optional.empty());
    }

    /** As {@link #line(long, String, AuditEntry)}, ending in the entry's MAC under {@code key} when there is one. */
    static String line(long seq, String prev, AuditEntry entry, Optional<AuditKey> key) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("seq", seq);
        fields.put("time", entry.time());
        fields.put("kind", entry.kind().wire());
        fields.put("session", entry.session());
        fields.put("call", entry.callId());
        fields.putAll(entry.fields());
        fields.put("prev", prev);
        String body = JSON.writeValueAsString(fields);
        String prefix = body.substring(0, body.length() - 1);
        return key.map(k -> prefix + MAC_FIELD + k.mac(prefix) + "\"}").orElseGet(() -> prefix + HASH_FIELD + sha256(prefix) + "\"}");
    }

    /** The fields a line's chain position sets: an entry field of one of these names takes the map's way ({@link #prepare}). */
    private static final java.util.Set<String> CHAIN_FIELDS = java.util.Set.of("seq", "time", "kind", "session", "call", "prev");

    /**
     * What of an entry's line does not depend on its place in the chain, serialised before the writer takes its lock:
     * the JSON between {@code "seq":N,} and {@code ,"prev":…} ({@code middle}), or {@code null} when an entry field
     * shares a name with a chain field, so only {@link #line(long, String, AuditEntry, Optional)} can place it.
     */
    record Prepared(AuditEntry entry, String middle) {}

    /** {@code entry}'s line without its place in the chain ({@link Prepared}). */
    static Prepared prepare(AuditEntry entry) {
        for (String name : entry.fields().keySet()) if (CHAIN_FIELDS.contains(name)) return new Prepared(entry, null);
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("time", entry.time());
        fields.put("kind", entry.kind().wire());
        fields.put("session", entry.session());
        fields.put("call", entry.callId());
        fields.putAll(entry.fields());
        String body = JSON.writeValueAsString(fields);
        return new Prepared(entry, body.substring(1, body.length() - 1));
    }

    /**
     * The same bytes as {@link #line(long, String, AuditEntry, Optional)} for the prepared entry: the chain's number and
     * {@code prev} put around the JSON serialised before.
     */
    static String line(long seq, String prev, Prepared prepared, Optional<AuditKey> key) {
        if (prepared.middle() == null) return line(seq, prev, prepared.entry(), key);
        String prefix = "{\"seq\":" + seq + "," + prepared.middle() + ",\"prev\":" + (isHex(prev) ? "\"" + prev + "\"" : JSON.writeValueAsString(prev));
        return key.map(k -> prefix + MAC_FIELD + k.mac(prefix) + "\"}").orElseGet(() -> prefix + HASH_FIELD + sha256(prefix) + "\"}");
    }

    /** Whether {@code text} is lower-case hex, which JSON writes as it is (a hash; a line read back may carry anything). */
    private static boolean isHex(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) return false;
        }
        return true;
    }

    /** Where the line's own hash or MAC field starts, or -1 when it has neither. */
    private static int sealAt(String line) {
        return Math.max(line.lastIndexOf(HASH_FIELD), line.lastIndexOf(MAC_FIELD));
    }

    private static boolean keyed(String line) { return line.lastIndexOf(MAC_FIELD) > line.lastIndexOf(HASH_FIELD); }

    /** The hash an entry line carries, or empty when the line is not an entry (torn, foreign). */
    static Optional<String> hashOf(String line) {
        int at = sealAt(line);
        if (at < 0 || !line.endsWith("\"}")) return Optional.empty();
        int length = keyed(line) ? MAC_FIELD.length() : HASH_FIELD.length();
        return Optional.of(line.substring(at + length, line.length() - 2));
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }

    /**
     * Checks a whole file's text, without its anchor. Intact when every entry's hash matches its bytes, every
     * {@code prev} the entry before and every {@code seq} follows; torn lines sealed by a {@code torn} entry are
     * reported, not failed; a {@code cut} entry (the writer found the log shorter than its anchor) fails.
     */
    public static Verification verify(String text) {
        return verify(text, Optional.empty(), Keying.UNCHECKED);
    }

    /**
     * Checks a file's text and its anchor ({@link AuditHead}), read before the text: besides the chain, the entry the
     * anchor names must be there with the anchored hash (later entries are fine: the anchor is rewritten after each
     * append, so a crash can leave it behind, never ahead). A missing or unreadable anchor of a log with entries fails:
     * the writer writes the anchor before a log's first entry.
     */
    static Verification verify(String text, AuditHead.Read anchor) {
        return verify(text, Optional.of(anchor), Keying.UNCHECKED);
    }

    /**
     * As {@link #verify(String, AuditHead.Read)}, checking the MACs of keyed entries and of the anchor with {@code key}
     * (empty: there is no key file, so a keyed entry cannot be checked and fails).
     */
    static Verification verify(String text, AuditHead.Read anchor, Optional<AuditKey> key) {
        return verify(text, Optional.of(anchor), new Keying.Checked(key));
    }

    /** How MACs are checked: not at all (the chain's links only), or with the key file's key (none when there is no file). */
    private sealed interface Keying {
        Keying UNCHECKED = new Unchecked();

        record Unchecked() implements Keying {}

        record Checked(Optional<AuditKey> key) implements Keying {}
    }

    private static Verification verify(String text, Optional<AuditHead.Read> anchor, Keying keying) {
        List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
        String last = lines.removeLast();
        boolean tornTail = !last.isEmpty();
        if (tornTail) lines.add(last);
        Optional<AuditHead> head = anchor.flatMap(a -> a instanceof AuditHead.Read.Found f ? Optional.of(f.head()) : Optional.empty());
        String prev = GENESIS;
        long seq = 0;
        int anchoredLine = 0;
        String anchoredHash = GENESIS;
        List<Integer> sealed = new ArrayList<>();
        long unkeyed = 0;
        boolean keyedSeen = false;
        for (int i = 0; i < lines.size(); i++) {
            int number = i + 1;
            String line = lines.get(i);
            if (tornTail && i == lines.size() - 1) {
                return new Verification.Broken(number, "torn last line: an interrupted write left it without its end", seq);
            }
            var parsed = parse(line);
            if (parsed == null) {
                // a torn line is acceptable only when the next entry seals it (the writer did so on reopen)
                var next = i + 1 < lines.size() ? parse(lines.get(i + 1)) : null;
                if (next != null && next.path("kind").asString("").equals("torn") && next.path("tornLine").asLong(-1) == number
                        && next.path("prev").asString("").equals(sha256(line))) {
                    sealed.add(number);
                    prev = sha256(line);
                    continue;
                }
                return new Verification.Broken(number, "not an audit entry (unreadable JSON or no hash)", seq);
            }
            String own = hashOf(line).orElseThrow();
            String prefix = line.substring(0, sealAt(line));
            if (keyed(line)) {
                keyedSeen = true;
                if (keying instanceof Keying.Checked(Optional<AuditKey> key)) {
                    if (key.isEmpty()) return new Verification.Broken(number, "it is keyed but the audit key is missing, so it cannot be checked", seq);
                    if (!key.get().mac(prefix).equals(own)) {
                        return new Verification.Broken(number, "its MAC does not match its content (the entry was changed, or written without the key)", seq);
                    }
                }
            } else {
                if (!sha256(prefix).equals(own)) return new Verification.Broken(number, "its hash does not match its content (the entry was changed)", seq);
                if (keying instanceof Keying.Checked(Optional<AuditKey> key)) {
                    if (keyedSeen) {
                        return new Verification.Broken(number, "it is not keyed but follows keyed entries (written by someone without the audit key)", seq);
                    }
                    if (key.isPresent() && parsed.path("time").asLong(0) >= key.get().created()) {
                        return new Verification.Broken(number, "it is not keyed but is dated after the audit key was made (written by someone without the key)", seq);
                    }
                    unkeyed++;
                }
            }
            if (!parsed.path("prev").asString("").equals(prev)) {
                return new Verification.Broken(number, "its prev does not match the entry before (an entry was removed, inserted or reordered)", seq);
            }
            long s = parsed.path("seq").asLong(-1);
            if (s != seq + 1) return new Verification.Broken(number, "its seq is " + s + ", expected " + (seq + 1), seq);
            if (parsed.path("kind").asString("").equals("cut")) {
                return new Verification.Broken(number, "the writer found the log cut short here: " + parsed.path("why").asString("")
                        + " (entries were removed from the end, or lost in a power cut)", seq);
            }
            seq = s;
            prev = own;
            if (head.isPresent() && seq == head.get().entries()) {
                anchoredLine = number;
                anchoredHash = own;
            }
        }
        if (anchor.isEmpty()) return new Verification.Intact(seq, sealed, unkeyed);
        Verification checked = anchored(anchor.get(), new Verification.Intact(seq, sealed, unkeyed), lines.size() + 1, anchoredLine, anchoredHash);
        // a keyed log's anchor is signed (the writer signs every anchor once the key exists): one that is not was
        // written by someone without the key, whatever it says
        if (checked instanceof Verification.Intact && keyedSeen && keying instanceof Keying.Checked(Optional<AuditKey> key) && key.isPresent()
                && anchor.get() instanceof AuditHead.Read.Found(AuditHead found) && !found.signedWith(key.get())) {
            return new Verification.Broken(lines.size() + 1, "the log's head anchor is not signed with the audit key (it was rewritten without the key)", seq);
        }
        return checked;
    }

    /**
     * The check of an intact chain's end against its anchor. {@code after}: the line after the last one (where a
     * missing entry would be); {@code anchoredLine} and {@code anchoredHash}: the line and hash of the entry the anchor
     * names (0 and {@link #GENESIS} when the log does not reach it).
     */
    private static Verification anchored(AuditHead.Read anchor, Verification.Intact chain, int after, int anchoredLine, String anchoredHash) {
        long seq = chain.entries();
        return switch (anchor) {
            case AuditHead.Read.Missing _ -> seq == 0 ? chain
                    : new Verification.Broken(after, "the log's head anchor is missing, so its end cannot be checked (it was deleted)", seq);
            case AuditHead.Read.Unreadable u -> new Verification.Broken(after, "the log's head anchor is unreadable: " + u.why(), seq);
            case AuditHead.Read.Found f when f.head().entries() > seq -> new Verification.Broken(after, "the log ends after entry " + seq
                    + " but its head anchor records " + f.head().entries() + " entries: the last entries were removed"
                    + " (or lost in a power cut before they reached the disk)", seq);
            case AuditHead.Read.Found f when !f.head().hash().equals(anchoredHash) -> new Verification.Broken(Math.max(anchoredLine, 1),
                    "its hash is not the one the head anchor records for entry " + f.head().entries() + " (the log was rewritten up to here)",
                    Math.max(f.head().entries() - 1, 0));
            case AuditHead.Read.Found _ -> chain;
        };
    }

    /**
     * Whether the log {@code text} holds the entry {@code head} anchors, with its hash; why not when it does not (for
     * the writer, which checks the anchor it finds before it rewrites it).
     */
    static Optional<String> mismatch(String text, AuditHead head) {
        if (head.entries() == 0) return head.hash().equals(GENESIS) ? Optional.empty() : Optional.of("the anchor of an empty log names a hash");
        long entries = 0;
        for (String line : text.split("\n")) {
            var node = parse(line);
            if (node == null) continue;
            long s = node.path("seq").asLong(-1);
            entries = Math.max(entries, s);
            if (s == head.entries()) {
                return hashOf(line).orElseThrow().equals(head.hash()) ? Optional.empty()
                        : Optional.of("entry " + s + " is not the one the anchor recorded");
            }
        }
        return Optional.of("the anchor recorded " + head.entries() + " entries, the log held " + entries);
    }

    private static JsonNode parse(String line) {
        if (hashOf(line).isEmpty()) return null;
        try {
            JsonNode node = JSON.readTree(line);
            return node.isObject() ? node : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Reads an entry line into its fields (for printing); empty when it is not one. */
    static java.util.Optional<JsonNode> read(String line) {
        return java.util.Optional.ofNullable(parse(line));
    }

    /** The outcome of {@link #verify}. */
    public sealed interface Verification {
        /**
         * Every entry checks; {@code sealedTornLines}: line numbers of torn writes a later entry sealed;
         * {@code unkeyedEntries}: how many (the first ones) were written before the audit key existed, so only their
         * plain hash chain vouches for them (0 when MACs were not checked).
         */
        record Intact(long entries, List<Integer> sealedTornLines, long unkeyedEntries) implements Verification {
            public Intact {
                sealedTornLines = List.copyOf(sealedTornLines);
            }

            public Intact(long entries, List<Integer> sealedTornLines) {
                this(entries, sealedTornLines, 0);
            }
        }

        /** {@code line} (1-based) is the first bad entry, for {@code why}; {@code goodEntries} entries before it check. */
        record Broken(int line, String why, long goodEntries) implements Verification {}
    }
}
