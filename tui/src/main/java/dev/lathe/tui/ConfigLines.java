package dev.lathe.tui;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.json.JsonReadFeature;

/**
 * Where an entry of the UI's part of the config ({@code theme.accent}, {@code keybinds.submit}) is written, so a warning
 * about it can name {@code file:line}. The server merges the config and hands the UI the result without positions;
 * the UI reads the same layers it can see (DESIGN §15: the global file, the project's {@code lathe.json} and
 * {@code .lathe/lathe.json}, {@code LATHE_CONFIG}'s file, {@code LATHE_CONFIG_CONTENT}) and names the last one that
 * writes the entry — the one whose value counts. An entry it cannot find is named without a place.
 */
final class ConfigLines {
    /**
     * The lenient token reader, made at the first line looked up (a warning to place), not when the UI opens: it is a
     * bare streaming factory, since only tokens and their lines are read here. A {@code JsonMapper} built in this
     * class's initialiser was on the terminal UI's path to its first frame (issue 43: ~12 % of the main thread's samples
     * of an open), for a warning most opens never show.
     */
    private static final class Lenient {
        static final JsonFactory FACTORY = JsonFactory.builder()
                .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS, JsonReadFeature.ALLOW_TRAILING_COMMA, JsonReadFeature.ALLOW_SINGLE_QUOTES,
                        JsonReadFeature.ALLOW_YAML_COMMENTS)
                .build();
    }

    /** Finds nothing: for a config the UI cannot locate. */
    static final ConfigLines NONE = new ConfigLines(List.of());

    /** One layer: its name in messages (a path, or the variable) and its text. */
    record Layer(String name, String text) {}

    private final List<Layer> layers;

    ConfigLines(List<Layer> layers) { this.layers = List.copyOf(layers); }

    /** The layers of {@code directory}'s config as {@code env} names them, lowest precedence first; unreadable ones left out. */
    static ConfigLines of(String directory, Map<String, String> env) {
        var layers = new ArrayList<Layer>();
        Path home = Path.of(env.getOrDefault("HOME", System.getProperty("user.home")));
        String xdg = env.getOrDefault("XDG_CONFIG_HOME", "");
        Path global = (xdg.isBlank() ? home.resolve(".config") : Path.of(xdg)).resolve("lathe").resolve("lathe.json");
        read(global).ifPresent(layers::add);
        read(Path.of(directory, "lathe.json")).ifPresent(layers::add);
        read(Path.of(directory, ".lathe", "lathe.json")).ifPresent(layers::add);
        String named = env.getOrDefault("LATHE_CONFIG", "");
        if (!named.isBlank()) read(Path.of(named)).ifPresent(layers::add);
        String inline = env.getOrDefault("LATHE_CONFIG_CONTENT", "");
        if (!inline.isBlank()) layers.add(new Layer("LATHE_CONFIG_CONTENT", inline));
        return new ConfigLines(layers);
    }

    private static Optional<Layer> read(Path file) {
        try {
            return Files.isRegularFile(file) ? Optional.of(new Layer(file.toString(), Files.readString(file))) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** {@code "file:line: "} for {@code section.key} (e.g. {@code keybinds}, {@code submit}), or {@code ""} when not found. */
    String at(String section, String key) {
        for (int i = layers.size() - 1; i >= 0; i--) {
            Optional<Integer> line = lineOf(layers.get(i).text(), section, key);
            if (line.isPresent()) return layers.get(i).name() + ":" + line.get() + ": ";
        }
        return "";
    }

    /** The line of the member {@code key} of the top-level object {@code section}, or of {@code section} itself when key is empty. */
    static Optional<Integer> lineOf(String text, String section, String key) {
        try (JsonParser p = Lenient.FACTORY.createParser(ObjectReadContext.empty(), text)) {
            int depth = 0;
            boolean inSection = false;
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                switch (t) {
                    case START_OBJECT, START_ARRAY -> depth++;
                    case END_OBJECT, END_ARRAY -> {
                        depth--;
                        if (depth < 2) inSection = false;
                    }
                    case PROPERTY_NAME -> {
                        if (depth == 1) {
                            inSection = p.currentName().equals(section);
                            if (inSection && key.isEmpty()) return Optional.of(p.currentTokenLocation().getLineNr());
                        } else if (depth == 2 && inSection && p.currentName().equals(key)) {
                            return Optional.of(p.currentTokenLocation().getLineNr());
                        }
                    }
                    default -> { }
                }
            }
        } catch (RuntimeException e) {
            // a file the server would have refused: no place to name
        }
        return Optional.empty();
    }
}
