package dev.lathe.core.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The byte format of the audit file and its check. Each entry is one line, a JSON object whose fields end with
 * {@code "prev"} (the previous entry's hash; {@link #GENESIS} for the first) and {@code "hash"}: the hex SHA-256 of the
 * line's bytes before {@code ,"hash":}. So changing any byte of an entry breaks its own hash, and removing or
 * reordering entries breaks the next one's {@code prev} (and {@code seq}). A last line without its newline is a torn
 * write; the writer seals it on reopen with a {@code torn} entry whose {@code prev} is the torn bytes' hash, so the
 * chain runs through them and the crash stays visible.
 */
public final class AuditChain {
    private AuditChain() {}

    /** The {@code prev} of the first entry. */
    public static final String GENESIS = "0".repeat(64);

    private static final String HASH_FIELD = ",\"hash\":\"";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** The line (without its newline) for an entry numbered {@code seq} following the entry hashed {@code prev}. */
    static String line(long seq, String prev, AuditEntry entry) {
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
        return prefix + HASH_FIELD + sha256(prefix) + "\"}";
    }

    /** The hash an entry line carries, or empty when the line is not an entry (torn, foreign). */
    static java.util.Optional<String> hashOf(String line) {
        int at = line.lastIndexOf(HASH_FIELD);
        if (at < 0 || !line.endsWith("\"}")) return java.util.Optional.empty();
        return java.util.Optional.of(line.substring(at + HASH_FIELD.length(), line.length() - 2));
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }

    /**
     * Checks a whole file's text. Intact when every entry's hash matches its bytes, every {@code prev} the entry
     * before and every {@code seq} follows; torn lines sealed by a {@code torn} entry are reported, not failed.
     */
    public static Verification verify(String text) {
        List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
        String last = lines.removeLast();
        boolean tornTail = !last.isEmpty();
        if (tornTail) lines.add(last);
        String prev = GENESIS;
        long seq = 0;
        List<Integer> sealed = new ArrayList<>();
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
            String prefix = line.substring(0, line.lastIndexOf(HASH_FIELD));
            if (!sha256(prefix).equals(own)) return new Verification.Broken(number, "its hash does not match its content (the entry was changed)", seq);
            if (!parsed.path("prev").asString("").equals(prev)) {
                return new Verification.Broken(number, "its prev does not match the entry before (an entry was removed, inserted or reordered)", seq);
            }
            long s = parsed.path("seq").asLong(-1);
            if (s != seq + 1) return new Verification.Broken(number, "its seq is " + s + ", expected " + (seq + 1), seq);
            seq = s;
            prev = own;
        }
        return new Verification.Intact(seq, sealed);
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
        /** Every entry checks; {@code sealedTornLines}: line numbers of torn writes a later entry sealed. */
        record Intact(long entries, List<Integer> sealedTornLines) implements Verification {
            public Intact {
                sealedTornLines = List.copyOf(sealedTornLines);
            }
        }

        /** {@code line} (1-based) is the first bad entry, for {@code why}; {@code goodEntries} entries before it check. */
        record Broken(int line, String why, long goodEntries) implements Verification {}
    }
}
