package dev.lathe.core.plugin;

import dev.lathe.core.hooks.Hook;
import dev.lathe.core.trust.RunPin;
import dev.lathe.tools.Tool;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The plugins folder and the script tools folder of one scope (the user's, or one trusted project's), read again when
 * a file in them changed (looked at no more often than {@link #RECHECK}): a jar is loaded when it appears or changes
 * (its earlier class loader closed, its listeners stopped); a script's header is read when it appears or changes.
 * What cannot be taken is a problem, logged once as a warning and listed by {@link #problems}.
 */
final class ExtensionFolders implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ExtensionFolders.class.getName());
    static final long RECHECK_NANOS = 1_000_000_000L;

    private final Path plugins;
    private final Path scripts;
    private final Optional<String> scope;
    private final PluginEvents events;
    /** At each look at the folders, which of their files may load (a project's: those its trust pinned as they are). */
    private final java.util.function.Supplier<Admission> admission;
    private final Map<Path, Loaded<PluginJar>> jars = new HashMap<>();
    private final Map<Path, Loaded<Optional<ScriptTool>>> tools = new HashMap<>();
    private final Map<Path, List<ListenerQueue>> queues = new HashMap<>();
    private final Map<Path, String> scriptProblems = new HashMap<>();
    private final List<String> logged = new ArrayList<>();
    private long checkedAt = System.nanoTime() - RECHECK_NANOS;
    private List<Tool<?>> current = List.of();

    /** What a file gave, with the stamp (size, time, key) it had when it was read. */
    private record Loaded<T>(String stamp, T value) {}

    /**
     * @param scope the project folder whose events the plugins' listeners hear (empty: the user's plugins, every event)
     */
    ExtensionFolders(Path plugins, Path scripts, Optional<String> scope, PluginEvents events) {
        this(plugins, scripts, scope, events, () -> (file, sha256) -> true);
    }

    /**
     * Whether a file may load: {@code sha256} is the digest of the bytes that would load (a jar's private copy,
     * {@link JarSnapshot}), or null to judge the file as it is now (a script).
     */
    @FunctionalInterface
    interface Admission {
        boolean admits(Path file, String sha256);
    }

    /** @param admission which files may load, asked afresh at each look (a file not admitted is as if absent) */
    ExtensionFolders(Path plugins, Path scripts, Optional<String> scope, PluginEvents events, java.util.function.Supplier<Admission> admission) {
        this.admission = admission;
        this.plugins = plugins;
        this.scripts = scripts;
        this.scope = scope;
        this.events = events;
    }

    /** The tools of this scope in a stable order: scripts by file name, then plugins by jar name and their order. */
    synchronized List<Tool<?>> tools() {
        if (System.nanoTime() - checkedAt >= RECHECK_NANOS) {
            checkedAt = System.nanoTime();
            current = refresh();
        }
        return current;
    }

    /** The hooks of this scope's plugins, by jar name and their order (as of the last look at the folders). */
    synchronized List<Hook> hooks() {
        tools();
        List<Hook> out = new ArrayList<>();
        new TreeMap<>(jars).values().forEach(j -> out.addAll(j.value().hooks()));
        return out;
    }

    /** What could not be taken, one line each naming its file. */
    synchronized List<String> problems() {
        List<String> out = new ArrayList<>(new TreeMap<>(scriptProblems).values());
        jars.values().forEach(j -> out.addAll(j.value().problems()));
        return out;
    }

    private List<Tool<?>> refresh() {
        List<Tool<?>> out = new ArrayList<>();
        Admission admission = this.admission.get();
        java.util.function.Predicate<Path> admits = file -> admission.admits(file, null);
        Map<Path, String> seen = files(scripts);
        // a file trust does not admit (changed since approval) is left as if absent, and taken once it is approved
        seen.keySet().removeIf(admits.negate());
        tools.keySet().retainAll(seen.keySet());
        scriptProblems.keySet().retainAll(seen.keySet());
        for (var e : seen.entrySet()) {
            Loaded<Optional<ScriptTool>> known = tools.get(e.getKey());
            if (known == null || !known.stamp().equals(e.getValue())) {
                known = new Loaded<>(e.getValue(), script(e.getKey()));
                tools.put(e.getKey(), known);
            }
            known.value().ifPresent(out::add);
        }
        Map<Path, String> found = files(plugins);
        found.keySet().removeIf(p -> !p.getFileName().toString().endsWith(".jar") || !admits.test(p));
        for (Path gone : new ArrayList<>(jars.keySet())) if (!found.containsKey(gone)) unload(gone);
        for (var e : found.entrySet()) {
            Loaded<PluginJar> known = jars.get(e.getKey());
            if (known == null || !known.stamp().equals(e.getValue())) {
                if (known != null) unload(e.getKey());
                // what loads is the bytes that were hashed and admitted, from a private copy: a jar replaced after the
                // check (or while the class loader reads it later) is never what runs
                Optional<JarSnapshot> snapshot = JarSnapshot.of(e.getKey());
                if (snapshot.isEmpty() || !admission.admits(e.getKey(), snapshot.get().sha256())) continue;
                known = new Loaded<>(e.getValue(), PluginJar.load(e.getKey(), snapshot.get().copy()));
                jars.put(e.getKey(), known);
                List<ListenerQueue> started = new ArrayList<>();
                for (var l : known.value().listeners()) started.add(events.add(scope, l.plugin(), l.listener()));
                queues.put(e.getKey(), started);
            }
            out.addAll(known.value().tools());
        }
        for (String p : problems()) {
            if (!logged.contains(p)) {
                logged.add(p);
                LOG.log(System.Logger.Level.WARNING, p);
            }
        }
        return List.copyOf(out);
    }

    private Optional<ScriptTool> script(Path file) {
        try {
            Optional<ScriptHeader> header = ScriptHeader.read(file);
            if (header.isEmpty()) {
                if (Files.isExecutable(file)) scriptProblems.put(file, file + ": no lathe-tool header in its first " + ScriptHeader.SCAN_LINES + " lines; not a tool");
                return Optional.empty();
            }
            if (!Files.isExecutable(file)) {
                scriptProblems.put(file, file + ": has a lathe-tool header but is not executable (chmod +x it); not a tool");
                return Optional.empty();
            }
            scriptProblems.remove(file);
            return Optional.of(new ScriptTool(file, header.get(), scope.isPresent() ? ScriptTool.pinOf(file) : RunPin.NONE));
        } catch (ScriptHeader.Invalid e) {
            scriptProblems.put(file, e.getMessage());
        } catch (IOException e) {
            scriptProblems.put(file, file + ": cannot be read: " + e.getMessage());
        }
        return Optional.empty();
    }

    private void unload(Path jar) {
        Loaded<PluginJar> known = jars.remove(jar);
        queues.getOrDefault(jar, List.of()).forEach(events::remove);
        queues.remove(jar);
        if (known != null) known.value().close();
    }

    /** The regular, not hidden files of {@code folder} with their stamps, by name; none when it does not exist. */
    private static Map<Path, String> files(Path folder) {
        Map<Path, String> out = new TreeMap<>();
        if (!Files.isDirectory(folder)) return out;
        try (DirectoryStream<Path> in = Files.newDirectoryStream(folder)) {
            for (Path p : in) {
                if (p.getFileName().toString().startsWith(".")) continue;
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                if (a.isRegularFile()) out.put(p, a.size() + "/" + a.lastModifiedTime().toMillis() + "/" + a.fileKey() + "/" + Files.isExecutable(p));
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot list {0}: {1}", folder, e.getMessage());
        }
        return out;
    }

    @Override
    public synchronized void close() {
        new ArrayList<>(jars.keySet()).forEach(this::unload);
        tools.clear();
    }
}
