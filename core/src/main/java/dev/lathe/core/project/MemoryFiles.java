package dev.lathe.core.project;

import dev.lathe.core.markdown.FrontMatter;
import dev.lathe.core.markdown.FrontMatterException;
import dev.lathe.core.permission.PromptFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Memory files read as Claude Code reads them (DESIGN §27, decision 469), collected in the order they reach the model:
 * a folder's {@code AGENTS.md}, {@code CLAUDE.md}, {@code .claude/CLAUDE.md}, {@code .claude/rules/**}{@code /*.md}
 * (sorted by path) and {@code CLAUDE.local.md}; the user's {@code ~/.claude/CLAUDE.md} and {@code ~/.claude/rules}.
 * A Claude Code file's {@code @path} imports follow it, depth first (relative to the importing file, or {@code ~/}),
 * never inside a code span or a fenced block, five levels deep counting the memory file, each file once. Every file
 * passes the project's one gateway ({@link PromptFiles}): a link out of the project, a file a {@code read} rule holds
 * back, and an import or a project's {@code instructions} entry from outside the project (in an untrusted folder; once
 * trusted, unless an {@code external_directory} rule allows its real path) are never read. A rule with {@code paths:}
 * front matter is not collected but kept as a {@link ScopedRule}, which joins later, when a matching file is touched.
 * What cannot be read (missing, binary, too large, a cycle, too deep, bad front matter) is one {@link Problem}.
 *
 * <p>One instance per reading: it remembers which files it collected, so nothing is sent twice.
 */
public final class MemoryFiles {
    /** Files in one chain of imports, the memory file included (Claude Code stops at the same depth). */
    public static final int MAX_LEVELS = 5;
    /** The most of one memory file or import read: a larger one is refused rather than filling the prompt. */
    public static final int MAX_BYTES = 256 * 1024;
    /** Claude Code's memory files of one folder besides {@code AGENTS.md} and the rules, before and after them. */
    private static final List<String> CLAUDE_FILES = List.of("CLAUDE.md", ".claude/CLAUDE.md");
    private static final String LOCAL_FILE = "CLAUDE.local.md";
    private static final String RULES = ".claude/rules";

    /** A file that reaches the model: where it is, why it is there (for {@code /memory} and doctor), its text. */
    public record Memory(Path file, String why, String text) {}

    /** A file that was named but is not read: {@code where} (a file, {@code :line} for an import), and why. */
    public record Problem(String where, String reason) {
        public String message() { return where + ": " + reason; }
    }

    /**
     * A rule with {@code paths:} front matter: its text joins when a file matching one of {@code paths} is read or
     * edited. The globs are relative to {@code base} (the folder holding {@code .claude}, or the project root for the
     * user's rules); one without a {@code /} matches a file name in any folder, as Claude Code's do.
     */
    public record ScopedRule(Path file, Path base, List<String> paths, String text) {
        public ScopedRule {
            paths = List.copyOf(paths);
        }

        public boolean matches(Path touched) {
            if (!touched.startsWith(base)) return false;
            String relative = base.relativize(touched).toString().replace('\\', '/');
            String name = touched.getFileName() == null ? "" : touched.getFileName().toString();
            for (String glob : paths) {
                String g = glob.startsWith("./") ? glob.substring(2) : glob;
                if (Instructions.regex(g).matcher(g.contains("/") ? relative : name).matches()) return true;
            }
            return false;
        }
    }

    private final PromptFiles guard;
    private final Path workingDir;
    private final Path repoRoot;
    private final Path home;
    private final Set<Path> seen = new HashSet<>();
    private final List<Memory> memories = new ArrayList<>();
    private final List<Problem> problems = new ArrayList<>();
    private final List<ScopedRule> scoped = new ArrayList<>();

    public MemoryFiles(PromptFiles guard, Path workingDir, Path repoRoot, Path home) {
        this.guard = guard;
        this.workingDir = workingDir;
        this.repoRoot = repoRoot;
        this.home = home;
    }

    public List<Memory> memories() { return List.copyOf(memories); }

    public List<Problem> problems() { return List.copyOf(problems); }

    public List<ScopedRule> scoped() { return List.copyOf(scoped); }

    /** The memory files a folder may hold, in order, existing or not (for the stamps that notice a new one). */
    public static List<Path> candidates(Path dir) {
        List<Path> out = new ArrayList<>(List.of(dir.resolve("AGENTS.md")));
        for (String name : CLAUDE_FILES) out.add(dir.resolve(name));
        out.add(dir.resolve(RULES));
        out.add(dir.resolve(LOCAL_FILE));
        return out;
    }

    /** Whether {@code dir} holds any memory file (a subfolder's join when a tool first touches a file below it). */
    public static boolean hasAny(Path dir) {
        return candidates(dir).stream().anyMatch(Files::exists);
    }

    /** The memory files of one project folder: {@code AGENTS.md}, then Claude Code's, with their imports. */
    public void folder(Path dir, String where) {
        collect(dir.resolve("AGENTS.md"), "the instructions of " + where, false, true);
        for (String name : CLAUDE_FILES) collect(dir.resolve(name), "Claude Code's project memory of " + where, true, true);
        rules(dir.resolve(RULES), dir, true, true);
        collect(dir.resolve(LOCAL_FILE), "Claude Code's local project memory of " + where, true, true);
    }

    /** The user's Claude Code memory: {@code ~/.claude/CLAUDE.md}, then {@code ~/.claude/rules} (globs relative to the project). */
    public void user(Path claudeHome) {
        collect(claudeHome.resolve("CLAUDE.md"), "Claude Code's user memory", true, false);
        rules(claudeHome.resolve("rules"), repoRoot, false, true);
    }

    /** Only the scoped rules of {@code dir}'s {@code .claude/rules}: its other rules are in block B already. */
    public void rulesOf(Path dir) {
        rules(dir.resolve(RULES), dir, true, false);
    }

    /** Only the scoped rules of the user's {@code ~/.claude/rules}: the others are in block B already. */
    public void userRules(Path claudeHome) {
        rules(claudeHome.resolve("rules"), repoRoot, false, false);
    }

    /** One file that is not Claude Code's (Lathe's global {@code AGENTS.md}, an {@code instructions} entry): no imports. */
    public void plain(Path file, String why) {
        collect(file, why, false, file.startsWith(repoRoot));
    }

    /**
     * One file an {@code instructions} entry of the project's own config names, no imports: the project's wherever it
     * is, so one outside the project (as named, or behind a link) passes the check an import does (decision 641); what
     * holds it back is one {@link Problem} naming the entry.
     */
    public void projectEntry(Path file, String why, String entry) {
        if (!Files.isRegularFile(file) || !seen.add(real(file))) return;
        String where = name(file) + " (" + entry + ")";
        try {
            switch (guard.readEntry(file, MAX_BYTES)) {
                case PromptFiles.Imported.Read(byte[] read) -> decoded(file, where, read)
                        .filter(t -> !t.isBlank()).ifPresent(t -> memories.add(new Memory(file, why, t.strip())));
                case PromptFiles.Imported.Left(String reason) -> problems.add(new Problem(where, "not read: " + reason));
            }
        } catch (IOException e) {
            problems.add(new Problem(where, "cannot be read (" + e.getMessage() + ")"));
        }
    }

    /**
     * The rule files below {@code folder}, sorted by path; a scoped one is kept for later, the others collected when
     * {@code collect} (else only counted as sent: they are in block B).
     */
    private void rules(Path folder, Path base, boolean project, boolean collect) {
        if (!Files.isDirectory(folder)) return;
        List<Path> files;
        try (Stream<Path> walk = Files.walk(folder)) {
            files = walk.filter(p -> p.getFileName().toString().endsWith(".md") && Files.isRegularFile(p)).sorted().toList();
        } catch (IOException | java.io.UncheckedIOException e) {
            problems.add(new Problem(name(folder), "cannot be listed (" + e.getMessage() + ")"));
            return;
        }
        for (Path f : files) {
            if (seen.contains(real(f))) continue;
            Optional<String> text = text(f, name(f), Optional.empty(), project);
            if (text.isEmpty()) continue;
            FrontMatter fm;
            try {
                fm = FrontMatter.parse(text.get());
                Optional<List<String>> paths = paths(fm);
                if (paths.isPresent()) {
                    seen.add(real(f));
                    scoped.add(new ScopedRule(f, base, paths.get(), fm.body().strip()));
                    continue;
                }
            } catch (FrontMatterException e) {
                problems.add(new Problem(name(f) + ":" + e.line(), "left out: " + e.reason()));
                continue;
            }
            seen.add(real(f));
            if (collect) add(f, "a Claude Code rule for every file", fm.body(), 1, project, new ArrayDeque<>(List.of(real(f))));
        }
    }

    /** The {@code paths} of a rule's front matter; a single text may hold several globs, split at commas outside braces. */
    private static Optional<List<String>> paths(FrontMatter fm) {
        if (!(fm.fields().get("paths") instanceof FrontMatter.Text t)) return fm.texts("paths");
        List<String> out = new ArrayList<>();
        int depth = 0;
        var current = new StringBuilder();
        for (char c : t.text().toCharArray()) {
            if (c == '{') depth++;
            if (c == '}') depth = Math.max(0, depth - 1);
            if (c == ',' && depth == 0) {
                out.add(current.toString().strip());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        out.add(current.toString().strip());
        return Optional.of(out.stream().filter(s -> !s.isEmpty()).toList());
    }

    private void collect(Path file, String why, boolean imports, boolean project) {
        if (!Files.isRegularFile(file) || !seen.add(real(file))) return;
        Optional<String> text = text(file, name(file), Optional.empty(), project);
        if (text.isEmpty()) return;
        if (!imports) {
            if (!text.get().isBlank()) memories.add(new Memory(file, why, text.get().strip()));
            return;
        }
        add(file, why, text.get(), 1, project, new ArrayDeque<>(List.of(real(file))));
    }

    /** Adds {@code file} at import {@code level}, then what it imports, depth first; {@code chain}: the real paths being read. */
    private void add(Path file, String why, String text, int level, boolean project, Deque<Path> chain) {
        if (!text.isBlank()) memories.add(new Memory(file, why, text.strip()));
        for (ImportSyntax.Import imp : ImportSyntax.imports(text)) {
            Path target = resolve(file, imp.path());
            // "see @docs/a.md." ends a sentence: the punctuation is not the file's when no such file exists
            String trimmed = imp.path().replaceAll("[.,;:!?)\\]]+$", "");
            if (!Files.exists(target) && !trimmed.isEmpty()) target = resolve(file, trimmed);
            String where = name(file) + ":" + imp.line();
            String at = "@" + (Files.exists(target) ? trimmed : imp.path());
            Path real = real(target);
            if (chain.contains(real)) {
                problems.add(new Problem(where, at + ": an import cycle (" + name(target) + " is already being read): stopped there"));
                continue;
            }
            if (seen.contains(real)) continue;
            if (!Files.exists(target)) {
                problems.add(new Problem(where, at + ": no such file"));
                continue;
            }
            if (!Files.isRegularFile(target)) {
                problems.add(new Problem(where, at + ": not a file"));
                continue;
            }
            if (level >= MAX_LEVELS) {
                problems.add(new Problem(where, at + ": not read: imports go " + MAX_LEVELS + " levels deep at most, as in Claude Code"));
                continue;
            }
            seen.add(real);
            Optional<String> imported = text(target, where + ": " + at, Optional.of(name(file)), project);
            if (imported.isEmpty()) continue;
            chain.push(real);
            add(target, "imported by " + where, imported.get(), level + 1, project, chain);
            chain.pop();
        }
    }

    /**
     * The text of {@code file} through the gateway: empty, with a problem, when it is left out, binary or too large.
     * {@code importedBy}: the importing file, when a project's file imports it (outside the project only when trusted).
     */
    private Optional<String> text(Path file, String where, Optional<String> importedBy, boolean project) {
        try {
            Optional<byte[]> bytes;
            if (importedBy.isPresent() && project) {
                switch (guard.readImport(file, importedBy.get(), MAX_BYTES)) {
                    case PromptFiles.Imported.Read(byte[] read) -> bytes = Optional.of(read);
                    case PromptFiles.Imported.Left(String reason) -> {
                        problems.add(new Problem(where, "not read: " + reason));
                        return Optional.empty();
                    }
                }
            } else {
                bytes = guard.read(file, MAX_BYTES);
            }
            if (bytes.isEmpty()) {
                if (importedBy.isPresent()) problems.add(new Problem(where, "not read: the project's rules or trust hold it back (see lathe doctor, trust)"));
                return Optional.empty();
            }
            return decoded(file, where, bytes.get());
        } catch (IOException e) {
            problems.add(new Problem(where, "cannot be read (" + e.getMessage() + ")"));
            return Optional.empty();
        }
    }

    /** At most {@code MAX_BYTES + 1} bytes read as text: empty, with a problem, when too large or binary. */
    private Optional<String> decoded(Path file, String where, byte[] bytes) {
        if (bytes.length > MAX_BYTES) {
            problems.add(new Problem(where, "refused: " + name(file) + " is larger than " + MAX_BYTES / 1024 + " KiB"));
            return Optional.empty();
        }
        Optional<String> decoded = decode(bytes);
        if (decoded.isEmpty()) problems.add(new Problem(where, "refused: " + name(file) + " is a binary file, not text"));
        return decoded;
    }

    /** UTF-8 text, or empty for a binary file: a NUL byte or bytes that are not UTF-8. */
    static Optional<String> decode(byte[] bytes) {
        for (byte b : bytes) if (b == 0) return Optional.empty();
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }

    private Path resolve(Path importing, String path) {
        Path target = path.startsWith("~/") ? home.resolve(path.substring(2)) : importing.getParent().resolve(path);
        return target.toAbsolutePath().normalize();
    }

    private String name(Path file) {
        return Instructions.name(file, workingDir, repoRoot, home);
    }

    private static Path real(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            return p.toAbsolutePath().normalize();
        }
    }
}
