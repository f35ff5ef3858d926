package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.TempWorkspace;
import dev.lathe.testkit.Turn;
import java.nio.file.Files;
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
 * command the first response asked for still runs, the footer already shows what that response cost (the server
 * announces an answer's cost so far when a response ends, not when its tools end), and the whole turn's cost when it
 * ends. The command waits for a file the test writes once it saw the figure: a window the test could miss on a slow
 * machine (the first version slept 6 s and caught the figure only between the command's end and the next response)
 * does not exist.
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
        // the command runs until the test has seen the first step's cost: nothing here depends on how fast the machine is
        llm.enqueue(Turn.of(Step.toolCall("c1", "bash", "{\"command\":\"until [ -e release ]; do sleep 0.1; done; echo released\",\"description\":\"wait\"}")));
        llm.enqueue(Turn.of(Step.text("All done.")));
        String before = tmux.capture();
        assertThat(before).as("nothing spent yet").doesNotContain(ONE_STEP);

        tmux.type("wait a little").sendKeys("Enter");
        String during = tmux.await("the first step's cost while the command runs",
                s -> s.contains("Working…") && s.contains("until [ -e release ]") && s.contains(ONE_STEP), WAIT);
        assertThat(during).doesNotContain("All done.");
        Files.writeString(ws.path().resolve("release"), "");

        String after = tmux.awaitText("All done.", WAIT);
        tmux.await("both steps' cost", s -> s.contains(TWO_STEPS) && !s.contains("Working…"), WAIT);
        assertThat(Pattern.compile("\\$0\\.0000").matcher(after).find()).as("never back to zero").isFalse();
    }
}
