package dev.lathe.core.project;

import dev.lathe.core.config.Config;
import dev.lathe.core.permission.PromptFiles;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Project memory for system block B (DESIGN §12, §27; decision 469), in this order: the global {@code AGENTS.md}; the
 * user's Claude Code memory ({@code ~/.claude/CLAUDE.md}, {@code ~/.claude/rules}); the memory files of every folder
 * from the repository root down to the working folder ({@code AGENTS.md}, then Claude Code's {@code CLAUDE.md},
 * {@code .claude/CLAUDE.md}, rules and {@code CLAUDE.local.md}, each followed by its {@code @path} imports: {@link
 * MemoryFiles}); then the files the {@code instructions} globs of the config match. A file reached twice is included
 * once, where it first appears. The text depends only on those files, never on the time or the session, so block B
 * stays byte-identical for every session of the project and the provider's prompt cache can share it.
 *
 * <p>Memory files in folders below the working folder, and rules with {@code paths:} front matter, are not here: they
 * join as late context after the tool result that first touches a file they are for.
 */
public final class Instructions {
    /** Folders a glob never descends into: version-control internals and installed dependencies. */
    private static final Set<String> SKIPPED_FOLDERS = Set.of(".git", "node_modules");

    private Instructions() {}

    /**
     * Block B as read at one moment, with what it was read from: {@link #isCurrent} tells, with a few file-system
     * stats and no reading, whether a file it used changed or an instruction file appeared in a folder it looked at.
     * A new file matching a config glob is not noticed this way; it counts from the next time the project is opened.
     * {@code memories}: every file in the text and why; {@code problems}: what was named but not read, one line each.
     */
    public record Loaded(String text, Map<Path, FileStamp> stamps, List<MemoryFiles.Memory> memories, List<MemoryFiles.Problem> problems,
            List<MemoryFiles.ScopedRule> scoped) {
        public Loaded {
            stamps = Map.copyOf(stamps);
            memories = List.copyOf(memories);
            problems = List.copyOf(problems);
            scoped = List.copyOf(scoped);
        }

        public Loaded(String text, Map<Path, FileStamp> stamps) {
            this(text, stamps, List.of(), List.of(), List.of());
        }

        /** The same files with {@code other} text (block B with the skills list after the instructions). */
        public Loaded withText(String other, Map<Path, FileStamp> otherStamps) {
            return new Loaded(other, otherStamps, memories, problems, scoped);
        }

        public boolean isCurrent() {
            return stamps.entrySet().stream().allMatch(e -> FileStamp.of(e.getKey()).equals(e.getValue()));
        }
    }

    /**
     * A file's modification time and size; a folder's modification time (it changes when an entry is added, removed or
     * renamed) and size {@code -2}; {@code -1, -1} when it is neither.
     */
    public record FileStamp(long modified, long size) {
        public static FileStamp of(Path file) {
            try {
                // null for a missing file, without an exception: most instruction names looked at do not exist
                BasicFileAttributes a = file.getFileSystem().provider().readAttributesIfExists(file, BasicFileAttributes.class);
                if (a == null) return new FileStamp(-1, -1);
                if (a.isDirectory()) return new FileStamp(a.lastModifiedTime().toMillis(), -2);
                return a.isRegularFile() ? new FileStamp(a.lastModifiedTime().toMillis(), a.size()) : new FileStamp(-1, -1);
            } catch (IOException e) {
                return new FileStamp(-1, -1);
            }
        }
    }

    /** The text of block B, empty when there are no instructions; see {@link #read}. */
    public static String load(Path workingDir, Path repoRoot, Path globalConfigDir, Path home, List<Config.Instruction> entries) {
        return read(workingDir, repoRoot, globalConfigDir, home, entries).text();
    }

    /**
     * Block B and the stamps of every file it depends on: those it includes and the instruction file names of each
     * folder it looked in.
     *
     * @param entries the config's {@code instructions}, each with its layer: paths or globs relative to {@code repoRoot},
     *     absolute, or starting with {@code ~/} (the {@code home} folder); {@code *} and {@code ?} stay within a folder, {@code **} crosses
     *     folders ({@code **}{@code /} also matches none), {@code [abc]} and {@code {a,b}} as usual
     */
    public static Loaded read(Path workingDir, Path repoRoot, Path globalConfigDir, Path home, List<Config.Instruction> entries) {
        return read(workingDir, repoRoot, globalConfigDir, home, entries, PromptFiles.lenient(repoRoot));
    }

    /**
     * As {@link #read(Path, Path, Path, Path, List)}, each file first passing {@code guard} (issue 40): one that links out
     * of the project, or that a {@code read} rule holds back, is left out (and told to the guard's listener).
     */
    public static Loaded read(Path workingDir, Path repoRoot, Path globalConfigDir, Path home, List<Config.Instruction> entries, PromptFiles guard) {
        MemoryFiles memory = gather(workingDir, repoRoot, globalConfigDir, home, entries, guard);
        Map<Path, FileStamp> stamps = new HashMap<>();
        List<Path> watched = new ArrayList<>(List.of(globalConfigDir.resolve("AGENTS.md"), claudeHome(home).resolve("CLAUDE.md"),
                claudeHome(home).resolve("rules")));
        for (Path dir : chain(workingDir, repoRoot)) watched.addAll(MemoryFiles.candidates(dir));
        memory.memories().forEach(m -> watched.add(m.file()));
        memory.scoped().forEach(r -> watched.add(r.file()));
        for (Path p : watched) stamps.put(p, FileStamp.of(p));
        var out = new StringBuilder();
        for (MemoryFiles.Memory m : memory.memories()) {
            out.append("Instructions from ").append(name(m.file(), workingDir, repoRoot, home)).append(":\n").append(m.text()).append("\n\n");
        }
        return new Loaded(out.toString().strip(), stamps, memory.memories(), memory.problems(), memory.scoped());
    }

    /** Claude Code's folder in the user's home. */
    public static Path claudeHome(Path home) {
        return home.resolve(".claude");
    }

    /** Reads every file of block B, in order, into a fresh {@link MemoryFiles}. */
    static MemoryFiles gather(Path workingDir, Path repoRoot, Path globalConfigDir, Path home, List<Config.Instruction> entries, PromptFiles guard) {
        var memory = new MemoryFiles(guard, workingDir, repoRoot, home);
        memory.plain(globalConfigDir.resolve("AGENTS.md"), "Lathe's global instructions");
        memory.user(claudeHome(home));
        for (Path dir : chain(workingDir, repoRoot)) {
            memory.folder(dir, dir.equals(repoRoot) ? "the project root" : name(dir, workingDir, repoRoot, home) + "/");
        }
        for (Config.Instruction entry : entries) {
            String why = "the instructions entry \"" + entry.entry() + "\" of the config";
            for (Path f : matching(entry.entry(), repoRoot, home)) {
                // a project's entry is the project reaching out (decision 641); the user's own is the user's choice
                if (entry.fromProject()) {
                    String of = name(Path.of(entry.from().name()), workingDir, repoRoot, home);
                    memory.projectEntry(f, why, "the instructions entry \"" + entry.entry() + "\" of " + of);
                } else {
                    memory.plain(f, why);
                }
            }
        }
        return memory;
    }

    /** The folders whose instruction files block B holds: the repository root down to the working folder. */
    private static List<Path> chain(Path workingDir, Path repoRoot) {
        List<Path> chain = new ArrayList<>();
        for (Path p = workingDir; p != null && p.startsWith(repoRoot); p = p.getParent()) chain.addFirst(p);
        return chain;
    }

    /** The files of block B, in order, each once: those that reach the model through {@code guard}. */
    static List<Path> files(Path workingDir, Path repoRoot, Path globalConfigDir, Path home, List<Config.Instruction> entries, PromptFiles guard) {
        return gather(workingDir, repoRoot, globalConfigDir, home, entries, guard).memories().stream().map(MemoryFiles.Memory::file).toList();
    }

    /**
     * How instructions name a file: relative to the working folder inside the repository (as tools take paths), under
     * {@code ~/} in the home folder, else absolute. So no system block holds the working folder itself: it belongs to
     * the environment note of the first user message (DESIGN §7), and clones of one repository share block B.
     */
    public static String name(Path file, Path workingDir, Path repoRoot, Path home) {
        if (file.startsWith(repoRoot)) {
            String relative = slashes(workingDir.relativize(file));
            return relative.isEmpty() ? "." : relative;
        }
        if (home.getNameCount() > 0 && file.startsWith(home)) return "~/" + slashes(home.relativize(file));
        return file.toString();
    }

    private static String slashes(Path relative) {
        return relative.toString().replace('\\', '/');
    }

    /** Whether block B already holds the instruction file of {@code dir}: it is the repository root, the working folder, or between. */
    public static boolean inSystemBlock(Path dir, Path workingDir, Path repoRoot) {
        return dir.startsWith(repoRoot) && workingDir.startsWith(dir);
    }

    /** The regular files one {@code instructions} entry names, sorted by path; none when it matches nothing. */
    static List<Path> matching(String entry, Path repoRoot, Path home) {
        String pattern = entry.startsWith("~/") ? home.toString().replace('\\', '/') + entry.substring(1) : entry;
        String[] segments = pattern.split("/+", -1);
        int literal = 0;
        while (literal < segments.length && !isGlob(segments[literal])) literal++;
        // the walk starts at the literal folders before the first glob segment; an absolute prefix replaces the repository root
        String prefix = String.join("/", Arrays.copyOfRange(segments, 0, literal));
        Path base = repoRoot.resolve(prefix.isEmpty() && pattern.startsWith("/") ? "/" : prefix).normalize();
        if (literal == segments.length) return Files.isRegularFile(base) ? List.of(base) : List.of();
        if (!Files.isDirectory(base)) return List.of();
        String rest = String.join("/", Arrays.copyOfRange(segments, literal, segments.length));
        Pattern regex = regex(rest);
        int depth = rest.contains("**") ? Integer.MAX_VALUE : segments.length - literal;
        List<Path> found = new ArrayList<>();
        try {
            Files.walkFileTree(base, Set.of(), depth, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    return !dir.equals(base) && SKIPPED_FOLDERS.contains(dir.getFileName().toString()) ? FileVisitResult.SKIP_SUBTREE
                            : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (attrs.isRegularFile() && regex.matcher(slashes(base.relativize(file))).matches()) found.add(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            return List.of();
        }
        found.sort(Comparator.comparing(Path::toString));
        return found;
    }

    private static boolean isGlob(String segment) {
        return segment.chars().anyMatch(c -> c == '*' || c == '?' || c == '[' || c == '{');
    }

    /** A glob over {@code /}-separated relative paths as a regular expression. */
    static Pattern regex(String glob) {
        var re = new StringBuilder();
        int braces = 0;
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            switch (c) {
                case '*' -> {
                    if (i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                        i++;
                        if (i + 1 < glob.length() && glob.charAt(i + 1) == '/') {
                            i++;
                            re.append("(?:.*/)?");
                        } else {
                            re.append(".*");
                        }
                    } else {
                        re.append("[^/]*");
                    }
                }
                case '?' -> re.append("[^/]");
                case '[' -> {
                    int close = glob.indexOf(']', i + 2);
                    if (close < 0) {
                        re.append("\\[");
                    } else {
                        String body = glob.substring(i + 1, close);
                        if (body.startsWith("!")) body = "^" + body.substring(1);
                        re.append('[').append(body.replace("\\", "\\\\")).append(']');
                        i = close;
                    }
                }
                case '{' -> {
                    braces++;
                    re.append("(?:");
                }
                case '}' -> {
                    if (braces > 0) {
                        braces--;
                        re.append(')');
                    } else {
                        re.append("\\}");
                    }
                }
                case ',' -> re.append(braces > 0 ? "|" : ",");
                case '\\' -> {
                    if (i + 1 < glob.length()) re.append(Pattern.quote(String.valueOf(glob.charAt(++i))));
                }
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString());
    }
}
