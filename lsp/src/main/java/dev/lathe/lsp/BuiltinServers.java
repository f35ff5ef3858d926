package dev.lathe.lsp;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The language servers Lathe knows without config (DESIGN §14), in the order they are tried for an extension (pyright
 * before basedpyright: whichever is installed serves Python), and how a server's command is found.
 *
 * <p>A command's executable is found in the project's own {@code node_modules/.bin} (a version the project pins wins)
 * and then on {@code PATH}. The project's own executables are project-defined code: they run only in a trusted folder,
 * so the caller says whether they may ({@code projectExecutables}).
 */
public final class BuiltinServers {
    private BuiltinServers() {}

    private static final List<String> PYTHON_ROOTS = List.of("pyproject.toml", "pyrightconfig.json", "setup.py", "setup.cfg",
            "requirements.txt", "Pipfile");
    private static final Set<String> PYTHON = Set.of("py", "pyi");

    /** typescript-language-server's initialization options: every request answered by the full (semantic) tsserver. */
    static final String TYPESCRIPT_OPTIONS = "{\"tsserver\":{\"useSyntaxServer\":\"never\"}}";

    private static final Map<String, LspServerSpec> TABLE = table(
            spec("pyright", List.of("pyright-langserver", "--stdio"), PYTHON, PYTHON_ROOTS),
            spec("basedpyright", List.of("basedpyright-langserver", "--stdio"), PYTHON, PYTHON_ROOTS),
            // no syntax-only tsserver: while the project loads it answers a definition with the import itself
            spec("typescript", List.of("typescript-language-server", "--stdio"),
                    Set.of("ts", "tsx", "js", "jsx", "mjs", "cjs", "mts", "cts"), List.of("tsconfig.json", "jsconfig.json", "package.json"),
                    Optional.of(TYPESCRIPT_OPTIONS)),
            spec("gopls", List.of("gopls"), Set.of("go"), List.of("go.work", "go.mod")),
            spec("rust-analyzer", List.of("rust-analyzer"), Set.of("rs"), List.of("Cargo.toml")),
            spec("clangd", List.of("clangd"), Set.of("c", "h", "cc", "cpp", "cxx", "c++", "hh", "hpp", "hxx", "h++", "m", "mm"),
                    List.of("compile_commands.json", "compile_flags.txt", ".clangd", "CMakeLists.txt", "Makefile")),
            spec("jdtls", List.of("jdtls"), Set.of("java"), List.of("pom.xml", "build.gradle", "build.gradle.kts", "settings.gradle",
                    "settings.gradle.kts")),
            spec("bash-language-server", List.of("bash-language-server", "start"), Set.of("sh", "bash"), List.of()),
            spec("yaml-language-server", List.of("yaml-language-server", "--stdio"), Set.of("yaml", "yml"), List.of()),
            spec("lua-language-server", List.of("lua-language-server"), Set.of("lua"), List.of(".luarc.json")),
            spec("zls", List.of("zls"), Set.of("zig"), List.of("build.zig")),
            spec("ruby-lsp", List.of("ruby-lsp"), Set.of("rb"), List.of("Gemfile")));

    /** The built-in servers by name, in the order they are tried. */
    public static Map<String, LspServerSpec> table() { return TABLE; }

    /**
     * {@code spec}'s command with its executable resolved to an absolute path: in {@code projectRoot/node_modules/.bin}
     * (only when {@code projectExecutables}: the folder is trusted), else on the {@code PATH} of {@code env} (this
     * process's when {@code env} has none). A command whose executable is a path is taken as it is (relative to the
     * project: then it is the project's own and needs {@code projectExecutables} too). Empty when not found or
     * withheld.
     */
    public static Optional<List<String>> find(LspServerSpec spec, Path projectRoot, Map<String, String> env, boolean projectExecutables) {
        return switch (locate(spec, projectRoot, env, projectExecutables)) {
            case Located.Found found -> Optional.of(found.command());
            case Located.Withheld w -> Optional.empty();
            case Located.Missing m -> Optional.empty();
        };
    }

    /**
     * The project's own executable {@code spec}'s command resolves to in a trusted folder ({@code node_modules/.bin} or a
     * path inside the project), whether or not it may run: what trust pins by content. Empty when the command is
     * found elsewhere or nowhere.
     */
    public static Optional<Path> projectExecutable(LspServerSpec spec, Path projectRoot, Map<String, String> env) {
        return locate(spec, projectRoot, env, _ -> true) instanceof Located.Found f && f.projectOwn()
                ? Optional.of(Path.of(f.command().getFirst())) : Optional.empty();
    }

    /** {@link #find} for a trusted folder: the project's {@code node_modules/.bin} too, as the contract of issue 28 states it. */
    public static Optional<List<String>> find(LspServerSpec spec, Path projectRoot, Map<String, String> env) {
        return find(spec, projectRoot, env, true);
    }

    /** Where a command was found, or why not: the project has it but may not run it yet, or nobody has it. */
    sealed interface Located {
        record Found(List<String> command, boolean projectOwn) implements Located {}

        record Withheld(Path executable) implements Located {}

        record Missing() implements Located {}
    }

    static Located locate(LspServerSpec spec, Path projectRoot, Map<String, String> env, boolean projectExecutables) {
        return locate(spec, projectRoot, env, _ -> projectExecutables);
    }

    /**
     * Where {@code spec}'s command is found: as {@link #find}, a project's own executable running only when
     * {@code projectExecutable} accepts it (the folder is trusted and the file is as trust pinned it).
     */
    static Located locate(LspServerSpec spec, Path projectRoot, Map<String, String> env, java.util.function.Predicate<Path> projectExecutable) {
        if (spec.command().isEmpty()) return new Located.Missing();
        String exe = spec.command().getFirst();
        List<String> args = spec.command().subList(1, spec.command().size());
        if (exe.contains("/")) {
            Path path = Path.of(exe);
            boolean projectOwn = !path.isAbsolute();
            Path resolved = projectRoot.resolve(path).normalize();
            if (!Files.isExecutable(resolved) || Files.isDirectory(resolved)) return new Located.Missing();
            if (projectOwn && !projectExecutable.test(resolved)) return new Located.Withheld(resolved);
            return new Located.Found(with(resolved, args), projectOwn);
        }
        Path local = projectRoot.resolve("node_modules/.bin").resolve(exe);
        boolean hasLocal = Files.isExecutable(local) && !Files.isDirectory(local);
        if (hasLocal && projectExecutable.test(local)) return new Located.Found(with(local, args), true);
        String path = env.getOrDefault("PATH", System.getenv().getOrDefault("PATH", ""));
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (dir.isBlank()) continue;
            Path candidate = Path.of(dir).resolve(exe);
            if (Files.isExecutable(candidate) && !Files.isDirectory(candidate)) return new Located.Found(with(candidate.toAbsolutePath(), args), false);
        }
        return hasLocal ? new Located.Withheld(local) : new Located.Missing();
    }

    private static List<String> with(Path executable, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(executable.toString());
        command.addAll(args);
        return List.copyOf(command);
    }

    private static LspServerSpec spec(String name, List<String> command, Set<String> extensions, List<String> rootMarkers) {
        return spec(name, command, extensions, rootMarkers, Optional.empty());
    }

    private static LspServerSpec spec(String name, List<String> command, Set<String> extensions, List<String> rootMarkers,
            Optional<String> initializationOptions) {
        return new LspServerSpec(name, command, extensions, rootMarkers, initializationOptions, Map.of(), true);
    }

    private static Map<String, LspServerSpec> table(LspServerSpec... specs) {
        Map<String, LspServerSpec> byName = new LinkedHashMap<>();
        for (LspServerSpec s : specs) byName.put(s.name(), s);
        return Collections.unmodifiableMap(byName);
    }
}
