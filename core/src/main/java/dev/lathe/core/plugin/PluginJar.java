package dev.lathe.core.plugin;

import dev.lathe.core.hooks.Hook;
import dev.lathe.core.hooks.HookEvent;
import dev.lathe.core.hooks.HookHandler;
import dev.lathe.core.hooks.HookMatcher;
import dev.lathe.core.hooks.HookSource;
import dev.lathe.protocol.api.EventListener;
import dev.lathe.tools.Tool;
import dev.lathe.tools.plugin.LathePlugin;
import dev.lathe.tools.plugin.PluginHook;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * One jar of a plugins folder, loaded in a class loader of its own (parent: the loader of Lathe's SPI, so the plugin
 * sees the same {@link Tool} and protocol classes), with the {@link LathePlugin}s its {@code META-INF/services} names.
 * Each plugin is taken or left on its own: one whose class cannot be loaded or constructed, whose
 * {@link LathePlugin#apiVersion} is not {@link LathePlugin#API_VERSION}, or that throws while giving its tools or
 * listeners is left out with a problem naming the jar and the plugin; the jar's other plugins still load. Loading
 * is bounded by {@link #LOAD_TIME}: a plugin that blocks longer is reported and abandoned (its thread is left).
 */
final class PluginJar implements AutoCloseable {
    static final java.time.Duration LOAD_TIME = java.time.Duration.ofSeconds(10);
    /** More providers than any real jar names: a broken iterator cannot keep the loader busy for ever. */
    private static final int MAX_PROVIDERS = 64;

    private final Path jar;
    private final URLClassLoader loader;
    private final List<Tool<?>> tools = new ArrayList<>();
    private final List<Named> listeners = new ArrayList<>();
    private final List<Hook> hooks = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();

    /** A plugin's listener with the plugin's name, for messages. */
    record Named(String plugin, EventListener listener) {}

    private PluginJar(Path jar, URLClassLoader loader) {
        this.jar = jar;
        this.loader = loader;
    }

    /** The plugins of {@code jar}, loaded (never throws: what fails is in {@link #problems}). */
    static PluginJar load(Path jar) {
        return load(jar, jar);
    }

    /** The plugins of {@code jar}, loaded from {@code bytes}, a private copy of what was checked ({@link JarSnapshot}). */
    static PluginJar load(Path jar, Path bytes) {
        URLClassLoader loader;
        try {
            loader = new URLClassLoader("lathe-plugin:" + jar.getFileName(), new URL[] {bytes.toUri().toURL()}, LathePlugin.class.getClassLoader());
        } catch (IOException e) {
            var empty = new PluginJar(jar, new URLClassLoader(new URL[0], LathePlugin.class.getClassLoader()));
            empty.problems.add(jar + ": cannot be opened: " + e.getMessage());
            return empty;
        }
        var loaded = new PluginJar(jar, loader);
        Thread t = Thread.ofVirtual().name("lathe-plugin-load-" + jar.getFileName()).start(loaded::loadPlugins);
        try {
            if (!t.join(LOAD_TIME)) {
                synchronized (loaded) {
                    loaded.tools.clear();
                    loaded.listeners.clear();
                    loaded.problems.add(jar + ": did not finish loading within " + LOAD_TIME.toSeconds() + " s; left out");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return loaded;
    }

    private void loadPlugins() {
        Iterator<LathePlugin> it = ServiceLoader.load(LathePlugin.class, loader).iterator();
        for (int i = 0; i < MAX_PROVIDERS; i++) {
            LathePlugin plugin;
            try {
                if (!it.hasNext()) break;
                plugin = it.next();
            } catch (ServiceConfigurationError | LinkageError | RuntimeException e) {
                problem("a plugin could not be loaded: " + cause(e));
                continue;
            }
            // a provider of the parent's class path is not this jar's
            if (plugin.getClass().getClassLoader() != loader) continue;
            take(plugin);
        }
    }

    private void take(LathePlugin plugin) {
        String name = plugin.getClass().getName();
        try {
            name = plugin.name() + " (" + name + ")";
            int version = plugin.apiVersion();
            if (version != LathePlugin.API_VERSION) {
                problem("plugin " + name + " was built for plugin API " + version + "; this Lathe speaks " + LathePlugin.API_VERSION + "; left out");
                return;
            }
            List<Tool<?>> own = new ArrayList<>();
            for (Tool<?> tool : List.copyOf(plugin.tools())) own.add(GuardedTool.of(tool, plugin.name(), loader));
            List<Named> heard = new ArrayList<>();
            for (EventListener l : List.copyOf(plugin.listeners())) heard.add(new Named(plugin.name(), l));
            List<Hook> hooked = new ArrayList<>();
            for (var hook : List.copyOf(plugin.hooks())) hook(plugin.name(), hook).ifPresent(hooked::add);
            synchronized (this) {
                tools.addAll(own);
                listeners.addAll(heard);
                hooks.addAll(hooked);
            }
        } catch (RuntimeException | LinkageError | AssertionError | StackOverflowError e) {
            problem("plugin " + name + " failed while loading: " + cause(e) + "; left out");
        }
    }

    /** {@code hook} as a hook of the engine, written in Lathe's names; a hook that cannot be is reported and left out. */
    private java.util.Optional<Hook> hook(String plugin, PluginHook hook) {
        String event = hook.event();
        var known = event == null ? java.util.Optional.<HookEvent>empty() : HookEvent.of(event);
        if (known.isEmpty()) {
            problem("plugin " + plugin + " registers a hook for the event '" + event + "', which Lathe does not fire; left out");
            return java.util.Optional.empty();
        }
        try {
            var matcher = HookMatcher.parse(hook.matcher() == null ? "" : hook.matcher());
            var timeout = hook.timeout() == null || hook.timeout().isNegative() || hook.timeout().isZero()
                    ? known.get().defaultTimeout() : hook.timeout();
            return java.util.Optional.of(new Hook(known.get(), matcher, new HookHandler.Java(plugin, hook, timeout),
                    new HookSource(jar.toString(), HookSource.Dialect.LATHE)));
        } catch (IllegalArgumentException e) {
            problem("plugin " + plugin + " registers a " + event + " hook whose matcher does not compile: " + e.getMessage() + "; left out");
            return java.util.Optional.empty();
        }
    }

    private synchronized void problem(String message) {
        problems.add(jar + ": " + message);
    }

    private static String cause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        return root == e ? e.toString() : e.getMessage() + " (" + root + ")";
    }

    Path jar() { return jar; }

    synchronized List<Tool<?>> tools() { return List.copyOf(tools); }

    synchronized List<Named> listeners() { return List.copyOf(listeners); }

    synchronized List<Hook> hooks() { return List.copyOf(hooks); }

    synchronized List<String> problems() { return List.copyOf(problems); }

    @Override
    public void close() {
        try {
            loader.close();
        } catch (IOException e) {
            // the jar's file handle goes with the loader's last class anyway
        }
    }
}
