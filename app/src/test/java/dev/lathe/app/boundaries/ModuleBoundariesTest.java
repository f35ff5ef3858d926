package dev.lathe.app.boundaries;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * DESIGN §2's import table, enforced over this repository's main sources (docs/decisions.md, "The module table is a
 * test"). It runs in {@code app}'s tests because app is the module at the top of the graph: the whole
 * repository is checked out beside it, its tests run after every other module has compiled, and a new module is
 * always wired into app, so the check cannot be skipped by building a module on its own. The repository root is found
 * from the working directory (Maven runs a module's tests in the module's folder).
 */
class ModuleBoundariesTest {
    /**
     * Who may name whom, as DESIGN §2 states it. {@code protocol} is importable by every module above it: LatheApi and
     * its records are what app, server, client and tui talk in. {@code jsonrpc} (not in DESIGN's table: decision
     * 105) is the framing under ACP, used both ways: by {@code acp} (Lathe as an editor's agent) and by {@code core}
     * (an external ACP agent as a session's engine). {@code run} (the console clients: {@code lathe run}, the line
     * client, {@code lathe github run}) sits beside {@code tui}, neither naming the other; what both say alike (model
     * text made safe for a terminal, costs, quotas, a goal check) is {@code term}'s, below both (decision 527).
     */
    static final Map<String, Set<String>> MAY_IMPORT = Map.ofEntries(
            Map.entry("protocol", Set.of()),
            Map.entry("jsonrpc", Set.of()),
            Map.entry("llm", Set.of()),
            Map.entry("tools", Set.of("protocol", "llm")),
            Map.entry("mcp", Set.of("tools", "protocol")),
            Map.entry("lsp", Set.of("tools", "protocol")),
            Map.entry("core", Set.of("protocol", "llm", "tools", "mcp", "lsp", "jsonrpc")),
            Map.entry("server", Set.of("core", "protocol")),
            Map.entry("client", Set.of("protocol")),
            Map.entry("term", Set.of("protocol")),
            Map.entry("tui", Set.of("client", "protocol", "term")),
            Map.entry("run", Set.of("client", "protocol", "term")),
            Map.entry("acp", Set.of("client", "protocol", "jsonrpc")),
            Map.entry("app", Set.of("server", "client", "term", "tui", "run", "acp", "protocol")));

    /** Test-only modules: never on the shipped class path, free to reach into anything. */
    static final Set<String> TEST_ONLY = Set.of("testkit", "bench");

    static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !(Files.isDirectory(dir.resolve("app")) && Files.isDirectory(dir.resolve("protocol")) && Files.exists(dir.resolve("pom.xml")))) {
            dir = dir.getParent();
        }
        assertThat(dir).as("the repository root above " + Path.of("").toAbsolutePath()).isNotNull();
        return dir;
    }

    @Test
    void noMainSourceNamesAModuleItsModuleMayNotImport() {
        var check = new ImportBoundaries(repositoryRoot(), MAY_IMPORT, TEST_ONLY);
        assertThat(check.modules()).as("the modules found").contains("protocol", "llm", "tools", "core", "server", "client", "term", "tui", "run", "app");
        assertThat(check.violations()).as("names of modules a module may not import (DESIGN §2)").isEmpty();
    }
}
