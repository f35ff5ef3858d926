package dev.lathe.core.audit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/** Reads a project's audit file for {@code lathe audit}: its entries as lines for people or as raw JSON, and its check. */
public final class AuditReader {
    private final Path file;
    private final Path key;

    public AuditReader(AuditFiles files, Path directory) {
        this.file = files.of(directory);
        this.key = files.key();
    }

    public Path file() { return file; }

    /** The raw entry lines, only {@code session}'s when given; none when the project has no log yet. */
    public List<String> json(Optional<String> session) throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : lines()) {
            var node = AuditChain.read(line);
            if (node.isPresent() && session.map(s -> s.equals(node.get().path("session").asString(""))).orElse(true)) out.add(line);
        }
        return out;
    }

    /** One line per entry for people: number, time, session, kind and what it says. */
    public List<String> human(Optional<String> session) throws IOException {
        return json(session).stream().map(l -> describe(AuditChain.read(l).orElseThrow())).toList();
    }

    /**
     * The chain's check and its anchor's ({@link AuditHead}); intact for a project with no log. The anchor is read
     * first: the writer rewrites it after each append, so read in this order it is never ahead of an intact log.
     */
    public AuditChain.Verification verify() throws IOException {
        AuditHead.Read anchor = AuditHead.read(AuditHead.fileOf(file));
        Optional<AuditKey> k;
        try {
            k = AuditKey.read(key);
        } catch (IOException e) {
            return new AuditChain.Verification.Broken(1, e.getMessage(), 0);
        }
        return AuditChain.verify(Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "", anchor, k);
    }

    private List<String> lines() throws IOException {
        return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
    }

    private static String describe(JsonNode e) {
        String head = "#" + e.path("seq").asLong() + " " + Instant.ofEpochMilli(e.path("time").asLong()) + " " + e.path("session").asString("") + " ";
        String call = e.path("call").asString("");
        return head + switch (e.path("kind").asString("")) {
            case "call" -> "call " + call + " " + e.path("tool").asString("") + " (" + e.path("origin").asString("") + "): "
                    + e.path("verdict").asString("") + detail(e.path("detail").asString(""));
            case "decision" -> "decision " + call + " " + e.path("permission").asString("") + " " + patterns(e.path("patterns")) + ": "
                    + e.path("decision").asString("") + " by rule " + e.path("rule").asString("") + origin(e) + " (" + e.path("reason").asString("") + ")";
            case "answer" -> "answer " + call + " " + e.path("permission").asString("") + ": " + e.path("reply").asString("") + " by "
                    + e.path("by").asString("");
            case "auto" -> "auto " + call + " " + e.path("permission").asString("") + " " + patterns(e.path("patterns")) + ": "
                    + e.path("decision").asString("") + " by " + e.path("model").asString("") + " (" + e.path("reason").asString("") + "; "
                    + e.path("tokens").asString("0") + " tokens, " + e.path("ms").asString("0") + " ms)";
            case "refusal" -> "refusal " + call + " by " + e.path("by").asString("") + ": " + patterns(e.path("command")) + " ("
                    + e.path("reason").asString("") + ")";
            case "hook" -> "hook " + (call.isEmpty() ? "" : call + " ") + e.path("event").asString("") + " " + e.path("handler").asString("")
                    + " (" + e.path("source").asString("") + "): " + e.path("decision").asString("")
                    + (e.has("exit") ? ", exit " + e.path("exit").asInt() : "") + ", " + e.path("durationMillis").asLong() + " ms"
                    + detail(e.path("detail").asString(""));
            case "environment" -> "environment of " + e.path("by").asString("") + " ignored on " + e.path("route").asString("") + ": "
                    + patterns(e.path("names")) + " (only the node's own user may set a session's config or keys)";
            case "torn" -> "torn: line " + e.path("tornLine").asLong() + " was cut short by an interrupted write";
            case "cut" -> "cut: the log was found shorter than its head anchor (" + e.path("why").asString("") + ")";
            default -> "unknown entry kind " + e.path("kind").asString("");
        };
    }

    /** {@code  from project /repo/lathe.json}; nothing for an entry written before layers were recorded. */
    private static String origin(JsonNode e) {
        String layer = e.path("layer").asString("");
        if (layer.isEmpty()) return "";
        String source = e.path("source").asString("");
        return " from " + layer + (source.isEmpty() ? "" : " " + source);
    }

    private static String detail(String d) { return d.isEmpty() ? "" : " — " + d; }

    private static String patterns(JsonNode list) {
        List<String> out = new ArrayList<>();
        list.forEach(n -> out.add(n.asString("")));
        return out.toString();
    }
}
