package dev.lathe.app.boundaries;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How core is wired (issues 41 and 54), read from its sources as the module table is: no core code reads the process
 * environment (the composition root is handed it, {@code CoreInputs}, and passes it on as a value,
 * {@code ServerEnvironment}); the composition root builds in dependency order, without forward-reference holders; it is
 * the one place that builds the services, and the core tests' harness builds them through its stages (no holder, no
 * environment read there either). A match in a comment or a string does not count: only code is read.
 */
class WiringTest {
    /** A call that reads the process's environment. */
    static final Pattern GETENV = Pattern.compile("\\bSystem\\s*\\.\\s*getenv\\s*\\(");

    /** A forward reference: a holder to set once what is built later ({@code AtomicReference}, a one-element array). */
    static final Pattern HOLDER = Pattern.compile("\\bAtomicReference\\b|\\bnew\\s+[A-Z][\\w.]*\\s*\\[\\s*1\\s*\\]");

    /**
     * The subagent cycle resolved late (issue 41): the turn services or the runners reached through a supplier, so that
     * what runs a child's turn could be built before them. A turn hands them to a {@code task} call through the named
     * port {@code ChildTurns} instead.
     */
    static final Pattern LATE_TURNS = Pattern.compile("\\bSupplier\\s*<\\s*(?:TurnServices|Runners)\\s*>|\\bthis\\s*::\\s*(?:turnServices|runners)\\b");

    /**
     * The composition root: what builds the services of a running Lathe, in {@code core/src/main/java} ({@code
     * LatheCore.open}, the stages of {@code CoreBuilder} over {@code CoreInputs}, their helpers, and the session stage
     * {@code SessionWiring}, which lives beside the package-private services it builds).
     */
    static final List<String> ROOT = List.of("dev/lathe/core/LatheCore.java", "dev/lathe/core/CoreBuilder.java", "dev/lathe/core/CoreInputs.java",
            "dev/lathe/core/StoreChoice.java", "dev/lathe/core/McpWiring.java", "dev/lathe/core/LspWiring.java",
            "dev/lathe/core/session/SessionWiring.java");

    /** The core tests' harness: it builds the graph through the root's stages, so it holds no holder and reads no environment. */
    static final String HARNESS = "core/src/test/java/dev/lathe/core/session/Harness.java";

    /** Whether {@code file} is one of the root's files. */
    static boolean inRoot(Path root, Path file) {
        Path main = root.resolve("core/src/main/java");
        return file.startsWith(main) && ROOT.contains(main.relativize(file).toString().replace('\\', '/'));
    }

    /** The root's files and the core tests' harness, those of them that exist. */
    static Stream<Path> rootAndHarness(Path root) {
        return Stream.concat(ROOT.stream().map(f -> root.resolve("core/src/main/java").resolve(f)), Stream.of(root.resolve(HARNESS)))
                .filter(Files::isRegularFile);
    }

    /**
     * A service of a running Lathe being built: its sessions (and their session stage), projects, brokers, running
     * turns, hooks, audit log, ACP agents, MCP and language servers, the facade, the stores' adapters and the
     * bus. Only the root does this; anything else is handed what it needs.
     */
    static final Pattern BUILDS_SERVICE = Pattern.compile("\\bnew\\s+(?:[a-z]\\w*\\.)*(Sessions|Projects|PermissionBroker|QuestionBroker|RunningTurns|LocalLathe"
            + "|ProjectInfo|SessionHooks|ToolCallHooks|HookRunRecorder|ProjectAuditLog|AgentEngines|TranscriptFiles)\\s*\\("
            + "|\\b(SessionWiring\\.wire|McpWiring\\.start|LspWiring\\.start|StoreChoice\\.choose|EventBus\\.over|CoreBuilder\\.(?:base|extensions|services))\\s*\\(");

    /**
     * Main code outside the root that builds a service (a class copying itself, {@code withEnvironment}, is no new
     * service), and test code that builds {@code Sessions} other than through the root's stages.
     */
    static List<Hit> servicesBuiltOutsideTheRoot(Path root) {
        var main = find(root, mainSources(root).filter(f -> !inRoot(root, f)), BUILDS_SERVICE).stream().filter(h -> {
            String own = h.file().getFileName().toString().replace(".java", "");
            var m = BUILDS_SERVICE.matcher(h.text());
            while (m.find()) if (!own.equals(m.group(1))) return true;
            return false;
        });
        var sessionsInTests = Pattern.compile("\\bnew\\s+(?:[a-z]\\w*\\.)*Sessions\\s*\\(|\\bSessionWiring\\s*\\.\\s*wire\\s*\\(");
        var tests = find(root, testSources(root), sessionsInTests).stream();
        return Stream.concat(main, tests).sorted(java.util.Comparator.comparing(Hit::toString)).toList();
    }

    /** Every module's test sources. */
    static Stream<Path> testSources(Path root) {
        try (Stream<Path> modules = Files.list(root)) {
            return modules.map(m -> m.resolve("src/test/java")).filter(Files::isDirectory).toList().stream().flatMap(WiringTest::javaFiles);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A source file and a line of its code that matches. */
    record Hit(Path file, int line, String text) {
        @Override
        public String toString() { return file + ":" + line + ": " + text.strip(); }
    }

    /** The lines of code (comments blanked) of {@code files} that {@code pattern} finds, each with its file relative to {@code root}. */
    static List<Hit> find(Path root, Stream<Path> files, Pattern pattern) {
        return files.flatMap(f -> {
            String[] lines = code(read(f)).split("\n", -1);
            return java.util.stream.IntStream.range(0, lines.length).filter(i -> pattern.matcher(lines[i]).find())
                    .mapToObj(i -> new Hit(root.relativize(f), i + 1, lines[i]));
        }).sorted(java.util.Comparator.comparing(Hit::toString)).toList();
    }

    /** The {@code .java} files under {@code dir}. */
    static Stream<Path> javaFiles(Path dir) {
        if (!Files.isDirectory(dir)) return Stream.empty();
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(f -> f.toString().endsWith(".java") && Files.isRegularFile(f)).toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * {@code source} with its comments and the contents of its string and character literals blanked (line breaks kept,
     * so line numbers hold): a call named in a message or a comment is not a call, and a comment marker in a string is
     * not a comment.
     */
    static String code(String source) {
        var out = new StringBuilder(source.length());
        int i = 0;
        while (i < source.length()) {
            char c = source.charAt(i);
            if (c == '"' || c == '\'') {
                int end = i + 1;
                while (end < source.length() && source.charAt(end) != c && source.charAt(end) != '\n') end += source.charAt(end) == '\\' ? 2 : 1;
                end = Math.min(end + 1, source.length());
                out.append(c).append(" ".repeat(Math.max(0, end - i - 2))).append(c);
                i = end;
            } else if (source.startsWith("//", i)) {
                while (i < source.length() && source.charAt(i) != '\n') i++;
            } else if (source.startsWith("/*", i)) {
                int end = source.indexOf("*/", i + 2);
                end = end < 0 ? source.length() : end + 2;
                for (int k = i; k < end; k++) if (source.charAt(k) == '\n') out.append('\n');
                i = end;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    static List<Hit> environmentReads(Path root) {
        return find(root, Stream.concat(javaFiles(root.resolve("core/src/main/java")), Stream.of(root.resolve(HARNESS)).filter(Files::isRegularFile)),
                GETENV);
    }

    static List<Hit> holders(Path root) {
        return find(root, rootAndHarness(root), HOLDER);
    }

    /**
     * The ports that are decorated (a sandbox over the launcher seam, the network policy over the permission gate, a
     * sign-in over a wire protocol): code asks them what it needs, it never looks for an implementation by type, which
     * a decorator hides (issue 41: local-only mode's {@code OutboundPermissions} hid the gate, and hook verdicts were lost).
     */
    static final List<String> PORTS = List.of("ProcessLauncher", "WrappingLauncher", "Permissions", "Protocol", "CatalogSupply",
            "ExtensionTools", "AuditLog", "DecisionLog", "McpContent");

    /** {@code PORTS} and every main class that implements one of them (by simple name, from the sources). */
    static java.util.Set<String> portTypes(Path root) {
        var implementing = Pattern.compile("\\b(?:class|record)\\s+([A-Z]\\w*)[^{;]*?\\bimplements\\s+([^{]*)\\{");
        var out = new java.util.TreeSet<>(PORTS);
        mainSources(root).forEach(f -> {
            var m = implementing.matcher(code(read(f)));
            while (m.find()) {
                for (String type : m.group(2).split(",")) {
                    String name = type.replaceAll("<.*", "").strip();
                    name = name.substring(name.lastIndexOf('.') + 1);
                    if (PORTS.contains(name)) out.add(m.group(1));
                }
            }
        });
        return out;
    }

    /** Every module's main sources. */
    static Stream<Path> mainSources(Path root) {
        try (Stream<Path> modules = Files.list(root)) {
            return modules.map(m -> m.resolve("src/main/java")).filter(Files::isDirectory).toList().stream().flatMap(WiringTest::javaFiles);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Main code that finds a port, or an implementation of one, by its type ({@code instanceof}). */
    static List<Hit> portsFoundByType(Path root) {
        var byType = Pattern.compile("\\binstanceof\\s+(?:[a-z]\\w*\\.)*(?:" + String.join("|", portTypes(root)) + ")\\b");
        return find(root, mainSources(root), byType);
    }

    @Test
    void noPortIsFoundByItsType() {
        Path root = ModuleBoundariesTest.repositoryRoot();
        assertThat(portTypes(root)).as("the port implementations found").contains("SandboxLauncher", "OutboundPermissions", "PermissionGate",
                "SignedInProtocol", "CatalogSource");
        assertThat(portsFoundByType(root)).as("ports found by instanceof: ask the port (a method it has, a value it carries) instead").isEmpty();
    }

    @Test
    void findsAPortImplementationLookedForByType(@TempDir Path root) throws IOException {
        Path tools = Files.createDirectories(root.resolve("tools/src/main/java/x"));
        Files.writeString(tools.resolve("Sandbox.java"), "final class Sandbox implements java.io.Serializable, x.WrappingLauncher<String> { }\n");
        Path core = Files.createDirectories(root.resolve("core/src/main/java/y"));
        Files.writeString(core.resolve("Pipeline.java"), """
                class Pipeline {
                    boolean a(Object l) { return l instanceof x.Sandbox s; }
                    boolean b(Object l) { return l instanceof Permissions; }
                    boolean c(Object l) { return l instanceof String; } // instanceof Sandbox in a comment
                }
                """);

        assertThat(portsFoundByType(root)).extracting(Hit::line).containsExactly(2, 3);
    }

    @Test
    void noCoreCodeReadsTheProcessEnvironment() {
        assertThat(environmentReads(ModuleBoundariesTest.repositoryRoot()))
                .as("core code reading System.getenv(): take the environment from the composition root (ServerEnvironment, or the env LatheCore.open is given)")
                .isEmpty();
    }

    @Test
    void onlyTheCompositionRootBuildsServices() {
        assertThat(servicesBuiltOutsideTheRoot(ModuleBoundariesTest.repositoryRoot()))
                .as("a service built outside the composition root: build it in CoreBuilder (or SessionWiring) and hand it over; "
                        + "tests build through CoreBuilder's stages").isEmpty();
    }

    @Test
    void findsAServiceBuiltOutsideTheRoot(@TempDir Path root) throws IOException {
        Path core = Files.createDirectories(root.resolve("core/src/main/java/dev/lathe/core"));
        Files.writeString(core.resolve("CoreBuilder.java"), "class CoreBuilder { Object b = new PermissionBroker(asks); }\n");
        Path session = Files.createDirectories(core.resolve("session"));
        Files.writeString(session.resolve("SessionWiring.java"), "class SessionWiring { Object s = new Sessions(parts); }\n");
        Files.writeString(session.resolve("Compactor.java"), """
                class Compactor {
                    // new Projects(loader) in a comment does not count
                    Object broker = new dev.lathe.core.permission.PermissionBroker(asks);
                    Object bus = EventBus.over(events);
                }
                """);
        Files.writeString(core.resolve("LocalLathe.java"), "class LocalLathe { Object copy = new LocalLathe(api); }\n");
        Path tests = Files.createDirectories(root.resolve("core/src/test/java/dev/lathe/core/session"));
        Files.writeString(tests.resolve("Harness.java"), "class Harness { Object s = SessionWiring.wire(inputs); Object t = new Sessions(p); }\n");
        assertThat(servicesBuiltOutsideTheRoot(root)).extracting(h -> h.file().getFileName() + ":" + h.line())
                .containsExactly("Compactor.java:3", "Compactor.java:4", "Harness.java:1");
    }

    @Test
    void theCompositionRootHoldsNoForwardReferences() {
        assertThat(holders(ModuleBoundariesTest.repositoryRoot()))
                .as("holders in the composition root: build in dependency order, or break the cycle with a narrow port").isEmpty();
    }

    /**
     * The background commands' adapter, named: only the composition root makes it ({@code LatheCore}) and only its own
     * file defines it; every other main class uses the port, {@code BackgroundCommands}, handed to it (no static
     * {@code shared()} instance any more).
     */
    static final Pattern BACKGROUND_ADAPTER = Pattern.compile("\\bBackgroundProcesses\\b");

    static List<Hit> backgroundAdapterUses(Path root) {
        return find(root, mainSources(root).filter(f -> !inRoot(root, f) && !f.getFileName().toString().equals("BackgroundProcesses.java")),
                BACKGROUND_ADAPTER);
    }

    @Test
    void backgroundCommandsAreAPortOnlyTheRootBuilds() {
        assertThat(backgroundAdapterUses(ModuleBoundariesTest.repositoryRoot()))
                .as("BackgroundProcesses named outside the composition root: take the BackgroundCommands port it hands over").isEmpty();
    }

    @Test
    void findsTheBackgroundAdapterNamedOutsideTheRoot(@TempDir Path root) throws IOException {
        Path tools = Files.createDirectories(root.resolve("tools/src/main/java/dev/lathe/tools/builtin"));
        Files.writeString(tools.resolve("BashTool.java"), """
                class BashTool {
                    // BackgroundProcesses in a comment does not count
                    Object job = BackgroundProcesses.shared();
                }
                """);
        Path core = Files.createDirectories(root.resolve("core/src/main/java/dev/lathe/core"));
        Files.writeString(core.resolve("LatheCore.java"), "class LatheCore { Object b = BackgroundProcesses.killedAtExit(); }\n");
        assertThat(backgroundAdapterUses(root)).extracting(h -> h.file().getFileName() + ":" + h.line()).containsExactly("BashTool.java:3");
    }

    /**
     * The session services the API calls directly (issue 41: {@code Sessions} is no longer the facade every feature goes
     * through): what a client reads ({@code SessionReads}), undo ({@code SessionUndo}), worktrees, editors, questions and
     * imports ({@code SessionApi}). {@code Sessions} declares none of their routes again.
     */
    static final Pattern FOCUSED_ROUTES = Pattern.compile(
            "\\bpublic\\s+[\\w.<>, ]+\\s+(?:messages|todos|children|usage|cache|context|stats|diff|revert|unrevert|undo|redo|editors|questions|worktrees|history)\\s*\\(");

    static List<Hit> facadeRoutes(Path root) {
        return find(root, javaFiles(root.resolve("core/src/main/java/dev/lathe/core/session")).filter(f -> f.getFileName().toString().equals("Sessions.java")),
                FOCUSED_ROUTES);
    }

    @Test
    void sessionsIsNotTheFacadeOfTheFocusedServices() {
        assertThat(facadeRoutes(ModuleBoundariesTest.repositoryRoot()))
                .as("a route of a focused session service declared on Sessions: add it to its own service (SessionApi)").isEmpty();
    }

    @Test
    void findsAFocusedRouteOnSessions(@TempDir Path root) throws IOException {
        Path session = Files.createDirectories(root.resolve("core/src/main/java/dev/lathe/core/session"));
        Files.writeString(session.resolve("Sessions.java"), """
                public final class Sessions {
                    public Session get(SessionId id) { return null; }
                    public List<MessageWithParts> messages(SessionId id) { return null; }
                    /** public RevertResult undo(SessionId id) in a comment */
                    public dev.lathe.protocol.api.RevertResult undo(SessionId id) { return null; }
                    RevertResult redo(SessionId id) { return null; }
                }
                """);
        assertThat(facadeRoutes(root)).extracting(Hit::line).containsExactly(3, 5);
    }

    static List<Hit> lateTurns(Path root) {
        return find(root, javaFiles(root.resolve("core/src/main/java")), LATE_TURNS);
    }

    @Test
    void subagentsReachTurnsThroughTheirPortNotASupplier() {
        assertThat(lateTurns(ModuleBoundariesTest.repositoryRoot()))
                .as("the subagent cycle resolved through a supplier: hand the runners over with the call (ChildTurns)").isEmpty();
    }

    @Test
    void findsASubagentCycleResolvedLate(@TempDir Path root) throws IOException {
        Path core = Files.createDirectories(root.resolve("core/src/main/java/dev/lathe/core/session"));
        Files.writeString(core.resolve("Subtasks.java"), """
                class Subtasks {
                    Subtasks(java.util.function.Supplier<TurnServices> services, Supplier< Runners > runners) { }
                    // a Supplier<Runners> in a comment does not count
                    Object runner = new Subtasks(this::turnServices, this :: runners);
                    Object fine = this::runnersOf;
                }
                """);
        assertThat(lateTurns(root)).extracting(Hit::line).containsExactly(2, 4);
    }

    @Test
    void findsAnEnvironmentReadAndAHolderButNotInComments(@TempDir Path root) throws IOException {
        Path core = Files.createDirectories(root.resolve("core/src/main/java/dev/lathe/core"));
        Files.writeString(core.resolve("Reads.java"), """
                class Reads {
                    /** Not System.getenv() itself: the value it was given. */
                    String home = "System.getenv(\\"HOME\\")"; // nor System.getenv() here
                    String path = System.getenv("PATH");
                }
                """);
        Files.writeString(core.resolve("LatheCore.java"), """
                class LatheCore {
                    /* an AtomicReference named in a comment */
                    Object[] fine = new Object[2];
                    Object[] holder = new Object[1];
                    java.util.concurrent.atomic.AtomicReference<Object> ref;
                }
                """);
        Files.writeString(core.resolve("Elsewhere.java"), "class Elsewhere { Object[] one = new Object[1]; }\n");

        assertThat(environmentReads(root)).extracting(Hit::line).containsExactly(4);
        assertThat(holders(root)).extracting(h -> h.file().getFileName().toString() + ":" + h.line())
                .containsExactly("LatheCore.java:4", "LatheCore.java:5");
    }
}
