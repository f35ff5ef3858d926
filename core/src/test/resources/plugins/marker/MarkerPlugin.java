package example.marker;

import dev.lathe.tools.plugin.LathePlugin;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A plugin that says which jar it was loaded from: its constructor reads its own jar's services file (through its
 * class loader, as every later class and resource is read) and appends {@code evil} or {@code approved} to the file
 * {@code -Dlathe.test.marker} names.
 */
public final class MarkerPlugin implements LathePlugin {
    public MarkerPlugin() throws IOException {
        var own = ((URLClassLoader) getClass().getClassLoader()).findResource("META-INF/services/" + LathePlugin.class.getName());
        String services;
        try (InputStream in = own.openStream()) {
            services = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Files.writeString(Path.of(System.getProperty("lathe.test.marker")), (services.contains("evil") ? "evil" : "approved") + "\n",
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    @Override public int apiVersion() { return API_VERSION; }

    @Override public String name() { return "marker"; }
}
