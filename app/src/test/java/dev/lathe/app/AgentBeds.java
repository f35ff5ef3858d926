package dev.lathe.app;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.ScreenshotAnimations;
import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.RecordedRequest;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.Turn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * What the agent-team and background-agent ITs share ({@link AgentTeamTerminalIT}, {@link WebAgentTeamIT},
 * {@link AgentsTerminalIT}, {@link WebBackgroundAgentsIT}): the gate a scripted agent waits at, the fake model's
 * script of a lead and its team, the configuration that allows teams, the terminal UI opened on a bed, waiting for a
 * condition, and the screenshots kept beside the reports.
 */
final class AgentBeds {
    /** How long a terminal test waits for a screen. */
    static final Duration WAIT = Duration.ofSeconds(90);

    private AgentBeds() {}

    /** Waits until the test opens {@code gate}: true then, false when it never did (the agent answers "late"). */
    static boolean open(CountDownLatch gate) {
        try {
            return gate.await(120, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** A step that calls {@code tool} and ends the model's response there. */
    static Turn call(String id, String tool, String args) { return Turn.of(Step.toolCall(id, tool, args)).finish("tool_calls"); }

    /** Whether the request is team member {@code name}'s (its introduction names it). */
    static boolean isMember(RecordedRequest r, String name) { return r.body().contains("You are " + name + ", a member"); }

    /**
     * The team "fixers" on {@code llm}: the lead calls {@code team_create} (ana, bo), adds task 1 titled
     * {@code "find the bug " + title} and task 2 "fix it" after it, sends {@code message} to everyone and answers
     * LEAD-WAITING. Bo answers BO-READY. Ana waits at {@code anaGoes}, then claims and completes task 1 and sends the lead
     * {@code "ANA-FOUND-IT in " + file}, which the lead answers LEAD-HEARD-ANA. {@code title} and {@code message} are
     * put in the tool calls' JSON as they are (escape them for it).
     */
    static void scriptTeam(FakeLlm llm, CountDownLatch anaGoes, String title, String message, String file) {
        llm.respondWith(r -> {
            if (isMember(r, "ana")) {
                if (r.toolResult("a1").isEmpty()) return open(anaGoes) ? call("a1", "team_tasks", "{\"op\":\"claim\",\"id\":1}") : Turn.of(Step.text("late"));
                if (r.toolResult("a2").isEmpty()) return call("a2", "team_tasks", "{\"op\":\"update\",\"id\":1,\"status\":\"completed\"}");
                if (r.toolResult("a3").isEmpty()) return call("a3", "send_message", "{\"to\":\"lead\",\"text\":\"ANA-FOUND-IT in " + file + "\"}");
                return Turn.of(Step.text("ANA-DONE"));
            }
            if (isMember(r, "bo")) return Turn.of(Step.text("BO-READY"));
            if (r.lastUserText().contains("from=\"ana\"")) return Turn.of(Step.text("LEAD-HEARD-ANA"));
            if (r.toolResult("c1").isEmpty()) {
                return call("c1", "team_create", "{\"name\":\"fixers\",\"members\":[{\"name\":\"ana\",\"prompt\":\"Find the bug.\"},"
                        + "{\"name\":\"bo\",\"prompt\":\"Fix the bug.\"}]}");
            }
            if (r.toolResult("c2").isEmpty()) return call("c2", "team_tasks", "{\"op\":\"add\",\"title\":\"find the bug " + title + "\"}");
            if (r.toolResult("c3").isEmpty()) return call("c3", "team_tasks", "{\"op\":\"add\",\"title\":\"fix it\",\"dependsOn\":[1]}");
            if (r.toolResult("c4").isEmpty()) return call("c4", "send_message", "{\"to\":\"*\",\"text\":\"" + message + "\"}");
            return Turn.of(Step.text("LEAD-WAITING"));
        });
    }

    /** The fake model's provider configuration ({@code apiKey} its key), with {@code extra} (a JSON object's members) added. */
    static String config(FakeLlm llm, String apiKey, String extra) {
        String provider = Lathe.providerConfig("openai-chat", llm.baseUrl(), apiKey);
        return extra.isEmpty() ? provider : provider.replaceFirst("\\}\\s*$", ", " + extra + "}");
    }

    /** Allows teams of up to three members ({@code agents.maxTeamMembers}). */
    static final String TEAMS = "\"agents\": {\"maxTeamMembers\": 3}";

    /** The terminal UI opened on the bed's repository with {@code config}, its prompt box shown. */
    static Tmux openTerminal(TuiBed bed, Path home, String config, int width, int height) throws Exception {
        bed.lathe = new Lathe(home, config);
        bed.tmux = Tmux.start(bed.lathe.command(), bed.ws.path(), width, height);
        bed.tmux.awaitText("Ask anything", WAIT);
        return bed.tmux;
    }

    /** Waits up to a minute for {@code condition}; the failure says {@code state}. */
    static void await(BooleanSupplier condition, Supplier<String> state) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("condition not met in time: " + state.get());
            Thread.sleep(50);
        }
    }

    /** The page as a PNG beside the test's reports, to look at. */
    static void shot(Page page, String name) throws Exception {
        page.screenshot(new Page.ScreenshotOptions().setPath(screenshots().resolve(name)).setAnimations(ScreenshotAnimations.DISABLED));
    }

    /** The terminal's screen as text beside the test's reports, to look at. */
    static void shot(Tmux tmux, String name) throws Exception {
        Files.writeString(screenshots().resolve(name), tmux.capture());
    }

    private static Path screenshots() throws Exception {
        return Files.createDirectories(Path.of("target", "screenshots"));
    }
}
