package dev.lathe.core.imports;

import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.HistoryImportRequest.Locations;
import dev.lathe.protocol.session.Usage;
import dev.lathe.protocol.session.Attachment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * OpenCode's sessions: the SQLite database {@code $XDG_DATA_HOME/opencode/opencode.db} (default
 * {@code ~/.local/share/opencode}), opened read-only: tables {@code session} (folder, title, parent), {@code message}
 * and {@code part}, each with its body as JSON in {@code data}; and the JSON files versions before 1.2 wrote under
 * {@code storage/} in the same folder, in the same shapes ({@link OpenCodeFiles}). An OpenCode assistant message is one
 * model response, so the responses between two prompts become the steps of one Lathe answer. A subagent's session
 * (with {@code parent_id}) is imported as a child of its parent's.
 */
final class OpenCodeHistory implements HistoryReader {
    static final String SOURCE = "opencode";

    @Override public String source() { return SOURCE; }

    @Override
    public Path root(Locations l) {
        Path data = l.xdgDataHome().map(Path::of).orElseGet(() -> HistoryReader.home(l).resolve(".local/share"));
        return data.resolve("opencode");
    }

    @Override
    public void each(Path root, Optional<Path> directory, Consumer<Transcript> out, List<String> problems) throws IOException {
        Set<String> inDatabase = new HashSet<>();
        Path db = root.resolve("opencode.db");
        if (Files.isRegularFile(db)) {
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:file:" + db + "?mode=ro", readOnly())) {
                List<Row> rows = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT id, COALESCE(parent_id, ''), directory, title FROM session ORDER BY time_created, id");
                        ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) rows.add(new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)));
                }
                rows.forEach(r -> inDatabase.add(r.id()));
                assemble(rows, directory, out, (row, parent) -> {
                    try {
                        return read(c, db, row, parent, problems);
                    } catch (SQLException e) {
                        throw new UncheckedIOException(new IOException("cannot read OpenCode's database " + db + ": " + e.getMessage(), e));
                    }
                });
            } catch (SQLException e) {
                throw new IOException("cannot read OpenCode's database " + db + ": " + e.getMessage(), e);
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
        }
        // the JSON files of versions before 1.2; a session the database holds too (migrated) is read from the database
        OpenCodeFiles files = new OpenCodeFiles(root.resolve("storage"), problems);
        List<Row> rows = files.sessions().stream().filter(r -> !inDatabase.contains(r.id())).toList();
        assemble(rows, directory, out, files::read);
    }

    /** One OpenCode session as listed: its parent's id ({@code ""} for none), folder and title. */
    record Row(String id, String parentId, String directory, String title) {}

    /**
     * Reads the sessions {@code rows} lists (in the order they were made) and hands each top-level one to {@code out}
     * with its subagents' sessions as children.
     */
    private static void assemble(List<Row> rows, Optional<Path> directory, Consumer<Transcript> out,
            java.util.function.BiFunction<Row, Optional<SessionId>, Transcript> reader) {
        Map<String, Transcript> parents = new HashMap<>();
        Map<String, List<Transcript>> children = new HashMap<>();
        for (Row row : rows) {
            if (directory.isPresent() && !Path.of(row.directory()).normalize().equals(directory.get())) continue;
            Optional<SessionId> parent = Optional.ofNullable(parents.get(row.parentId())).map(t -> t.session().id());
            Transcript t = reader.apply(row, parent);
            if (row.parentId().isEmpty()) {
                parents.put(row.id(), t);
                children.put(row.id(), new ArrayList<>());
            } else if (children.containsKey(row.parentId())) {
                children.get(row.parentId()).add(t);
            }
        }
        for (Transcript p : parents.values().stream().sorted(java.util.Comparator.comparing(t -> t.session().createdAt())).toList()) {
            out.accept(new Transcript(p.sourceId(), p.file(), p.session(), p.messages(), children.get(p.sourceId()), p.skipped(),
                    Optional.empty()));
        }
    }

    private static java.util.Properties readOnly() {
        var p = new java.util.Properties();
        p.setProperty("open_mode", "1");  // SQLITE_OPEN_READONLY: the user's database is never written
        return p;
    }

    /** A row's {@code data}, or NULL when longer than the cap (the JVM never holds it: issue 52); the cap is the first parameter. */
    private static final String BOUNDED_DATA = "CASE WHEN length(CAST(data AS BLOB)) <= ? THEN data END";

    private static Transcript read(Connection c, Path db, Row row, Optional<SessionId> parent, List<String> problems) throws SQLException {
        String id = row.id();
        TranscriptBuilder b = null;
        int skipped = 0;
        List<String> mine = new ArrayList<>();
        Map<String, List<JsonNode>> parts = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT message_id, id, " + BOUNDED_DATA + " FROM part WHERE session_id = ? ORDER BY message_id, id")) {
            ps.setInt(1, BoundedLines.MAX_RECORD_BYTES);
            ps.setString(2, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    JsonNode part = parse(rs.getString(3), db + ": part " + rs.getString(2), mine);
                    if (part != null) parts.computeIfAbsent(rs.getString(1), _ -> new ArrayList<>()).add(part);
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT id, time_created, " + BOUNDED_DATA + " FROM message WHERE session_id = ? ORDER BY time_created, id")) {
            ps.setInt(1, BoundedLines.MAX_RECORD_BYTES);
            ps.setString(2, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String mid = rs.getString(1);
                    long at = rs.getLong(2);
                    JsonNode m = parse(rs.getString(3), db + ": message " + mid, mine);
                    if (m == null) continue;
                    if (b == null) b = new TranscriptBuilder(new ImportIds(SOURCE, id), at, "opencode/unknown");
                    skipped += message(b, mid, at, m, parts.getOrDefault(mid, List.of()));
                }
            }
        }
        problems.addAll(mine);
        return transcript(b, row, db, parent, skipped);
    }

    /** The session read into {@code b} ({@code null}: it had no message). */
    static Transcript transcript(TranscriptBuilder b, Row row, Path file, Optional<SessionId> parent, int skipped) {
        if (b == null) b = new TranscriptBuilder(new ImportIds(SOURCE, row.id()), 0, "opencode/unknown");
        var built = b.build(row.directory(), Optional.ofNullable(row.title()), parent);
        return new Transcript(row.id(), file.toString(), built.session(), built.messages(), List.of(), skipped,
                row.parentId().isEmpty() ? Optional.empty() : Optional.of(row.parentId()));
    }

    static JsonNode parse(String json, String where, List<String> problems) {
        if (json == null) {
            problems.add(where + ": longer than " + BoundedLines.shown(BoundedLines.MAX_RECORD_BYTES) + "; skipped");
            return null;
        }
        try {
            return JsonLines.JSON.readTree(json);
        } catch (JacksonException e) {
            problems.add(where + ": not JSON; skipped");
            return null;
        }
    }

    /** The files a tool handed the model (OpenCode's read of an image): file parts with a {@code data:} URL. */
    private static List<Attachment> attachments(JsonNode files) {
        List<Attachment> out = new ArrayList<>();
        for (JsonNode f : files) {
            out.add(new Attachment(f.path("mime").asString("application/octet-stream"), f.path("filename").asString("file"), f.path("url").asString("")));
        }
        return out;
    }

    /** One OpenCode message with its parts; returns how many parts were skipped. */
    static int message(TranscriptBuilder b, String mid, long at, JsonNode m, List<JsonNode> parts) {
        int skipped = 0;
        if (m.path("role").asString("").equals("user")) {
            for (JsonNode p : parts) {
                String key = mid + "/" + p.path("id").asString(String.valueOf(parts.indexOf(p)));
                switch (p.path("type").asString("")) {
                    case "text" -> {
                        if (!p.path("synthetic").asBoolean(false)) b.userText(key, at, p.path("text").asString(""));
                    }
                    case "file" -> b.userFile(key, at, p.path("mime").asString("application/octet-stream"), p.path("filename").asString("file"),
                            p.path("url").asString(""));
                    default -> skipped++;
                }
            }
            return skipped;
        }
        String model = m.path("providerID").asString("opencode") + "/" + m.path("modelID").asString("unknown");
        if (m.path("summary").asBoolean(false)) {
            var sb = new StringBuilder();
            for (JsonNode p : parts) if (p.path("type").asString("").equals("text")) sb.append(p.path("text").asString(""));
            b.compaction(mid, at, false, sb.toString());
            return 0;
        }
        b.step(mid, at, Optional.of(model));
        for (JsonNode p : parts) {
            String key = mid + "/" + p.path("id").asString(String.valueOf(parts.indexOf(p)));
            switch (p.path("type").asString("")) {
                case "text" -> b.text(key, at, p.path("text").asString(""));
                case "reasoning" -> b.reasoning(key, at, p.path("text").asString(""), Optional.empty());
                case "tool" -> {
                    JsonNode state = p.path("state");
                    var call = ToolNames.openCode(p.path("tool").asString(""), state.path("input"));
                    String callId = p.path("callID").asString(key);
                    long started = state.path("time").path("start").asLong(at);
                    b.toolCall(callId, started, call.tool(), call.inputJson());
                    long ended = state.path("time").path("end").asLong(started);
                    switch (state.path("status").asString("")) {
                        case "completed" -> b.toolResult(callId, ended, state.path("output").asString(""), false, attachments(state.path("attachments")));
                        case "error" -> b.toolResult(callId, ended, state.path("error").asString("failed"), true);
                        default -> { }  // pending or running when OpenCode stopped: closed as failed with the answer
                    }
                }
                case "step-finish" -> {
                    JsonNode t = p.path("tokens");
                    b.usage(new Usage(t.path("input").asLong(0), t.path("output").asLong(0), t.path("reasoning").asLong(0),
                            t.path("cache").path("read").asLong(0), t.path("cache").path("write").asLong(0)));
                }
                case "step-start", "patch", "snapshot" -> { }
                default -> skipped++;
            }
        }
        return skipped;
    }
}
