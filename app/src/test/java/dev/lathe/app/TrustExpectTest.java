package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code lathe trust} pins what it shows, not what is on disk a moment later (DESIGN §18 "Trust pins what it approved"):
 * it lists the items it pins, and {@code --expect DIGEST} (the digest {@code --show} printed) refuses, pinning nothing,
 * when anything changed between the review and the command. Real files in fresh XDG folders, the real trust record.
 */
class TrustExpectTest {
    @TempDir Path home;

    private Map<String, String> env() {
        return Map.of("XDG_CONFIG_HOME", home.resolve("config").toString(), "XDG_DATA_HOME", home.resolve("data").toString(),
                "XDG_STATE_HOME", home.resolve("state").toString(), "XDG_CACHE_HOME", home.resolve("cache").toString(),
                "HOME", home.toString(), "LATHE_DISABLE_MODELS_FETCH", "1");
    }

    private record Run(int exit, String out, String err) {}

    private Run trust(String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        int exit = new CommandLine(new TrustCommand(env())).setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private static String digest(Run show) {
        Matcher m = Pattern.compile("lathe: digest ([0-9a-f]+) ").matcher(show.err());
        assertThat(m.find()).as(show.err()).isTrue();
        return m.group(1);
    }

    @Test
    void aChangeBetweenTheReviewAndTheTrustIsNotPinned() throws Exception {
        Path project = Files.createDirectories(home.resolve("proj"));
        String dir = project.toString();
        Files.writeString(project.resolve(".mcp.json"), "{\"mcpServers\": {\"one\": {\"command\": \"one-server\"}}}");
        Run show = trust("--show", "--dir", dir);
        assertThat(show.out()).contains("new       .mcp.json MCP server one (runs code, sends data to a host): ");
        String reviewed = digest(show);

        // between the review and the command, a sandboxed job, a pull or an editor adds a server
        Files.writeString(project.resolve(".mcp.json"), "{\"mcpServers\": {\"one\": {\"command\": \"one-server\"}, \"evil\": {\"command\": \"touch\","
                + " \"args\": [\"" + home.resolve("owned") + "\"]}}}");
        Run refused = trust("--expect", reviewed, "--dir", dir);
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err()).contains("changed since that review").contains("nothing was trusted");
        assertThat(trust("--list").out()).isEmpty();
        assertThat(trust("--show", "--dir", dir).out().lines()).allSatisfy(l -> assertThat(l).startsWith("new "));

        // lathe trust lists what it pins, and those are exactly what --show calls approved after
        Run reviewedAgain = trust("--show", "--dir", dir);
        Run pinned = trust("--expect", digest(reviewedAgain), "--dir", dir);
        assertThat(pinned.exit()).as(pinned.err()).isZero();
        assertThat(pinned.out().lines()).hasSize(2).anySatisfy(l -> assertThat(l).contains("MCP server evil (runs code, sends data to a host): "));
        assertThat(pinned.err()).contains("with the 2 items listed (digest " + digest(reviewedAgain) + ")");
        assertThat(trust("--show", "--dir", dir).out().lines()).hasSize(2).allSatisfy(l -> assertThat(l).startsWith("approved "));
    }

    @Test
    void expectGoesWithTrustAlone() {
        assertThat(trust("--show", "--expect", "abc", "--dir", home.toString()).exit()).isEqualTo(2);
    }
}
