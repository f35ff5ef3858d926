package dev.lathe.core.commandfile;

import dev.lathe.core.permission.PromptFiles;
import dev.lathe.core.markdown.FrontMatter;
import dev.lathe.core.markdown.FrontMatterException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds custom commands: {@code *.md} files under the command folders, in this order of precedence (the first command
 * of a name wins): for each folder from the working folder up to the repository root, nearest first, its
 * {@code .lathe/commands}, {@code .opencode/commands}, {@code .opencode/command} and {@code .claude/commands}; then
 * the user's folders: {@code $XDG_CONFIG_HOME/lathe/commands}, OpenCode's global ones and Claude Code's personal
 * {@code ~/.claude/commands}. A file's name is its path below the folder without {@code .md}, folders joined by
 * {@code :} ({@code frontend/test.md} is {@code /frontend:test}); names are letters, digits, {@code .}, {@code _} and
 * {@code -} per part, and files with other names are skipped. Names of built-in commands
 * ({@link #RESERVED}) are skipped too: a file cannot shadow a built-in.
 *
 * <p>Front matter (all optional): {@code description} (default: the body's first line), {@code agent},
 * {@code model} ({@code provider/model}; in a {@code .claude/} file a model without a provider — Claude Code's
 * {@code sonnet}, {@code claude-…} — is ignored and the session's model used). Claude Code's {@code argument-hint}
 * and {@code allowed-tools}, OpenCode's {@code subtask} and any other key are read and ignored: permissions come from
 * the permission rules, never from the file.
 */
public final class CommandFiles {
    /** Command folders of one project folder, in order of precedence. */
    public static final List<String> PROJECT_FOLDERS = List.of(".lathe/commands", ".opencode/commands", ".opencode/command", ".claude/commands");
    /**
     * The built-in commands of DESIGN §11 (run by the server or by clients) and the clients' spellings of them; no file
     * can take these names.
     */
    public static final Set<String> RESERVED = Set.of("new", "clear", "sessions", "resume", "model", "models", "agent", "agents", "compact",
            "undo", "redo", "context", "cost", "init", "export", "details", "help", "exit", "quit", "q", "detach");
    private static final Pattern PART = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final int MAX_DEPTH = 4;
    private static final int MAX_DESCRIPTION = 120;

    private CommandFiles() {}

    /**
     * @param folders     the project folders to look in, nearest first (see {@code ProjectRoot.upToRoot})
     * @param userFolders the user's command folders, looked in after every project folder ({@code LathePaths.userCommands})
     */
    public static List<CommandFile> find(List<Path> folders, List<Path> userFolders) {
        return find(folders, userFolders, List.of());
    }

    /**
     * Commands of a Claude Code plugin: {@code path} is a folder of {@code *.md} files or one file; each command is
     * named {@code prefix:name} ({@code /my-plugin:hello}), as Claude Code names a plugin's commands, and
     * {@code expand} rewrites its text ({@code ${CLAUDE_PLUGIN_ROOT}}). They are the user's (an untrusted folder's
     * plugins are never loaded), so their {@code !`cmd`} runs.
     */
    public record PluginSource(String prefix, Path path, java.util.function.UnaryOperator<String> expand) {}

    /**
     * As {@link #find(List, List)}, then the commands of {@code plugins}, after every project and user command.
     */
    public static List<CommandFile> find(List<Path> folders, List<Path> userFolders, List<PluginSource> plugins) {
        return find(folders, userFolders, plugins, PromptFiles.lenient(folders.isEmpty() ? Path.of("/") : folders.getLast()));
    }

    /**
     * As {@link #find(List, List, List)}, each file first passing {@code guard} (issue 40): a command file that links out
     * of the project or that a {@code read} rule holds back is not offered (its text would be sent when it runs).
     */
    public static List<CommandFile> find(List<Path> folders, List<Path> userFolders, List<PluginSource> plugins, PromptFiles guard) {
        Map<Path, CommandFile.Scope> roots = new LinkedHashMap<>();
        // a folder that is the user's own (~/.claude/commands seen from a session in HOME) stays the user's
        for (Path folder : folders) for (String sub : PROJECT_FOLDERS) {
            Path root = folder.resolve(sub);
            roots.putIfAbsent(root, userFolders.contains(root) ? CommandFile.Scope.USER : CommandFile.Scope.PROJECT);
        }
        for (Path folder : userFolders) roots.putIfAbsent(folder, CommandFile.Scope.USER);
        Map<String, CommandFile> byName = new LinkedHashMap<>();
        roots.forEach((root, scope) -> {
            for (Path file : markdownFiles(root)) {
                Optional<String> name = name(root.relativize(file));
                if (name.isEmpty() || RESERVED.contains(name.get()) || byName.containsKey(name.get())) continue;
                // read through the guard's one handle (issue 40): a link swapped in after the check is never followed
                Optional<String> text;
                try {
                    text = guard.read(file);
                } catch (IOException e) {
                    byName.put(name.get(), broken(name.get(), file, scope, "cannot be read (" + e.getMessage() + ")"));
                    continue;
                }
                if (text.isEmpty()) continue;
                byName.put(name.get(), parse(name.get(), file, text.get(), scope, isClaude(root)));
            }
        });
        for (PluginSource source : plugins) {
            boolean single = Files.isRegularFile(source.path());
            for (Path file : single ? List.of(source.path()) : markdownFiles(source.path())) {
                if (!file.getFileName().toString().endsWith(".md")) continue;
                Optional<String> name = name(single ? file.getFileName() : source.path().relativize(file)).map(n -> source.prefix() + ":" + n);
                if (name.isEmpty() || byName.containsKey(name.get())) continue;
                CommandFile c = read(name.get(), file, CommandFile.Scope.USER, true);
                byName.put(name.get(), new CommandFile(c.name(), c.description(), c.agent(), c.model(), source.expand().apply(c.template()), c.file(),
                        c.scope(), c.problem()));
            }
        }
        return byName.values().stream().sorted(Comparator.comparing(CommandFile::name)).toList();
    }

    /**
     * The command folder {@code file} is in ({@code .lathe/commands}, {@code sub/.claude/commands}, ...), relative to
     * {@code projectRoot} when below it.
     */
    public static String folderOf(Path file, Path projectRoot) {
        for (Path p = file.getParent(); p != null; p = p.getParent()) {
            for (String sub : PROJECT_FOLDERS) {
                if (p.endsWith(sub)) return p.startsWith(projectRoot) ? projectRoot.relativize(p).toString() : p.toString();
            }
        }
        return file.getParent() == null ? file.toString() : file.getParent().toString();
    }

    static CommandFile read(String name, Path file, CommandFile.Scope scope, boolean claude) {
        try {
            // a user's own command: read through the gateway (a no-follow handle; the kernel's folders never)
            var text = PromptFiles.lenient(Path.of("/")).read(file);
            if (text.isEmpty()) return broken(name, file, scope, "cannot be read here");
            return parse(name, file, text.get(), scope, claude);
        } catch (IOException e) {
            return broken(name, file, scope, "cannot be read (" + e.getMessage() + ")");
        }
    }

    /** The command {@code name} of {@code file}, whose text is {@code content} (read once, by the caller). */
    static CommandFile parse(String name, Path file, String content, CommandFile.Scope scope, boolean claude) {
        try {
            FrontMatter fm = FrontMatter.parse(content);
            String template = fm.body().strip();
            String description = fm.text("description").map(String::strip).filter(d -> !d.isEmpty()).orElseGet(() -> firstLine(template));
            Optional<String> agent = fm.text("agent").map(String::strip).filter(a -> !a.isEmpty());
            Optional<String> model = fm.text("model").map(String::strip).filter(m -> !m.isEmpty());
            // read for their shape only: a mapping where Claude Code expects a list is an error worth reporting
            fm.texts("argument-hint");
            fm.texts("allowed-tools");
            if (model.isPresent() && !model.get().contains("/")) {
                if (!claude) {
                    int line = fm.fields().get("model").line();
                    throw new FrontMatterException(line, "model must be provider/model, e.g. anthropic/claude-sonnet-4-5");
                }
                model = Optional.empty();
            }
            if (template.isEmpty()) return broken(name, file, scope, "the file has no text to send after its front matter");
            return new CommandFile(name, description, agent, model, template, file, scope, Optional.empty());
        } catch (FrontMatterException e) {
            return broken(name, file, scope, e.getMessage());
        }
    }

    private static CommandFile broken(String name, Path file, CommandFile.Scope scope, String problem) {
        String full = file + ": " + problem;
        return new CommandFile(name, "(broken: " + full + ")", Optional.empty(), Optional.empty(), "", file, scope, Optional.of(full));
    }

    private static boolean isClaude(Path root) {
        return root.getParent() != null && root.getParent().getFileName() != null && root.getParent().getFileName().toString().equals(".claude");
    }

    /** {@code a/b.md} → {@code a:b}; empty for a name clients could not type. */
    private static Optional<String> name(Path relative) {
        List<String> parts = new ArrayList<>();
        for (Path p : relative) parts.add(p.toString());
        String last = parts.removeLast();
        parts.add(last.substring(0, last.length() - ".md".length()));
        for (String part : parts) if (!PART.matcher(part).matches()) return Optional.empty();
        return Optional.of(String.join(":", parts));
    }

    private static String firstLine(String template) {
        String line = template.lines().map(String::strip).filter(l -> !l.isEmpty()).findFirst().orElse("");
        line = line.replaceFirst("^#+\\s*", "");
        return line.length() <= MAX_DESCRIPTION ? line : line.substring(0, MAX_DESCRIPTION - 3) + "...";
    }

    private static boolean hidden(Path relative) {
        for (Path part : relative) if (part.toString().startsWith(".")) return true;
        return false;
    }

    /** Markdown files under {@code root}, at most {@value #MAX_DEPTH} folders deep, sorted by path; hidden ones skipped. */
    private static List<Path> markdownFiles(Path root) {
        if (!Files.isDirectory(root)) return List.of();
        try (Stream<Path> all = Files.walk(root, MAX_DEPTH)) {
            return all.filter(p -> !p.equals(root))
                    .filter(p -> !hidden(root.relativize(p)))
                    .filter(p -> p.getFileName().toString().endsWith(".md") && Files.isRegularFile(p))
                    .sorted(Comparator.comparing(Path::toString)).toList();
        } catch (IOException | java.io.UncheckedIOException e) {
            return List.of();
        }
    }
}
