package dev.lathe.core.imports;

import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.HistoryImportRequest.Locations;
import dev.lathe.protocol.session.Attachment;
import dev.lathe.protocol.session.Usage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;

/**
 * Claude Code's sessions: {@code $CLAUDE_CONFIG_DIR} (default {@code ~/.claude}) {@code /projects/FOLDER/ID.jsonl},
 * FOLDER being the working folder with every character but letters and digits made {@code -}; a subagent's session
 * in {@code FOLDER/ID/subagents/agent-AGENT.jsonl} beside its {@code .meta.json}. Each line is a record: {@code user}
 * (a prompt, or the results of tool calls as {@code tool_result} blocks), {@code assistant} (one content block of a
 * model response; the blocks of one response share {@code message.id}), {@code system} (a {@code compact_boundary}
 * opens a compaction whose summary is the next user record, marked {@code isCompactSummary}), {@code attachment}
 * records (a file the user attached with {@code @file}, or one Claude Code attached again after a compaction: kept as a
 * file part of the prompt; the others are its own context notes), and bookkeeping records Lathe has no use for (queue
 * operations, request logs, costs), which are counted as skipped.
 */
final class ClaudeCodeHistory implements HistoryReader {
    static final String SOURCE = "claude-code";

    @Override public String source() { return SOURCE; }

    @Override
    public Path root(Locations l) {
        return l.claudeConfigDir().map(Path::of).orElseGet(() -> HistoryReader.home(l).resolve(".claude")).resolve("projects");
    }

    @Override
    public void each(Path root, Optional<Path> directory, Consumer<Transcript> out, List<String> problems) throws IOException {
        if (!Files.isDirectory(root)) return;
        Optional<String> folder = directory.map(d -> folderName(d.toString()));
        List<Path> files;
        try (Stream<Path> projects = Files.list(root)) {
            files = projects.filter(Files::isDirectory).filter(p -> folder.isEmpty() || p.getFileName().toString().equals(folder.get()))
                    .flatMap(ClaudeCodeHistory::sessionFiles).sorted().toList();
        }
        for (Path f : files) out.accept(read(f, problems));
    }

    /** Claude Code's folder name for a working folder. */
    static String folderName(String directory) { return directory.replaceAll("[^a-zA-Z0-9]", "-"); }

    private static Stream<Path> sessionFiles(Path project) {
        try (Stream<Path> s = Files.list(project)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".jsonl") && Files.isRegularFile(p)).toList().stream();
        } catch (IOException e) {
            return Stream.empty();
        }
    }

    /**
     * One session file with its subagents' sessions: those in the {@code subagents} folder beside it, and those older
     * versions wrote into the file itself (records marked {@code isSidechain}, one chain per subagent run).
     */
    static Transcript read(Path file, List<String> problems) throws IOException {
        String id = file.getFileName().toString().replaceFirst("\\.jsonl$", "");
        var state = new Reading(file, id);
        Transcript main = readOne(file, state, id, Optional.empty(), Optional.empty(), problems);
        List<Transcript> children = new ArrayList<>();
        for (Reading chain : state.sidechains()) {
            children.add(finish(chain, file, chain.key.substring(id.length() + 1), Optional.of(main.session().id()), Optional.empty()));
        }
        Path subagents = file.resolveSibling(id).resolve("subagents");
        if (Files.isDirectory(subagents)) {
            List<Path> agents;
            try (Stream<Path> s = Files.list(subagents)) {
                agents = s.filter(p -> p.getFileName().toString().endsWith(".jsonl")).sorted().toList();
            }
            for (Path a : agents) {
                String agent = a.getFileName().toString().replaceFirst("\\.jsonl$", "");
                Optional<String> title = description(a.resolveSibling(agent + ".meta.json"));
                children.add(readOne(a, new Reading(a, id + "/" + agent), agent, Optional.of(main.session().id()), title, problems));
            }
        }
        if (children.isEmpty()) return main;
        return new Transcript(main.sourceId(), main.file(), main.session(), main.messages(), children, main.skipped(), Optional.empty(),
                main.exported());
    }

    private static Optional<String> description(Path meta) {
        try {
            if (!Files.isRegularFile(meta)) return Optional.empty();
            return JsonLines.document(meta, new java.util.ArrayList<>()).map(json -> JsonLines.JSON.readTree(json).path("description").asString(""))
                    .filter(s -> !s.isBlank());
        } catch (IOException | tools.jackson.core.JacksonException e) {
            return Optional.empty();
        }
    }

    private static Transcript readOne(Path file, Reading state, String shownId, Optional<SessionId> parent, Optional<String> title,
            List<String> problems) throws IOException {
        JsonLines.read(file, problems, state::bookkeeping, state::line);
        return finish(state, file, shownId, parent, title);
    }

    private static Transcript finish(Reading state, Path file, String shownId, Optional<SessionId> parent, Optional<String> title) {
        state.flushUsage();
        var built = state.builder().build(state.cwd, state.title.or(() -> title), parent);
        int exported = state.exportOf.isEmpty() ? 0 : state.exported < 0 ? built.messages().size() : state.exported;
        return new Transcript(shownId, file.toString(), built.session(), built.messages(), List.of(), state.skipped,
                parent.map(_ -> state.key.substring(0, state.key.indexOf('/'))), exported);
    }

    /**
     * Record types an import has no use for, passed over without being parsed into a tree; of the attachments (kind
     * {@code attachment/TYPE}, {@link JsonLines}), all but {@link #FILE_ATTACHMENT}.
     */
    private static final java.util.Set<String> BOOKKEEPING = java.util.Set.of("attachment", "api-request", "api-request-blob",
            "api-request-shape", "queue-operation", "atis-latch", "last-prompt", "tools-used", "cost-state", "mode", "file-history-snapshot");
    /** The attachment a user's {@code @file} (or a compaction's re-read) leaves: the file as the model was sent it. */
    private static final String FILE_ATTACHMENT = "attachment/file";

    /** The state of reading one file. */
    private static final class Reading {
        private final Path file;
        private final String key;
        private TranscriptBuilder builder;
        private String cwd = "";
        private Optional<String> title = Optional.empty();
        private int skipped;
        private String step = "";
        private Usage stepUsage = Usage.ZERO;
        private boolean compacting;
        private boolean autoCompact;
        // a main file's inline subagent runs (older versions): the run each sidechain record's chain started, by uuid
        private final Map<String, String> chainOf = new HashMap<>();
        private final Map<String, Reading> sidechains = new LinkedHashMap<>();
        private String lastChain;
        // decision 640: the Lathe session this file is an export of (its first record says), and how many messages
        // its records made before the first record Claude Code appended itself (-1: none appended yet)
        private Optional<SessionId> exportOf = Optional.empty();
        private int exported = -1;

        Reading(Path file, String key) {
            this.file = file;
            this.key = key;
        }

        TranscriptBuilder builder() {
            if (builder == null) builder = new TranscriptBuilder(new ImportIds(SOURCE, key, exportOf), 0, "anthropic/unknown");
            return builder;
        }

        Collection<Reading> sidechains() { return sidechains.values(); }

        /**
         * Whether a record of this type can be passed over unread: Claude Code's bookkeeping (attachments, request logs,
         * costs; most of a file's bytes), once the session's first time and folder are known (they name the session).
         */
        boolean bookkeeping(String kind) {
            // an attachment whose own type was not seen first is parsed, and line() tells what it is
            boolean passOver = kind.startsWith("attachment/") ? !kind.equals(FILE_ATTACHMENT) : BOOKKEEPING.contains(kind) && !kind.equals("attachment");
            boolean skip = builder != null && !cwd.isEmpty() && passOver;
            if (skip) skipped++;
            return skip;
        }

        void line(int n, JsonNode r) {
            String type = r.path("type").asString("");
            if (r.path("isSidechain").asBoolean(false) && !key.contains("/")) {
                sidechain(n, r);
                return;
            }
            long at = JsonLines.millis(r.get("timestamp"), 0);
            Optional<SessionId> mark = LatheMark.session(r);
            if (builder == null && (at > 0 || mark.isPresent())) {
                exportOf = mark;
                builder = new TranscriptBuilder(new ImportIds(SOURCE, key, exportOf), at, "anthropic/unknown");
            }
            if (exportOf.isPresent() && exported < 0 && mark.isEmpty() && LatheMark.CONVERSATION.contains(type)) exported = builder.messageCount();
            if (cwd.isEmpty() && r.path("cwd").isString()) cwd = r.path("cwd").asString();
            switch (type) {
                case "user" -> user(r, at);
                case "assistant" -> assistant(r, at);
                case "attachment" -> attachment(r, at);
                case "system" -> {
                    if (r.path("subtype").asString("").equals("compact_boundary")) {
                        compacting = true;
                        autoCompact = r.path("compactMetadata").path("trigger").asString("").equals("auto");
                    } else {
                        skipped++;
                    }
                }
                case "summary" -> title = Optional.of(r.path("summary").asString("")).filter(s -> !s.isBlank());
                case "custom-title" -> title = Optional.of(r.path("customTitle").asString("")).filter(s -> !s.isBlank());
                default -> skipped++;
            }
        }

        /**
         * A record of a subagent run written into the main file: its chain (followed through {@code parentUuid} to the
         * record that started it, whose parent is not a sidechain record) is read as a session of its own.
         */
        private void sidechain(int n, JsonNode r) {
            String uuid = r.path("uuid").asString("line" + n);
            String parentUuid = r.path("parentUuid").asString("");
            // a parent never seen (a bookkeeping record passed over) continues the latest run; no parent starts one
            String root = chainOf.containsKey(parentUuid) ? chainOf.get(parentUuid)
                    : parentUuid.isEmpty() || lastChain == null ? uuid : lastChain;
            lastChain = root;
            chainOf.put(uuid, root);
            Reading chain = sidechains.computeIfAbsent(root, k -> new Reading(file, key + "/sidechain-" + k));
            if (chain.cwd.isEmpty()) chain.cwd = cwd;
            chain.line(n, r);
        }

        private void user(JsonNode r, long at) {
            if (r.path("isMeta").asBoolean(false)) {
                skipped++;
                return;
            }
            flushUsage();
            String uuid = r.path("uuid").asString("line");
            JsonNode content = r.path("message").path("content");
            if (r.path("isCompactSummary").asBoolean(false) || compacting) {
                compacting = false;
                builder().compaction(uuid, at, autoCompact, text(content));
                return;
            }
            if (content.isString()) {
                String text = content.asString();
                // Claude Code's own command echoes (/compact, /model ...): shown to the user, never a prompt to the model
                if (text.startsWith("<command-name>") || text.startsWith("<local-command-") || text.startsWith("<command-message>")) {
                    skipped++;
                    return;
                }
                builder().userText(uuid, at, text);
                return;
            }
            int i = 0;
            for (JsonNode block : content) {
                String k = uuid + "/" + i++;
                switch (block.path("type").asString("")) {
                    case "tool_result" -> {
                        String callId = block.path("tool_use_id").asString("");
                        if (!builder().toolResult(callId, at, text(block.path("content")), block.path("is_error").asBoolean(false),
                                images(block.path("content")))) {
                            skipped++;
                        }
                    }
                    case "text" -> builder().userText(k, at, block.path("text").asString(""));
                    case "image" -> {
                        Attachment image = image(block);
                        builder().userFile(k, at, image.mime(), image.name(), image.url());
                    }
                    default -> skipped++;
                }
            }
        }

        /**
         * A file attached to the prompt ({@code @note.txt}): {@code attachment.content} is what Claude Code's Read gave
         * ({@code {"type":"text","file":{"filePath","content",…}}}, {@code {"type":"image","file":{"base64","type"}}}, a
         * PDF likewise), kept as a file part of the prompt with its content in a {@code data:} URL, so the next model
         * reads what this one read, as it was then. Other attachments (the environment, reminders, listings) are Claude
         * Code's own context and skipped.
         */
        private void attachment(JsonNode r, long at) {
            JsonNode attachment = r.path("attachment");
            if (!attachment.path("type").asString("").equals("file")) {
                skipped++;
                return;
            }
            JsonNode content = attachment.path("content");
            JsonNode file = content.path("file");
            String path = attachment.path("filename").asString(file.path("filePath").asString(""));
            String name = attachment.path("displayPath").asString(path.isEmpty() ? "file" : path);
            String key = r.path("uuid").asString("attachment");
            Optional<Attachment> attached = switch (content.path("type").asString("")) {
                case "text" -> Optional.of(new Attachment("text/plain", name, "data:text/plain;charset=utf-8;base64,"
                        + java.util.Base64.getEncoder().encodeToString(file.path("content").asString("").getBytes(java.nio.charset.StandardCharsets.UTF_8))));
                case "image" -> Optional.of(file.path("type").asString("image/png")).filter(m -> m.startsWith("image/"))
                        .map(mime -> new Attachment(mime, name, "data:" + mime + ";base64," + file.path("base64").asString("")));
                case "pdf" -> Optional.of(new Attachment("application/pdf", name, "data:application/pdf;base64," + file.path("base64").asString("")));
                default -> Optional.empty();
            };
            if (attached.isEmpty() || attached.get().url().endsWith(",") && !content.path("type").asString("").equals("text")) {
                skipped++;
                return;
            }
            flushUsage();
            builder().userFile(key, at, attached.get().mime(), attached.get().name(), attached.get().url());
        }

        private void assistant(JsonNode r, long at) {
            JsonNode message = r.path("message");
            String id = message.path("id").asString(r.path("uuid").asString(""));
            String model = message.path("model").asString("");
            TranscriptBuilder b = builder();
            if (!id.equals(step)) {
                flushUsage();
                step = id;
                // Lathe's own answers name their provider (decision 640); Claude Code's are Anthropic's Messages API's
                Optional<String> recorded = model.isEmpty() || model.startsWith("<") ? Optional.empty() : Optional.of("anthropic/" + model);
                b.step(id, at, LatheMark.model(r).or(() -> recorded));
            }
            // every line of a response repeats its usage as it grew: the last one counts
            JsonNode u = message.path("usage");
            if (u.isObject()) {
                stepUsage = new Usage(u.path("input_tokens").asLong(0), u.path("output_tokens").asLong(0), 0,
                        u.path("cache_read_input_tokens").asLong(0), u.path("cache_creation_input_tokens").asLong(0));
            }
            String uuid = r.path("uuid").asString(id);
            int i = 0;
            for (JsonNode block : message.path("content")) {
                String k = uuid + "/" + i++;
                switch (block.path("type").asString("")) {
                    case "text" -> b.text(k, at, block.path("text").asString(""));
                    case "thinking" -> b.reasoning(k, at, block.path("thinking").asString(""),
                            Optional.of(block.path("signature").asString("")).filter(s -> !s.isEmpty()));
                    case "tool_use" -> {
                        var call = ToolNames.claudeCode(block.path("name").asString(""), block.path("input"));
                        b.toolCall(block.path("id").asString(k), at, call.tool(), call.inputJson());
                    }
                    default -> skipped++;
                }
            }
        }

        private void flushUsage() {
            if (builder != null && !stepUsage.equals(Usage.ZERO)) {
                var used = stepUsage;
                stepUsage = Usage.ZERO;
                builder.usage(used);
            }
        }

        /** An image content block as a file: its data as a {@code data:} URL, or the address it names. */
        private static Attachment image(JsonNode block) {
            JsonNode src = block.path("source");
            String mime = src.path("media_type").asString("image/png");
            String url = src.path("type").asString("").equals("base64") ? "data:" + mime + ";base64," + src.path("data").asString("")
                    : src.path("url").asString("");
            return new Attachment(mime, "image", url);
        }

        /** The images of a tool result's content (Read of a picture answers with the picture). */
        private static List<Attachment> images(JsonNode content) {
            List<Attachment> out = new ArrayList<>();
            if (content.isArray()) for (JsonNode block : content) if (block.path("type").asString("").equals("image")) out.add(image(block));
            return out;
        }

        /** The text of a message or tool result content: a string, or its text blocks joined (an image named). */
        private static String text(JsonNode content) {
            if (content.isString()) return content.asString();
            var sb = new StringBuilder();
            for (JsonNode block : content) {
                if (!sb.isEmpty()) sb.append('\n');
                switch (block.path("type").asString("")) {
                    case "text" -> sb.append(block.path("text").asString(""));
                    case "image" -> sb.append("[image]");
                    default -> sb.append(block);
                }
            }
            return sb.toString();
        }
    }
}
