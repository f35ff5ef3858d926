package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.testkit.NpmServers;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.Turn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The terminal UI in tmux with the real server-everything configured: {@code @} completes the server's resources and
 * the chosen one reaches the model, {@code /} completes its prompts and the chosen one runs.
 */
class McpCompletionIT {
    static final Duration WAIT = Duration.ofSeconds(20);
    static final String DOC = "everything:demo://resource/static/document/architecture.md";

    @TempDir Path home;
    TuiBed bed;

    @BeforeEach
    void setUp() {
        bed = TuiBed.start("alpha\n");
    }

    @AfterEach
    void tearDown() {
        if (bed != null) bed.close();
    }

    @Test
    void atCompletesAResourceThatReachesTheModelAndSlashCompletesAPromptThatRuns() throws Exception {
        String provider = Lathe.providerConfig("anthropic-messages", bed.llm.baseUrl(), "sk-tui");
        bed.lathe = new Lathe(home, provider.substring(0, provider.length() - 1) + ", \"mcp\": {\"everything\": {\"type\": \"local\", \"command\": [\""
                + NpmServers.bin("mcp-server-everything") + "\"]}}}");
        bed.tmux = Tmux.start(bed.lathe.command(), bed.ws.path(), 120, 30);
        bed.tmux.awaitText("Ask anything", WAIT);

        // the server connects in the background: each new @ word asks for its resources again
        typeUntilOffered("@everything:archi", DOC);
        bed.tmux.sendKeys("Tab");
        bed.tmux.awaitText("› @" + DOC, WAIT);
        bed.llm.enqueue(Turn.of(Step.text("Summarised.")));
        bed.tmux.type("summarise");
        bed.tmux.sendKeys("Enter");
        bed.tmux.awaitText("Summarised.", WAIT);
        String architecture = Files.readString(NpmServers.bin("mcp-server-everything").toRealPath().getParent().resolve("docs/architecture.md"));
        assertThat(bed.llm.requests().getFirst().lastUserText()).contains("@" + DOC + " summarise")
                .contains("<resource uri=\"demo://resource/static/document/architecture.md\"").contains(architecture.lines().findFirst().orElseThrow());

        bed.llm.enqueue(Turn.of(Step.text("Simple enough.")));
        typeUntilOffered("/everything:simp", "/everything:simple-prompt");
        bed.tmux.sendKeys("Enter");
        bed.tmux.awaitText("Simple enough.", WAIT);
        assertThat(bed.llm.requests().get(1).lastUserText()).contains("This is a simple prompt without arguments.");
    }

    /** Types {@code text} until the completion list offers {@code offered}, clearing the line between tries. */
    private void typeUntilOffered(String text, String offered) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
        while (true) {
            bed.tmux.type(text);
            try {
                bed.tmux.awaitText(offered, Duration.ofSeconds(3));
                return;
            } catch (AssertionError e) {
                if (System.nanoTime() > deadline) throw e;
                bed.tmux.sendKeys("C-u");
                Thread.sleep(500);
            }
        }
    }
}
