package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.testkit.RecordedRequest;
import dev.lathe.testkit.Step;
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
 * A key is enough: no {@code "model"} anywhere, only {@code ANTHROPIC_API_KEY} in the environment. The user's own config
 * points the catalog's Anthropic provider at the fake model on loopback (its {@code baseUrl}, nothing else), so the
 * default model Lathe picks from the catalog is asked there, with that key.
 */
class KeyOnlyIT {
    static final Duration WAIT = Duration.ofSeconds(20);
    static final String KEY = "sk-ant-key-only-123456";

    @TempDir Path home;
    TuiBed bed;

    @BeforeEach
    void setUp() throws Exception {
        bed = TuiBed.start("alpha\n");
        bed.lathe = new Lathe(home, "{}");
    }

    /** The user's global config: the catalog's Anthropic provider at the fake model, no model, no key. */
    private Path pointAnthropicAtTheFake() throws Exception {
        Path global = home.resolve("config/lathe/lathe.json");
        Files.createDirectories(global.getParent());
        Files.writeString(global, "{\"provider\": {\"anthropic\": {\"baseUrl\": \"" + bed.llm.baseUrl() + "\"}}}\n");
        return global;
    }

    @AfterEach
    void tearDown() {
        if (bed != null) bed.close();
    }

    @Test
    void latheRunCompletesATaskWithOnlyAKeyAndSaysWhichModelItPicked() throws Exception {
        pointAnthropicAtTheFake();
        // the bare command's words without a terminal: no daemon started, a usage error that points at lathe run
        var piped = bed.lathe.run(bed.ws.path().toString(), "--model", "anthropic/claude-sonnet-4-5", "explain", "this");
        assertThat(piped.exit()).isEqualTo(2);
        assertThat(piped.stderr()).contains("need the terminal UI").contains("lathe run");
        var typo = bed.lathe.run("sesions");
        assertThat(typo.exit()).isEqualTo(2);
        assertThat(typo.stderr()).contains("did you mean 'lathe sessions'");
        assertThat(Files.exists(bed.lathe.serverJson())).as("no daemon was started for them (checked first: lathe run may start one)").isFalse();

        var none = bed.lathe.run("run", "--dir", bed.ws.path().toString(), "hello");
        assertThat(none.exit()).as("no key: nothing usable").isEqualTo(2);
        assertThat(none.stderr()).contains("no model configured and no provider key found").contains(home.resolve("config/lathe/lathe.json").toString())
                .contains("/model").contains("--model").contains("lathe auth login");
        assertThat(bed.llm.requests()).isEmpty();

        bed.lathe.withEnv("ANTHROPIC_API_KEY", KEY);
        bed.llm.enqueue(Turn.of(Step.toolCall("c1", "read", "{\"path\":\"notes.txt\"}")));
        bed.llm.enqueue(Turn.of(Step.text("The file says alpha.")));
        var r = bed.lathe.run("run", "--dir", bed.ws.path().toString(), "what does notes.txt say?");

        assertThat(r.exit()).as(r.stderr()).isZero();
        assertThat(r.stdout()).contains("The file says alpha.");
        assertThat(r.stderr()).containsPattern("lathe: model anthropic/claude-sonnet-[\\w.-]+");
        assertThat(bed.llm.requests()).hasSize(2);
        RecordedRequest first = bed.llm.requests().getFirst();
        assertThat(first.path()).isEqualTo("/v1/messages");
        assertThat(first.model()).startsWith("claude-sonnet-");
        assertThat(first.headers()).containsEntry("x-api-key", KEY);
        assertThat(bed.llm.requests().get(1).toolResult("c1")).hasValueSatisfying(t -> assertThat(t).contains("alpha"));

        var models = bed.lathe.run("models", "anthropic", "--dir", bed.ws.path().toString());
        assertThat(models.stdout()).containsPattern("anthropic/" + first.model() + " .*key: environment  \\(default\\)");
    }

    @Test
    void theTerminalUiOpensTheFolderGivenSendsThePromptGivenAndShowsThePickedModel() throws Exception {
        pointAnthropicAtTheFake();
        bed.lathe.withEnv("ANTHROPIC_API_KEY", KEY);
        bed.llm.enqueue(Turn.of(Step.text("Hello from the default model.")));
        bed.llm.enqueue(Turn.of(Step.text("Second answer.")));
        // started elsewhere: the folder comes from the command line, then the prompt
        bed.tmux = Tmux.start(bed.lathe.command(bed.ws.path().toString(), "say", "hello"), home, 100, 30);

        String answered = bed.tmux.awaitText("Hello from the default model.", WAIT);
        assertThat(answered).containsPattern(Pattern.compile("build · anthropic/claude-sonnet-[\\w.-]+"));
        assertThat(bed.llm.requests().getFirst().lastUserText()).startsWith("say hello");
        assertThat(bed.llm.requests().getFirst().headers()).containsEntry("x-api-key", KEY);

        bed.tmux.await("the idle screen", s -> s.contains("Ask anything"), WAIT);
        bed.tmux.type("and again").sendKeys("Enter");
        bed.tmux.awaitText("Second answer.", WAIT);
        assertThat(bed.llm.requests()).hasSize(2);
        assertThat(bed.lathe.run("sessions", "--dir", bed.ws.path().toString(), "--format", "json").stdout())
                .contains(bed.ws.path().toRealPath().toString()).contains("anthropic/claude-sonnet-");
    }

    @Test
    void withNothingUsableTheUiOpensTheModelPickerAndKeepsThePromptThatCannotRun() throws Exception {
        bed.tmux = Tmux.start(bed.lathe.command(), bed.ws.path(), 100, 30);

        String first = bed.tmux.awaitText("No model yet", WAIT);
        assertThat(first).contains("no provider has a key yet").containsPattern(Pattern.compile("› anthropic/"));
        assertThat(first).as("chat models only").doesNotContain("text-embedding");
        bed.tmux.type("claude-sonnet-4-5");
        bed.tmux.awaitText("anthropic/claude-sonnet-4-5", WAIT);
        bed.tmux.sendKeys("Escape");
        // a key right after Escape would read as Alt+key
        bed.tmux.await("the picker closed", s -> !s.contains("esc close"), WAIT);
        Thread.sleep(300);

        bed.tmux.type("fix the bug").sendKeys("Enter");
        String refused = bed.tmux.awaitText("no model configured", WAIT);
        assertThat(refused).contains("/model");
        assertThat(refused).as("the prompt is still in the input").containsPattern(Pattern.compile("(?m)^› fix the bug"));
        // the picker opened again; choosing a model without a key warns at once
        bed.tmux.type("anthropic/claude-sonnet-4-5");
        bed.tmux.await("the filtered picker", s -> s.contains("› anthropic/claude-sonnet-4-5"), WAIT);
        bed.tmux.sendKeys("Enter");
        String warned = bed.tmux.awaitText("anthropic has no key", WAIT);
        assertThat(warned).contains("lathe auth login anthropic");
        assertThat(bed.llm.requests()).isEmpty();
    }

    /** Issue 42: {@code /connect PROVIDER} takes an API key in the terminal UI, shown as dots and kept nowhere but the key file. */
    @Test
    void connectTakesAnApiKeyInTheTerminalUi() throws Exception {
        pointAnthropicAtTheFake();
        bed.llm.enqueue(Turn.of(Step.text("Hello with the saved key.")));
        bed.tmux = Tmux.start(bed.lathe.command(), bed.ws.path(), 100, 30);
        bed.tmux.awaitText("No model yet", WAIT);
        bed.tmux.sendKeys("Escape");
        bed.tmux.await("the picker closed", s -> !s.contains("esc close"), WAIT);
        Thread.sleep(300); // a key right after Escape would read as Alt+key

        bed.tmux.type("/connect anthropic").sendKeys("Enter");
        bed.tmux.awaitText("API key for anthropic", WAIT);
        bed.tmux.type(KEY);
        bed.tmux.awaitText("•".repeat(KEY.length()), WAIT);
        assertThat(bed.tmux.capture()).doesNotContain(KEY);
        bed.tmux.sendKeys("Enter");
        bed.tmux.awaitText("Saved a key for anthropic", WAIT);
        assertThat(bed.tmux.capture()).doesNotContain(KEY);

        bed.tmux.type("say hello").sendKeys("Enter");
        bed.tmux.awaitText("Hello with the saved key.", WAIT);
        assertThat(bed.llm.requests().getFirst().headers()).containsEntry("x-api-key", KEY);
        assertThat(bed.tmux.capture()).doesNotContain(KEY);
    }
}
