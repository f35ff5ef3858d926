package dev.lathe.core.exports;

import dev.lathe.protocol.api.HarnessExportResult;
import dev.lathe.protocol.api.HistoryImportRequest;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.ToolState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes a session into Claude Code's storage: {@code CLAUDE_CONFIG_DIR} (else {@code ~/.claude}) {@code /projects/FOLDER/UUID.jsonl},
 * FOLDER being the project's path with every character but letters and digits made {@code -} (cut at 200 characters
 * and followed by a hash when longer, as Claude Code names it), under a new UUID; each subagent's session in
 * {@code UUID/subagents/agent-ID.jsonl} with its {@code .meta.json}. The project's folder is made as Claude Code makes it
 * when it has not run there; the transcript is written to a temporary file and moved into place, so Claude Code never
 * reads half of one.
 */
final class ClaudeCodeWriter {
    static final String NAME = "claude-code";
    private static final int FOLDER_NAME_LIMIT = 200;
    /** The Claude Code version whose records these are (checked against it by ClaudeCodeExportIT). */
    static final String FORMAT_VERSION = "2.1.330";

    private ClaudeCodeWriter() {}

    static HarnessExportResult write(ExportSource source, Path directory, HistoryImportRequest.Locations where) {
        Path home = where.home().map(Path::of).orElse(Path.of(System.getProperty("user.home")));
        Path root = where.claudeConfigDir().map(Path::of).orElse(home.resolve(".claude"));
        Path projects = root.resolve("projects");
        Path folder = folder(projects, directory.toString());
        String uuid = UUID.randomUUID().toString();
        NotCarried notCarried = new NotCarried();
        Optional<String> version = Optional.of(FORMAT_VERSION);
        List<ObjectNode> main = transcript(source, uuid, directory, version, Optional.empty(), notCarried);
        List<Subagent> subagents = new ArrayList<>();
        for (ExportSource child : source.children()) subagents.add(subagent(child, uuid, directory, version, source, notCarried));
        Path file = folder.resolve(uuid + ".jsonl");
        Path sessionDir = folder.resolve(uuid);
        try {
            if (!subagents.isEmpty()) writeSubagents(folder, sessionDir, subagents);
            TempFiles.writeAtomically(file, lines(main));
        } catch (IOException e) {
            TempFiles.deleteTree(sessionDir);
            throw new LatheException.InvalidInput("cannot write Claude Code's storage " + folder + ": " + e.getMessage());
        }
        return new HarnessExportResult(NAME, uuid, directory.toString(), file.toString(), "cd " + Shell.quote(directory.toString()) + " && claude --resume " + uuid,
                notCarried.lines());
    }

    private record Subagent(String agentId, List<ObjectNode> records, ObjectNode meta) {}

    private static List<ObjectNode> transcript(ExportSource source, String uuid, Path directory, Optional<String> version, Optional<String> agentId,
            NotCarried notCarried) {
        var t = new ClaudeCodeTranscript(uuid, source.session().id().value(), directory.toString(), version, agentId, source.mask(), notCarried);
        for (MessageWithParts m : source.messages()) t.add(m);
        if (agentId.isEmpty()) t.title(source.session().title());
        if (agentId.isPresent() && !source.children().isEmpty()) notCarried.add("subagents of a subagent (Claude Code keeps one level)");
        return t.records();
    }

    /** A subagent's side chain, its id made from its Lathe session's, its meta naming the call that ran it. */
    private static Subagent subagent(ExportSource child, String uuid, Path directory, Optional<String> version, ExportSource parent,
            NotCarried notCarried) {
        String agentId = "a" + HexFormat.of().formatHex(UUID.nameUUIDFromBytes(child.session().id().value().getBytes(StandardCharsets.UTF_8))
                .toString().replace("-", "").getBytes(StandardCharsets.US_ASCII)).substring(0, 16);
        List<ObjectNode> records = transcript(child, uuid, directory, version, Optional.of(agentId), notCarried);
        ObjectNode meta = ExportedTools.JSON.createObjectNode().put("agentType", child.session().agent()).put("description", child.mask().apply(child.session().title()));
        callThatRan(parent, child.session().id().value()).ifPresent(call -> meta.put("toolUseId", ClaudeCodeTranscript.callId(call)));
        return new Subagent(agentId, records, meta);
    }

    private static Optional<String> callThatRan(ExportSource parent, String childId) {
        return parent.messages().stream().flatMap(m -> m.parts().stream()).filter(Part.Tool.class::isInstance).map(Part.Tool.class::cast)
                .filter(t -> t.state() instanceof ToolState.Completed c && childId.equals(c.metadata().get("sessionId")))
                .map(Part.Tool::callId).findFirst();
    }

    private static void writeSubagents(Path folder, Path sessionDir, List<Subagent> subagents) throws IOException {
        Path staging = Files.createTempDirectory(folder, ".lathe-export-");
        try {
            Path dir = Files.createDirectory(staging.resolve("subagents"));
            for (Subagent s : subagents) {
                TempFiles.writeAtomically(dir.resolve("agent-" + s.agentId() + ".jsonl"), lines(s.records()));
                TempFiles.writeAtomically(dir.resolve("agent-" + s.agentId() + ".meta.json"), ExportedTools.JSON.writeValueAsString(s.meta()));
            }
            Files.move(staging, sessionDir, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            TempFiles.deleteTree(staging);
        }
    }

    private static String lines(List<ObjectNode> records) {
        StringBuilder out = new StringBuilder();
        for (ObjectNode r : records) out.append(ExportedTools.JSON.writeValueAsString(r)).append('\n');
        return out.toString();
    }

    /**
     * Claude Code's folder of {@code directory}, made as its first run there makes it when it has none (issue 82: the
     * first export on a machine where Claude Code never ran was refused), its own folders readable by the user only. A
     * path longer than Claude Code's cut gets a hash of Claude Code's own after it, which Lathe cannot make: that one is
     * refused unless Claude Code made it.
     */
    private static Path folder(Path projects, String directory) {
        String name = directory.replaceAll("[^a-zA-Z0-9]", "-");
        Path folder = projects.resolve(name);
        if (name.length() > FOLDER_NAME_LIMIT) {
            // the hash Claude Code appends is its own; the one folder that starts with the cut name is the project's
            String prefix = name.substring(0, FOLDER_NAME_LIMIT) + "-";
            List<Path> matching = List.of();
            if (Files.isDirectory(projects)) {
                try (Stream<Path> all = Files.list(projects)) {
                    matching = all.filter(p -> p.getFileName().toString().startsWith(prefix) && Files.isDirectory(p)).toList();
                } catch (IOException e) {
                    throw new LatheException.InvalidInput("cannot read Claude Code's storage " + projects + ": " + e.getMessage());
                }
            }
            if (matching.size() != 1) {
                throw new LatheException.InvalidInput("Claude Code names the folder of a path this long (" + directory.length()
                        + " characters) with a hash of its own: run claude in " + directory + " once, then export again");
            }
            return matching.getFirst();
        }
        if (Files.isDirectory(folder)) return folder;
        try {
            for (Path dir : List.of(projects.getParent(), projects, folder)) {
                if (!Files.isDirectory(dir)) Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
        } catch (IOException | UnsupportedOperationException e) {
            throw new LatheException.InvalidInput("cannot make Claude Code's folder " + folder + ": " + e.getMessage());
        }
        return folder;
    }
}
