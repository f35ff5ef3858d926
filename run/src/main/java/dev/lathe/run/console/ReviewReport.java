package dev.lathe.run.console;

import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.ToolState;
import dev.lathe.protocol.wire.WireJson;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A review's report (DESIGN §18 "Review"): its findings, most important first, and a summary. Read from a review
 * session's messages: the last completed {@code report_findings} call, else a final answer that is such a JSON object
 * (bare or in a fenced block). A finding's file is kept relative to the repository root; one the model named outside
 * it (absolute elsewhere, or leading out with {@code ..}) keeps its text but loses the path, which is said in its body,
 * so no reader of the report opens or comments on a file outside the repository because the model said so.
 */
public record ReviewReport(List<Finding> findings, String summary) {
    public static final String TOOL = "report_findings";

    /** {@code line} and {@code endLine} empty when the model named no lines (a finding about a whole file). */
    public record Finding(int priority, String file, Optional<Integer> line, Optional<Integer> endLine, String title, String body) {}

    public ReviewReport {
        findings = findings.stream().sorted(java.util.Comparator.comparingInt(Finding::priority)).toList();
    }

    /** The report in {@code history} (a review session's messages), its paths checked against {@code root}. */
    public static Optional<ReviewReport> of(List<MessageWithParts> history, Path root) {
        Optional<ReviewReport> fromTool = Optional.empty();
        Optional<String> lastText = Optional.empty();
        for (MessageWithParts m : history) {
            if (!(m.info() instanceof AssistantMessage)) continue;
            for (Part p : m.parts()) {
                if (p instanceof Part.Tool t && t.tool().equals(TOOL) && t.state() instanceof ToolState.Completed c) {
                    Optional<ReviewReport> parsed = parse(c.input().json(), root);
                    if (parsed.isPresent()) fromTool = parsed;
                }
                if (p instanceof Part.Text t && !t.synthetic() && !t.text().isBlank()) lastText = Optional.of(t.text());
            }
        }
        if (fromTool.isPresent()) return fromTool;
        return lastText.flatMap(text -> parse(unfenced(text), root));
    }

    /** The last answer's text, for a review whose model reported in prose only. */
    public static Optional<String> finalText(List<MessageWithParts> history) {
        Optional<String> last = Optional.empty();
        for (MessageWithParts m : history) {
            if (!(m.info() instanceof AssistantMessage)) continue;
            for (Part p : m.parts()) if (p instanceof Part.Text t && !t.synthetic() && !t.text().isBlank()) last = Optional.of(t.text().strip());
        }
        return last;
    }

    /** The object {@code json} holds, when it has a {@code findings} array; findings that are no objects are skipped. */
    public static Optional<ReviewReport> parse(String json, Path root) {
        JsonNode node;
        try {
            node = WireJson.mapper().readTree(json.strip());
        } catch (RuntimeException e) {
            return Optional.empty();
        }
        if (node == null || !node.isObject() || !node.path("findings").isArray()) return Optional.empty();
        List<Finding> findings = new ArrayList<>();
        for (JsonNode f : node.path("findings")) {
            if (!f.isObject()) continue;
            int priority = Math.clamp(f.path("priority").asInt(2), 0, 3);
            Optional<Integer> line = positive(f.path("line"));
            Optional<Integer> end = positive(f.path("endLine")).or(() -> line).map(e -> Math.max(e, line.orElse(e)));
            String title = text(f.path("title"));
            String body = text(f.path("body"));
            String file = text(f.path("file"));
            Optional<String> inside = inside(file, root);
            if (inside.isEmpty() && !file.isBlank()) body = (body.isBlank() ? "" : body + "\n\n") + "(The review named a path outside the repository: " + file + ")";
            findings.add(new Finding(priority, inside.orElse(""), inside.isEmpty() ? Optional.empty() : line, inside.isEmpty() ? Optional.empty() : end,
                    title.isBlank() ? "(untitled)" : title, body));
        }
        return Optional.of(new ReviewReport(findings, text(node.path("summary"))));
    }

    /** {@code file} relative to {@code root}, or empty when it leaves it (or is no path). */
    static Optional<String> inside(String file, Path root) {
        if (file.isBlank()) return Optional.empty();
        try {
            Path p = Path.of(file).normalize();
            if (p.isAbsolute()) {
                Path r = root.toAbsolutePath().normalize();
                if (!p.startsWith(r)) return Optional.empty();
                p = r.relativize(p);
            }
            if (p.toString().isEmpty() || p.startsWith("..")) return Optional.empty();
            return Optional.of(p.toString().replace('\\', '/'));
        } catch (InvalidPathException e) {
            return Optional.empty();
        }
    }

    private static Optional<Integer> positive(JsonNode n) {
        return n.isNumber() && n.asInt() >= 1 ? Optional.of(n.asInt()) : Optional.empty();
    }

    private static String text(JsonNode n) {
        return n.isString() ? n.asString().strip() : "";
    }

    /** {@code text} without a Markdown fence around it ({@code ```json ... ```}), as models like to answer. */
    private static String unfenced(String text) {
        String s = text.strip();
        if (!s.startsWith("```")) return s;
        int open = s.indexOf('\n');
        int close = s.lastIndexOf("```");
        return open < 0 || close <= open ? s : s.substring(open + 1, close);
    }

    /** DESIGN §18's JSON form: {@code {"findings": [{"priority", "file", "line", "endLine", "title", "body"}], "summary"}}. */
    public String json() {
        ObjectNode out = WireJson.mapper().createObjectNode();
        ArrayNode list = out.putArray("findings");
        for (Finding f : findings) {
            ObjectNode o = list.addObject();
            o.put("priority", f.priority());
            o.put("file", f.file());
            if (f.line().isPresent()) o.put("line", f.line().get()); else o.putNull("line");
            if (f.endLine().isPresent()) o.put("endLine", f.endLine().get()); else o.putNull("endLine");
            o.put("title", f.title());
            o.put("body", f.body());
        }
        out.put("summary", summary);
        return WireJson.write(out);
    }

    /** The report for people: each finding as {@code [P0] title}, its place, its body indented; then the summary and a count. */
    public String text() {
        var out = new StringBuilder();
        for (Finding f : findings) {
            out.append("[P").append(f.priority()).append("] ").append(f.title()).append('\n');
            if (!f.file().isEmpty()) out.append("    ").append(place(f)).append('\n');
            for (String line : f.body().lines().toList()) out.append(line.isBlank() ? "" : "    " + line).append('\n');
            out.append('\n');
        }
        if (!summary.isBlank()) out.append(summary).append("\n\n");
        out.append(count());
        return out.toString();
    }

    private static String place(Finding f) {
        if (f.line().isEmpty()) return f.file();
        int start = f.line().get();
        int end = f.endLine().orElse(start);
        return f.file() + ":" + start + (end > start ? "-" + end : "");
    }

    /** E.g. {@code 3 findings (1 P0, 2 P2).} or {@code No findings.} */
    String count() {
        if (findings.isEmpty()) return "No findings.";
        var by = new StringBuilder();
        for (int p = 0; p <= 3; p++) {
            int priority = p;
            long n = findings.stream().filter(f -> f.priority() == priority).count();
            if (n > 0) by.append(by.isEmpty() ? "" : ", ").append(n).append(" P").append(p);
        }
        return String.format(Locale.ROOT, "%d finding%s (%s).", findings.size(), findings.size() == 1 ? "" : "s", by);
    }
}
