package dev.lathe.tui;

import dev.lathe.protocol.RawJson;
import java.util.List;
import java.util.Map;

/**
 * What the terminal UI would warn about in a folder's configuration ({@code keybinds} naming no action, a key taken
 * twice, an unknown {@code theme} role), for {@code lathe doctor}: the server's schema takes any string under
 * {@code keybinds}, and only the UI knows its actions, so the UI's own reading is the one check (issue 82:
 * {@code keybinds.sesions} passed the doctor and was only named when the UI started).
 */
public final class UiConfigCheck {
    private UiConfigCheck() {}

    /**
     * One line per entry the UI would not understand, each with the file and line that wrote it, as the UI says it
     * at start.
     *
     * @param config the folder's configuration merged as written ({@code GET /config})
     * @param directory the folder, to find the files the entries are written in
     * @param env the environment naming the configuration's files and folders
     */
    public static List<String> problems(RawJson config, String directory, Map<String, String> env) {
        return UiConfig.from(config, false, ConfigLines.of(directory, env)).warnings();
    }
}
