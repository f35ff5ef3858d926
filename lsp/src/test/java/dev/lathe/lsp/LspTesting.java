package dev.lathe.lsp;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lathe.tools.Permissions;
import dev.lathe.tools.ToolContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/** Real language servers for the tests: where they are, settings naming them, a tool context, waiting for a status. */
final class LspTesting {
    private LspTesting() {}

    /** {@code name} in {@code testkit/npm/node_modules/.bin}; the test is skipped, saying how to install it, when absent. */
    static Path npmBin(String name) {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("testkit/npm"))) dir = dir.getParent();
        assumeTrue(dir != null, "no testkit/npm above the working folder");
        Path bin = dir.resolve("testkit/npm/node_modules/.bin").resolve(name);
        assumeTrue(Files.isExecutable(bin), bin + " is not installed: run `npm ci --prefix testkit/npm` (.ci/run does)");
        return bin;
    }

    /** {@code name} on PATH; the test is skipped, saying how to install it, when absent. */
    static Path onPath(String name, String install) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (dir.isBlank()) continue;
            Path p = Path.of(dir).resolve(name);
            if (Files.isExecutable(p)) return p;
        }
        assumeTrue(false, name + " is not on PATH: " + install);
        return null;
    }

    static LspServerSpec spec(String name, List<String> command, String... extensions) {
        return new LspServerSpec(name, command, Set.of(extensions), List.of(), Optional.empty(), Map.of(), true);
    }

    static final Duration TEST_WAIT = Duration.ofMinutes(1);

    static LspSettings settings(LspServerSpec... specs) {
        Map<String, LspServerSpec> byName = new LinkedHashMap<>();
        for (LspServerSpec s : specs) byName.put(s.name(), s);
        // a minute, not the product's 10 s: on a loaded two-core CI machine typescript-language-server took longer than
        // 10 s to publish its first diagnostics; these tests check what a server publishes, not how fast it is
        return new LspSettings(true, byName, false, TEST_WAIT);
    }

    static ToolContext ctx(Path root) {
        return ToolContext.builder(root, Permissions.ALLOW_ALL).session("ses_lsp").call("call_lsp").output(root.resolve(".out")).build();
    }

    /** Events a project's servers sent, kept for assertions. */
    static final class Recorder implements java.util.function.Consumer<LspEvent> {
        final List<LspEvent> events = java.util.Collections.synchronizedList(new ArrayList<>());

        @Override public void accept(LspEvent e) { events.add(e); }

        List<LspEvent> snapshot() {
            synchronized (events) {
                return List.copyOf(events);
            }
        }

        /**
         * The events once one satisfies {@code wanted}: an event is emitted after the diagnostics it tells of are
         * handed to whoever waits for them, so a report can return just before its event is recorded.
         */
        List<LspEvent> awaitAny(Predicate<LspEvent> wanted, Duration max) throws InterruptedException {
            long deadline = System.nanoTime() + max.toNanos();
            while (System.nanoTime() < deadline) {
                List<LspEvent> now = snapshot();
                if (now.stream().anyMatch(wanted)) return now;
                Thread.sleep(20);
            }
            return snapshot();
        }
    }

    static LspServerStatus await(ProjectLanguageServers servers, String name, Predicate<LspServerStatus> done, Duration max)
            throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (System.nanoTime() < deadline) {
            for (LspServerStatus s : servers.status()) if (s.name().equals(name) && done.test(s)) return s;
            Thread.sleep(50);
        }
        throw new AssertionError(name + " never reached the expected state: " + servers.status());
    }

    /** Writes {@code text} to {@code rel} under {@code root}, creating folders. */
    static Path write(Path root, String rel, String text) throws java.io.IOException {
        Path file = root.resolve(rel);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        return file;
    }
}
