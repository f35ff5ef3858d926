package dev.lathe.app;

import dev.lathe.testkit.FakeLlm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.sqlite.SQLiteConfig;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The invariants of a turn that every provider-fault case ends with (issue 25), read from what a user's tools can see:
 * the session as stored (the SQLite file, opened read-only), the events {@code lathe run --format json} printed, the
 * fake provider and the machine's processes. Collects every problem, so one failure says all.
 *
 * <ul>
 * <li><b>One final assistant message per turn.</b> A turn is a prompt the user typed (a user message with text that is
 *     not synthetic) and the assistant messages up to the next one. A compaction's summary (the message a
 *     {@code compaction} part names) is not part of the answer. Of the others, every one is completed, and exactly one
 *     is final: the last, whose {@code finish} is not {@code tool_calls} (every message before it went on with
 *     tools).</li>
 * <li><b>No duplicated parts.</b> No part id announced in two messages, no two tool parts of one message with one call
 *     id, no part the events removed still stored, and no text of a failed attempt ({@code fragments}) anywhere in the
 *     stored parts or the final answer.</li>
 * <li><b>Nothing left open.</b> No tool part {@code pending} or {@code running}, no assistant message without
 *     {@code completedAt}, the session's last announced status {@code idle}, no request still being answered by the
 *     fake provider, no process left running in the project folder.</li>
 * </ul>
 */
final class TurnInvariants {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final String caseName;
    private final List<String> problems = new ArrayList<>();

    private TurnInvariants(String caseName) {
        this.caseName = caseName;
    }

    /**
     * Checks the session {@code sessionId} in {@code database}, the NDJSON {@code events} of the run, the fake
     * provider {@code llm} and the project folder {@code project}; {@code fragments} are texts of failed attempts
     * that must not be stored nor answered.
     */
    static TurnInvariants check(String caseName, Path database, String sessionId, List<JsonNode> events, FakeLlm llm, Path project,
            List<String> fragments) throws InterruptedException {
        var checks = new TurnInvariants(caseName);
        checks.stored(database, sessionId, events, fragments);
        checks.events(sessionId, events, fragments);
        if (!llm.awaitNoOpenConnections(Duration.ofSeconds(5))) {
            checks.problems.add(llm.openConnections() + " request(s) to the fake provider still open");
        }
        checks.noProcessIn(project);
        return checks;
    }

    List<String> problems() { return List.copyOf(problems); }

    void assertClean() {
        if (!problems.isEmpty()) throw new AssertionError("turn invariants after \"" + caseName + "\":\n  " + String.join("\n  ", problems));
    }

    private record Message(String id, String role, JsonNode info, List<JsonNode> parts) {}

    private void stored(Path database, String sessionId, List<JsonNode> events, List<String> fragments) {
        List<Message> messages = new ArrayList<>();
        var config = new SQLiteConfig();
        config.setReadOnly(true);
        config.setBusyTimeout(5000);
        try (Connection c = config.createConnection("jdbc:sqlite:" + database.toAbsolutePath())) {
            Map<String, Message> byId = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id, role, data FROM message WHERE session_id = ? ORDER BY id")) {
                ps.setString(1, sessionId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        var m = new Message(rs.getString(1), rs.getString(2), JSON.readTree(rs.getString(3)), new ArrayList<>());
                        messages.add(m);
                        byId.put(m.id(), m);
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT message_id, status, data FROM part WHERE session_id = ? ORDER BY id")) {
                ps.setString(1, sessionId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String status = rs.getString(2);
                        JsonNode part = JSON.readTree(rs.getString(3));
                        if ("pending".equals(status) || "running".equals(status)) problems.add("a tool part left " + status + ": " + brief(part));
                        Message m = byId.get(rs.getString(1));
                        if (m != null) m.parts().add(part);
                    }
                }
            }
        } catch (SQLException e) {
            problems.add("cannot read " + database + ": " + e.getMessage());
            return;
        }
        if (messages.isEmpty()) problems.add("no message stored for session " + sessionId);
        Set<String> summaries = new HashSet<>();
        for (Message m : messages) {
            for (JsonNode p : m.parts()) {
                if (p.path("type").asString().equals("compaction") && p.path("summaryMessageId").isString()) summaries.add(p.path("summaryMessageId").asString());
            }
        }
        Set<String> removed = new HashSet<>();
        for (JsonNode e : events) {
            if (e.path("type").asString().equals("message.part.removed")) removed.add(e.path("partId").asString());
        }
        List<List<Message>> turns = new ArrayList<>();
        for (Message m : messages) {
            if (m.role().equals("user") && isPrompt(m)) turns.add(new ArrayList<>());
            else if (m.role().equals("assistant") && !summaries.contains(m.id()) && !turns.isEmpty()) turns.getLast().add(m);
            for (JsonNode p : m.parts()) {
                String json = p.toString();
                for (String f : fragments) if (json.contains(f)) problems.add("a failed attempt's text \"" + f + "\" is stored: " + brief(p));
                if (removed.contains(p.path("id").asString())) problems.add("a part announced as removed is still stored: " + brief(p));
            }
            if (m.role().equals("assistant") && m.info().path("completedAt").isMissingNode()) problems.add("assistant message " + m.id() + " never completed");
            Set<String> callIds = new HashSet<>();
            for (JsonNode p : m.parts()) {
                if (p.path("type").asString().equals("tool") && !callIds.add(p.path("callId").asString())) {
                    problems.add("two tool parts of message " + m.id() + " share the call id " + p.path("callId").asString());
                }
            }
        }
        if (turns.isEmpty()) problems.add("no prompt typed by the user is stored");
        for (int t = 0; t < turns.size(); t++) {
            List<Message> answer = turns.get(t);
            List<String> finals = answer.stream().filter(m -> !m.info().path("finish").asString("").equals("tool_calls")).map(Message::id).toList();
            if (finals.size() != 1) {
                problems.add("turn " + (t + 1) + " has " + finals.size() + " final assistant messages " + finals + " (finishes "
                        + answer.stream().map(m -> m.info().path("finish").asString("-") + (m.info().has("error") ? "+error" : "")).toList() + ")");
            } else if (!finals.getFirst().equals(answer.getLast().id())) {
                problems.add("turn " + (t + 1) + "'s final message is not its last");
            }
        }
    }

    /** A prompt the user typed: a user message with a text part that is not synthetic. */
    private static boolean isPrompt(Message m) {
        return m.parts().stream().anyMatch(p -> p.path("type").asString().equals("text") && !p.path("synthetic").asBoolean(false));
    }

    private void events(String sessionId, List<JsonNode> events, List<String> fragments) {
        Map<String, String> messageOfPart = new HashMap<>();
        String lastStatus = "none";
        for (JsonNode e : events) {
            String type = e.path("type").asString();
            if (type.equals("message.part.updated")) {
                JsonNode part = e.path("part");
                String before = messageOfPart.putIfAbsent(part.path("id").asString(), part.path("messageId").asString());
                if (before != null && !before.equals(part.path("messageId").asString())) {
                    problems.add("part " + part.path("id").asString() + " announced in two messages");
                }
            }
            if (type.equals("session.status") && e.path("sessionId").asString().equals(sessionId)) lastStatus = e.path("status").path("type").asString();
            if (type.equals("result")) {
                String text = e.path("text").asString("");
                for (String f : fragments) if (text.contains(f)) problems.add("the final answer holds a failed attempt's text \"" + f + "\"");
            }
        }
        if (!lastStatus.equals("idle")) problems.add("the session's last announced status is " + lastStatus + ", not idle");
    }

    /** No process (a tool's bash, its children) still runs with the project folder as its working folder. */
    private void noProcessIn(Path project) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        List<String> left = processesIn(project);
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
            left = processesIn(project);
        }
        if (!left.isEmpty()) problems.add("processes still run in the project folder: " + left);
    }

    private static List<String> processesIn(Path project) {
        Path real;
        try {
            real = project.toRealPath();
        } catch (IOException e) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(d -> d.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    Path cwd = Files.readSymbolicLink(p.resolve("cwd"));
                    if (cwd.startsWith(real)) out.add(p.getFileName() + " " + ProcessHandle.of(Long.parseLong(p.getFileName().toString()))
                            .flatMap(h -> h.info().commandLine()).orElse("?"));
                } catch (IOException | RuntimeException e) {
                    // gone meanwhile, or not ours to read
                }
            }
        } catch (IOException e) {
            return List.of();
        }
        return out;
    }

    private static String brief(JsonNode part) {
        String s = part.toString();
        return s.length() > 200 ? s.substring(0, 200) + "…" : s;
    }
}
