package dev.lathe.core.trust;

import dev.lathe.tools.FileGateway;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A project's agent files that write permission rules (Claude Code's {@code permissionMode}, OpenCode's and Lathe's
 * {@code permission}), as trust pins them (DESIGN §30): their allow rules widen what runs without an ask, so in a
 * trusted folder they apply only while the file is as the user approved it — one changed after trust waits for
 * {@code lathe trust}, as a hook does. Here, not in the agent package, so the config loader can ask trust about them
 * without reading agents.
 */
public final class AgentRulePins {
    /** The project's agent folders, relative to a project folder, in the order they are read. */
    public static final List<String> FOLDERS = List.of(".opencode/agent", ".opencode/agents", ".claude/agents", ".lathe/agents");
    /** A front matter line that can grant: read wider than the parser's, so a file it misses is never pinned and its allows wait. */
    private static final Pattern GRANTS = Pattern.compile("(?m)^\\s*(permissionMode|permission)\\s*:");
    private static final long MAX_BYTES = 1 << 20;
    /**
     * Put among a configuration's approved hashes when a trusted folder's gate made them: only then are an agent
     * file's allow rules held to a pin (a configuration read for display, or by a test, approves nothing and pins
     * nothing; an untrusted folder's drops the allow rules anyway).
     */
    public static final String PINS_CHECKED = "agent-rules-pinned";

    private AgentRulePins() {}

    /** {@code file} (an agent file below the project root {@code root}) with {@code text} as trust pins its rules. */
    public static TrustItem item(Path root, Path file, String text) {
        Path folder = file.toAbsolutePath().getParent();
        String source = folder.startsWith(root) ? root.relativize(folder).toString() : folder.toString();
        return new TrustItem(Withheld.Kind.ALLOW_RULES, source, file.getFileName().toString(), "sha256:" + sha256(text));
    }

    /** The agent files of each of {@code folders} (the root and folders below it) whose front matter writes rules. */
    public static List<TrustItem> items(Path root, List<Path> folders) {
        List<TrustItem> out = new ArrayList<>();
        for (Path folder : folders) {
            for (String agents : FOLDERS) {
                for (Path file : files(folder.resolve(agents))) read(file).filter(AgentRulePins::grants).ifPresent(text -> out.add(item(root, file, text)));
            }
        }
        return out;
    }

    /** Whether {@code text}'s front matter (between its opening {@code ---} lines) writes rules. */
    static boolean grants(String text) {
        if (!text.startsWith("---")) return false;
        int end = text.indexOf("\n---", 3);
        return GRANTS.matcher(end < 0 ? text : text.substring(0, end)).find();
    }

    private static Optional<String> read(Path file) {
        try {
            return Optional.of(FileGateway.anywhere().readString(file, MAX_BYTES));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static List<Path> files(Path folder) {
        if (!Files.isDirectory(folder)) return List.of();
        try (Stream<Path> in = Files.list(folder)) {
            return in.filter(p -> p.getFileName().toString().endsWith(".md") && Files.isRegularFile(p)).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
