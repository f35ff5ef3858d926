package dev.lathe.core.skill;

import dev.lathe.core.permission.PromptFiles;
import dev.lathe.core.markdown.FrontMatter;
import dev.lathe.core.markdown.FrontMatterException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds skills: a folder {@code <name>/SKILL.md} directly under one of the skill folders, in this order of precedence
 * (the first skill of a name wins): for each folder from the working folder up to the repository root, nearest
 * first, its {@code .lathe/skills}, {@code .opencode/skills}, {@code .opencode/skill} and {@code .claude/skills}; then
 * the user's folders: {@code $XDG_CONFIG_HOME/lathe/skills}, OpenCode's global ones and Claude Code's personal
 * {@code ~/.claude/skills}; the open Agent Skills folders {@code .agents/skills} and {@code ~/.agents/skills} come
 * last and are held to that standard ({@link AgentSkills}). A {@code SKILL.md} has front matter with {@code description} (required, at most 1,024
 * characters) and optionally {@code name} (default: the folder's name; letters, digits, {@code .}, {@code _},
 * {@code -}, at most 64); other keys (Claude Code's {@code allowed-tools}, {@code license},
 * ...) are ignored. The body is the instructions. A file that breaks these rules is left out and reported in
 * {@link Found#problems}.
 */
public final class SkillFiles {
    /** Skill folders of one project folder, in order of precedence. */
    public static final List<String> PROJECT_FOLDERS = List.of(".lathe/skills", ".opencode/skills", ".opencode/skill", ".claude/skills", AgentSkills.FOLDER);
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    static final int MAX_DESCRIPTION = 1024;
    private static final String HEADER = header();

    private SkillFiles() {}

    /**
     * What was found: the skills sorted by name; {@code problems} by the folder name of each skill left out (what is
     * wrong, naming the file); {@code watched}, every path whose change can change the result (for staleness checks).
     */
    public record Found(List<Skill> skills, Map<String, String> problems, List<Path> watched, PromptFiles guard, java.util.Set<Path> guarded) {
        public Found {
            skills = List.copyOf(skills);
            problems = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(problems));
            watched = List.copyOf(watched);
            guarded = java.util.Set.copyOf(guarded);
        }

        public Found(List<Skill> skills, Map<String, String> problems, List<Path> watched) {
            this(skills, problems, watched, PromptFiles.lenient(Path.of("/")), java.util.Set.of());
        }

        /**
         * The instructions of {@code skill}: its body, read now; a project's or the user's skill through the same check
         * and the one open handle it was found with (issue 40: a {@code SKILL.md} swapped for a link since it was listed
         * is not followed, a {@code read} rule that holds it back now holds it back). @throws FrontMatterException when
         * the file no longer parses; {@link UncheckedIOException} when it cannot be read or is held back
         */
        public String body(Skill skill) {
            if (!guarded.contains(skill.file())) return SkillFiles.body(skill);
            try {
                String text = guard.read(skill.file())
                        .orElseThrow(() -> new IOException(skill.file() + " is held back (it is not the file that was listed, or a read rule denies it)"));
                return FrontMatter.parse(text).body().strip();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        public java.util.Optional<Skill> find(String name) {
            return skills.stream().filter(s -> s.name().equals(name)).findFirst();
        }
    }

    /**
     * @param folders     the project folders to look in, nearest first (see {@code ProjectRoot.upToRoot})
     * @param userFolders the user's skill folders, looked in after every project folder ({@code LathePaths.userSkills})
     */
    public static Found find(List<Path> folders, List<Path> userFolders) {
        return find(folders, userFolders, List.of());
    }

    /**
     * Skills of a Claude Code plugin: {@code path} is a folder of skill folders, or one skill folder (holding
     * {@code SKILL.md}); each skill is named {@code prefix:name}, as Claude Code names a plugin's skills.
     */
    public record PluginSource(String prefix, Path path) {}

    /** As {@link #find(List, List)}, then the skills of {@code plugins}, after every project and user skill. */
    public static Found find(List<Path> folders, List<Path> userFolders, List<PluginSource> plugins) {
        return find(folders, userFolders, plugins, PromptFiles.lenient(folders.isEmpty() ? Path.of("/") : folders.getLast()));
    }

    /**
     * As {@link #find(List, List, List)}, each {@code SKILL.md} first passing {@code guard} (issue 40): a skill whose
     * file links out of the project or that a {@code read} rule holds back is left out, its description never listed.
     */
    public static Found find(List<Path> folders, List<Path> userFolders, List<PluginSource> plugins, PromptFiles guard) {
        List<Path> roots = new ArrayList<>();
        for (Path folder : folders) for (String sub : PROJECT_FOLDERS) roots.add(folder.resolve(sub));
        roots.addAll(userFolders);
        Map<String, Skill> byName = new LinkedHashMap<>();
        Map<String, String> problems = new LinkedHashMap<>();
        List<Path> watched = new ArrayList<>();
        java.util.Set<Path> guarded = new java.util.HashSet<>();
        for (Path root : roots) {
            watched.add(root);
            for (Path dir : folders(root)) {
                Path file = dir.resolve("SKILL.md");
                watched.add(dir);
                watched.add(file);
                if (!Files.isRegularFile(file)) continue;
                String folderName = dir.getFileName().toString();
                try {
                    // read through the guard's one handle (issue 40): a link swapped in after the check is never followed
                    java.util.Optional<String> text = guard.read(file);
                    if (text.isEmpty()) continue;
                    Skill skill = AgentSkills.isStandardFolder(root) ? AgentSkills.parse(file, text.get()) : parse(file, text.get());
                    if (byName.containsKey(skill.name())) continue;
                    byName.put(skill.name(), skill);
                    guarded.add(file);
                } catch (FrontMatterException e) {
                    problems.putIfAbsent(folderName, file + ": " + e.getMessage());
                } catch (UncheckedIOException e) {
                    problems.putIfAbsent(folderName, file + ": cannot be read (" + e.getCause().getMessage() + ")");
                } catch (IOException e) {
                    problems.putIfAbsent(folderName, file + ": cannot be read (" + e.getMessage() + ")");
                }
            }
        }
        for (PluginSource source : plugins) {
            watched.add(source.path());
            boolean one = Files.isRegularFile(source.path().resolve("SKILL.md"));
            for (Path dir : one ? List.of(source.path()) : folders(source.path())) {
                Path file = dir.resolve("SKILL.md");
                watched.add(dir);
                watched.add(file);
                if (!Files.isRegularFile(file)) continue;
                try {
                    Skill read = read(file);
                    String name = source.prefix() + ":" + read.name();
                    byName.putIfAbsent(name, new Skill(name, read.description(), file));
                } catch (FrontMatterException e) {
                    problems.putIfAbsent(source.prefix() + ":" + dir.getFileName(), file + ": " + e.getMessage());
                } catch (UncheckedIOException e) {
                    problems.putIfAbsent(source.prefix() + ":" + dir.getFileName(), file + ": cannot be read (" + e.getCause().getMessage() + ")");
                }
            }
        }
        byName.keySet().forEach(problems::remove);
        List<Skill> sorted = byName.values().stream().sorted(Comparator.comparing(Skill::name)).toList();
        return new Found(sorted, problems, watched, guard, guarded);
    }

    /**
     * The skills list of system block B: a fixed header, then one {@code - name: description} line per skill, sorted
     * by name; empty when there are none. It holds no path, so every clone of a project gets the same bytes.
     */
    /**
     * Whether {@code blockB} (system block B as sent) lists skills: the {@code skill} tool is offered exactly then
     * (decision 494), so it comes and goes with the listing and never changes the prefix on its own.
     */
    public static boolean listed(String blockB) {
        return blockB.contains(HEADER);
    }

    public static String listing(List<Skill> skills) {
        if (skills.isEmpty()) return "";
        var out = new StringBuilder(HEADER).append("\n\n");
        for (Skill s : skills.stream().sorted(Comparator.comparing(Skill::name)).toList()) {
            out.append("- ").append(s.name()).append(": ").append(s.description()).append('\n');
        }
        return out.toString().strip();
    }

    /**
     * The instructions of {@code skill}: its body, read now. @throws FrontMatterException when the file no longer
     * parses; {@link UncheckedIOException} when it cannot be read
     */
    public static String body(Skill skill) {
        return FrontMatter.parse(readString(skill.file())).body().strip();
    }

    static Skill read(Path file) {
        return parse(file, readString(file));
    }

    private static Skill parse(Path file, String content) {
        FrontMatter fm = FrontMatter.parse(content);
        String folderName = file.getParent().getFileName().toString();
        String name = fm.text("name").map(String::strip).filter(n -> !n.isEmpty()).orElse(folderName);
        if (!NAME.matcher(name).matches()) {
            int line = fm.fields().containsKey("name") ? fm.fields().get("name").line() : 1;
            throw new FrontMatterException(line, "the skill name '" + name + "' must be 1 to 64 letters, digits, '.', '_' or '-'");
        }
        String description = fm.text("description").map(d -> d.strip().replaceAll("\\s+", " ")).orElse("");
        if (description.isEmpty()) throw new FrontMatterException(1, "a skill needs a description: it tells the model when to load it");
        if (description.length() > MAX_DESCRIPTION) {
            throw new FrontMatterException(fm.fields().get("description").line(), "the description is longer than " + MAX_DESCRIPTION + " characters");
        }
        return new Skill(name, description, file);
    }

    /** The sub-folders of {@code root}, sorted by name; hidden ones are skipped. */
    private static List<Path> folders(Path root) {
        if (!Files.isDirectory(root)) return List.of();
        try (Stream<Path> children = Files.list(root)) {
            return children.filter(Files::isDirectory).filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted(Comparator.comparing(p -> p.getFileName().toString())).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** A user's or plugin's skill file, read through the gateway (a no-follow handle; the kernel's folders never). */
    private static String readString(Path file) {
        try {
            return PromptFiles.lenient(Path.of("/")).read(file).orElseThrow(() -> new IOException(file + " cannot be read here"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String header() {
        try (InputStream in = SkillFiles.class.getResourceAsStream("skills.md")) {
            if (in == null) throw new IllegalStateException("missing resource skills.md");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
