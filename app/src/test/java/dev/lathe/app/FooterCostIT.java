package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.TempWorkspace;
import dev.lathe.testkit.Turn;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The footer's cost follows a turn step by step (issue 42's minor "the footer cost stays $0 during a turn"): the
 * catalog's priced Anthropic model, served by the fake model on loopback, reports usage with every response; while the
 * turn's second step waits on a slow command the footer already shows what the first step cost, and the whole turn's
 * cost when it ends.
 */
class FooterCostIT {
    static final Duration WAIT = Duration.ofSeconds(60);
    /** claude-sonnet-4-5 at the catalog's $3/M input and $15/M output: 100 input and 20 output tokens per response. */
    static final String ONE_STEP = "$0.0006";
    static final String TWO_STEPS = "$0.0012";

    @TempDir Path home;
    FakeLlm llm;
    TempWorkspace ws;
    Lathe lathe;
    Tmux tmux;

    @BeforeEach
    void setUp() throws Exception {
        llm = FakeLlm.start();
        ws = TempWorkspace.create().write("notes.txt", "alpha\n").initGitRepo();
        String config = "{\"model\": \"anthropic/claude-sonnet-4-5\", \"permission\": {\"*\": \"allow\", \"bash\": \"allow\"},"
                + " \"provider\": {\"anthropic\": {\"baseUrl\": \"" + llm.baseUrl() + "\", \"apiKey\": \"sk-footer\"}}}";
        lathe = new Lathe(home, config);
        tmux = Tmux.start(lathe.command(), ws.path(), 100, 30);
        tmux.awaitText("Ask anything", WAIT);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (tmux != null) tmux.close();
        if (lathe != null) lathe.stopDaemon();
        ws.close();
        llm.close();
    }

    @Test
    void theFooterCostGrowsWithEachStepWhileTheTurnRuns() throws Exception {
        llm.enqueue(Turn.of(Step.toolCall("c1", "bash", "{\"command\":\"sleep 6; echo slept\",\"description\":\"wait\"}")));
        llm.enqueue(Turn.of(Step.text("All done.")));
        String before = tmux.capture();
        assertThat(before).as("nothing spent yet").doesNotContain(ONE_STEP);

        tmux.type("wait a little").sendKeys("Enter");
        String during = tmux.await("the first step's cost while the command runs",
                s -> s.contains("Working…") && s.contains("sleep 6") && s.contains(ONE_STEP), WAIT);
        assertThat(during).doesNotContain("All done.");

        String after = tmux.awaitText("All done.", WAIT);
        tmux.await("both steps' cost", s -> s.contains(TWO_STEPS) && !s.contains("Working…"), WAIT);
        assertThat(Pattern.compile("\\$0\\.0000").matcher(after).find()).as("never back to zero").isFalse();
    }
}
