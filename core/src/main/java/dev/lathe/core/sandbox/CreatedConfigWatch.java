package dev.lathe.core.sandbox;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Watches the folders of guarded work-tree paths that were missing when a sandboxed command started ({@link
 * SandboxLayout#createdAfterwards}) and hands each one that appears to {@code created} at once, while the command still
 * runs: such a path has no stand-in (a stand-in showed in every listing the model made, issue 71), so what stops a
 * command from planting {@code .claude/settings.json} for another program to read is that it is moved aside within
 * moments, and again when the command ends. On Linux the JDK's watch service is inotify: a creation or a rename into
 * the folder is seen as it happens.
 */
final class CreatedConfigWatch implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(CreatedConfigWatch.class.getName());
    private final WatchService service;

    private CreatedConfigWatch(WatchService service) {
        this.service = service;
    }

    /** Starts watching for {@code absent}; a watch that cannot start is logged and leaves the end-of-command sweep. */
    static CreatedConfigWatch start(List<Path> absent, Consumer<Path> created) {
        if (absent.isEmpty()) return new CreatedConfigWatch(null);
        Set<Path> guarded = Set.copyOf(absent);
        try {
            WatchService service = FileSystems.getDefault().newWatchService();
            Set<Path> folders = new HashSet<>();
            for (Path p : absent) if (folders.add(p.getParent())) p.getParent().register(service, StandardWatchEventKinds.ENTRY_CREATE);
            Thread.ofVirtual().name("sandbox-config-watch").start(() -> watch(service, guarded, created));
            return new CreatedConfigWatch(service);
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "cannot watch for protected config a sandboxed command creates; it is moved aside when the command ends", e);
            return new CreatedConfigWatch(null);
        }
    }

    private static void watch(WatchService service, Set<Path> guarded, Consumer<Path> created) {
        try {
            while (true) {
                WatchKey key = service.take();
                Path folder = (Path) key.watchable();
                for (WatchEvent<?> event : key.pollEvents()) {
                    // an overflow lost names: look at every guarded path
                    if (event.kind() == StandardWatchEventKinds.OVERFLOW) guarded.forEach(created);
                    else if (event.context() instanceof Path name && guarded.contains(folder.resolve(name))) created.accept(folder.resolve(name));
                }
                key.reset();
            }
        } catch (ClosedWatchServiceException | InterruptedException e) {
            // the command ended
        }
    }

    /** Stops watching (the command ended; the sweep after it sees the rest). */
    @Override
    public void close() {
        if (service == null) return;
        try {
            service.close();
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "closing the sandbox config watch: {0}", e.toString());
        }
    }
}
