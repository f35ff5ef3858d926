package dev.lathe.protocol.api;

import java.util.Optional;

/**
 * Body of {@code POST /import/history} ({@code lathe import --from}, DESIGN §21): which other harness's sessions to
 * look at, and which of them to import. {@code source} is {@code claude-code}, {@code opencode} or {@code codex};
 * {@code directory} limits to the sessions of that folder (absolute); {@code id} names one session by the other
 * harness's id (a unique prefix is enough); {@code all} imports every session found; with neither, nothing is
 * imported and the result lists what would be. {@code since} (epoch millis) leaves out sessions last changed before it.
 * {@code locations} are the client's own variables that say where the harness keeps its files, so the server reads the
 * files of the user who asked, whoever started it.
 */
public record HistoryImportRequest(String source, Optional<String> directory, Optional<String> id, boolean all, Optional<Long> since,
        Locations locations) {

    public HistoryImportRequest {
        directory = directory == null ? Optional.empty() : directory;
        id = id == null ? Optional.empty() : id;
        since = since == null ? Optional.empty() : since;
        locations = locations == null ? Locations.NONE : locations;
    }

    /**
     * The variables each harness reads its folders from ({@code HOME}, {@code CLAUDE_CONFIG_DIR}, {@code XDG_DATA_HOME},
     * {@code CODEX_HOME}); an absent one means that harness's default.
     */
    public record Locations(Optional<String> home, Optional<String> claudeConfigDir, Optional<String> xdgDataHome, Optional<String> codexHome) {
        public static final Locations NONE = new Locations(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

        public Locations {
            home = home == null ? Optional.empty() : home;
            claudeConfigDir = claudeConfigDir == null ? Optional.empty() : claudeConfigDir;
            xdgDataHome = xdgDataHome == null ? Optional.empty() : xdgDataHome;
            codexHome = codexHome == null ? Optional.empty() : codexHome;
        }

        /** The variables of a process environment. */
        public static Locations of(java.util.Map<String, String> env) {
            return new Locations(nonBlank(env.get("HOME")), nonBlank(env.get("CLAUDE_CONFIG_DIR")), nonBlank(env.get("XDG_DATA_HOME")),
                    nonBlank(env.get("CODEX_HOME")));
        }

        private static Optional<String> nonBlank(String v) { return Optional.ofNullable(v).filter(s -> !s.isBlank()); }
    }
}
