package dev.lathe.core.plugin;

import dev.lathe.llm.ToolSpec;
import dev.lathe.protocol.event.Event;
import dev.lathe.tools.plugin.LathePlugin;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.ToolProvider;

/**
 * Builds plugin jars in the test, as a plugin's author would: the example sources in {@code src/test/resources/plugins}
 * compiled with the system Java compiler against Lathe's tools and protocol classes only, jarred with a
 * {@code META-INF/services} file naming the plugins.
 */
public final class PluginJars {
    private PluginJars() {}

    /** A jar at {@code jar} of the example source {@code resource} whose services file lists {@code plugins}. */
    public static Path build(String resource, Path jar, List<String> plugins) throws IOException {
        Path work = Files.createTempDirectory("lathe-plugin-src");
        Path source = work.resolve("src").resolve(Path.of(resource).getFileName().toString());
        Files.createDirectories(source.getParent());
        try (InputStream in = PluginJars.class.getResourceAsStream("/plugins/" + resource)) {
            if (in == null) throw new IOException("no example source " + resource);
            Files.write(source, in.readAllBytes());
        }
        Path classes = Files.createDirectories(work.resolve("classes"));
        String classPath = String.join(java.io.File.pathSeparator, location(LathePlugin.class), location(Event.class), location(ToolSpec.class));
        var errors = new StringWriter();
        int exit = ToolProvider.getSystemJavaCompiler().run(null, null, new java.io.PrintStream(OutputStream.nullOutputStream()) {
            @Override public void write(byte[] b, int off, int len) { errors.write(new String(b, off, len, StandardCharsets.UTF_8)); }
        }, "-classpath", classPath, "-d", classes.toString(), "-proc:none", source.toString());
        if (exit != 0) throw new IOException("javac failed on " + resource + ":\n" + errors);
        Files.createDirectories(jar.getParent());
        try (var out = new JarOutputStream(Files.newOutputStream(jar)); Stream<Path> files = Files.walk(classes)) {
            out.putNextEntry(new JarEntry("META-INF/services/" + LathePlugin.class.getName()));
            out.write((String.join("\n", plugins) + "\n").getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
            List<Path> all = new ArrayList<>(files.filter(Files::isRegularFile).sorted().toList());
            for (Path f : all) {
                out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                out.write(Files.readAllBytes(f));
                out.closeEntry();
            }
        }
        return jar;
    }

    /** The example script {@code name} copied to {@code folder}, executable. */
    public static Path script(String name, Path folder) throws IOException {
        Files.createDirectories(folder);
        Path target = folder.resolve(name);
        try (InputStream in = PluginJars.class.getResourceAsStream("/plugins/tools/" + name)) {
            if (in == null) throw new IOException("no example script " + name);
            Files.write(target, in.readAllBytes());
        }
        target.toFile().setExecutable(true);
        return target;
    }

    private static String location(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
