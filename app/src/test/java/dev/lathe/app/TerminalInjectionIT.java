package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.TempWorkspace;
import dev.lathe.testkit.Turn;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Terminal injection end to end (issue 25): a tool's output and a file name carry an OSC 52 clipboard write, an OSC 0
 * title and a right-to-left override; the packaged terminal UI in a real terminal (tmux, which obeys OSC 52 and OSC 0
 * when told to) shows them escaped, and the pane's title and tmux's clipboard buffers are unchanged.
 */
class TerminalInjectionIT {
    static final Duration WAIT = Duration.ofSeconds(30);
    static final String RLO = "\u202E";
    /** The clipboard payload: "pwned", base64. */
    static final String OSC52 = "\u001b]52;c;cHduZWQ=\u0007";

    @TempDir Path home;
    Lathe lathe;
    Tmux tmux;

    @AfterEach
    void tearDown() {
        if (tmux != null) tmux.close();
        if (lathe != null) lathe.stopDaemon();
    }

    @Test
    void escapesAndBidiOverridesFromToolOutputFileNamesAndTheModelAreShownNeverObeyed() throws Exception {
        try (var llm = FakeLlm.start(); var ws = TempWorkspace.create()) {
            ws.write("invoice" + RLO + "fdp.exe", "totals\n").initGitRepo();
            // bash prints the escapes itself (printf's octal), so the tool output carries the raw bytes; ls lists the file name
            String command = "printf 'before\\033]52;c;cHduZWQ=\\007\\033]0;PWNED\\007after\\n'; ls";
            llm.enqueue(Turn.of(Step.text("Running it."), Step.toolCall("c1", "bash", "{\"command\":\"" + command.replace("\\", "\\\\") + "\"}")));
            llm.enqueue(Turn.of(Step.text("Done: model text " + OSC52 + "and an override " + RLO + "gnp.exe end.")));
            lathe = new Lathe(home, Lathe.providerConfig("anthropic-messages", llm.baseUrl(), "sk-tui")
                    .replaceFirst("\\{", "{\"permission\": {\"*\": \"allow\", \"bash\": \"allow\"}, "));
            tmux = Tmux.start(lathe.command(), ws.path(), 120, 40);
            // tmux obeys an application's OSC 52 with set-clipboard on: a raw one would make a paste buffer
            tmux.query("set-option", "-g", "set-clipboard", "on");
            tmux.query("set-option", "-g", "allow-rename", "on");
            tmux.awaitText("Ask anything", WAIT);
            String titleBefore = tmux.paneTitle();

            tmux.type("run the script");
            tmux.sendKeys("Enter");
            String screen = tmux.awaitText("gnp.exe end.", WAIT);

            assertThat(screen).as("the model's text").contains("model text ␛]52;c;cHduZWQ=␇and an override <U+202E>gnp.exe end.");
            assertThat(screen).as("the tool's output").contains("before␛]52;c;cHduZWQ=␇␛]0;PWNED␇after");
            assertThat(screen).as("the file name").contains("invoice<U+202E>fdp.exe");
            assertThat(screen).doesNotContain(RLO);
            assertThat(tmux.paneTitle()).as("no OSC 0 reached the terminal").isEqualTo(titleBefore).doesNotContain("PWNED");
            assertThat(tmux.query("list-buffers")).as("no OSC 52 reached the terminal").isBlank();
        }
    }

    @Test
    void latheRunOnATerminalShowsThemEscapedAndRedirectedKeepsTheDataExact() throws Exception {
        try (var llm = FakeLlm.start(); var ws = TempWorkspace.create()) {
            ws.write("a.txt", "alpha\n").initGitRepo();
            String answer = "answer " + OSC52 + "and " + RLO + "gnp.exe end.";
            // a UTF-8 locale, so the redirected output can carry the override at all (a C locale prints '?')
            lathe = new Lathe(home, Lathe.providerConfig("anthropic-messages", llm.baseUrl(), "sk-run")).withEnv("LANG", "C.UTF-8")
                    .withEnv("LC_ALL", "C.UTF-8");

            llm.enqueue(Turn.of(Step.text(answer)));
            var redirected = lathe.run("run", "--dir", ws.path().toString(), "hello");
            assertThat(redirected.exit()).as(redirected.stderr()).isZero();
            assertThat(redirected.stdout()).as("a file gets the data as it is").contains(answer);

            llm.enqueue(Turn.of(Step.text(answer)));
            tmux = Tmux.start(lathe.command("run", "--dir", ws.path().toString(), "hello again"), ws.path(), 120, 20);
            tmux.query("set-option", "-g", "set-clipboard", "on");
            tmux.query("set-option", "-g", "allow-rename", "on");
            String titleBefore = tmux.paneTitle();
            assertThat(tmux.awaitExit(WAIT)).isZero();
            assertThat(tmux.capture()).contains("answer \u241b]52;c;cHduZWQ=\u2407and <U+202E>gnp.exe end.").doesNotContain(RLO);
            assertThat(tmux.paneTitle()).isEqualTo(titleBefore);
            assertThat(tmux.query("list-buffers")).isBlank();
        }
    }
}
