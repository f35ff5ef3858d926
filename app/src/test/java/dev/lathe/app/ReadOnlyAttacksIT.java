package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.TempWorkspace;
import dev.lathe.testkit.Turn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Issue 66, hole 2, end to end: the diff under review adds {@code pwn.sh}, a script that leaves a marker, and the model
 * runs it through every program-running option of the read-only list's programs ({@code sort --compress-program} and
 * its abbreviation, {@code find -exec}, {@code git -c … --ext-diff}, {@code rg --pre}, …) under {@code lathe review}
 * and under {@code lathe run --agent plan}. No marker appears; each call is refused, and the refusal is what the model
 * reads next or what ends the run (exit 3, never a hang: nobody answers an ask there).
 */
class ReadOnlyAttacksIT {
    @TempDir Path home;

    static final List<String> ATTACKS = List.of(
            "sort -S 64K -T . --compress-program=./pwn.sh big.txt",
            "sort -S 64K -T . --compress-prog=./pwn.sh big.txt",
            "sort -S 64K -T . --compress-program ./pwn.sh big.txt",
            "sort -S 64K -T . '--compress-program=./pwn.sh' -- big.txt",
            "timeout 60 sort -S 64K -T . --compress-program=./pwn.sh big.txt",
            "find . -name big.txt -exec ./pwn.sh {} +",
            "find . -name big.txt -execdir ./pwn.sh {} +",
            "git -c diff.external=./pwn.sh diff --ext-diff",
            "git -c core.pager=./pwn.sh -p log",
            "rg --pre ./pwn.sh Hello",
            "tar -cf out.tar --use-compress-program=./pwn.sh greet.py",
            "xargs -a big.txt -n 1 ./pwn.sh");

    /** The project of RunIT with a change that adds pwn.sh (executable, leaves MARKER) and a big file to sort. */
    private static TempWorkspace withScript() throws Exception {
        var ws = RunIT.project();
        ws.write("pwn.sh", "#!/bin/sh\necho pwned > \"$(dirname \"$0\")/MARKER\"\ncat\n");
        Files.setPosixFilePermissions(ws.resolve("pwn.sh"), PosixFilePermissions.fromString("rwxr-xr-x"));
        ws.write("big.txt", IntStream.range(0, 200_000).mapToObj(i -> Integer.toString((i * 7919) % 200_000)).collect(Collectors.joining("\n", "", "\n")));
        return ws;
    }

    private Lathe lathe(FakeLlm llm) {
        return new Lathe(home, Lathe.providerConfig("openai-chat", llm.baseUrl(), RunIT.KEY));
    }

    private static String call(String command) {
        return JsonNodeFactory.instance.objectNode().put("command", command).toString();
    }

    @Test
    void reviewRunsNoProgramThroughTheReadOnlyList() throws Exception {
        attack(ws -> List.of("review", "--dir", ws.path().toString(), "--format", "json"),
                List.of(Turn.of(Step.toolCall("call_report", "report_findings", "{\"findings\":[],\"summary\":\"done\"}")), Turn.of(Step.text("Reported."))));
    }

    @Test
    void thePlanAgentRunsNoProgramThroughTheReadOnlyList() throws Exception {
        attack(ws -> List.of("run", "--dir", ws.path().toString(), "--agent", "plan", "Plan the change"), List.of(Turn.of(Step.text("Here is the plan."))));
    }

    private void attack(java.util.function.Function<TempWorkspace, List<String>> command, List<Turn> after) throws Exception {
        try (var llm = FakeLlm.start(); var ws = withScript()) {
            for (String attack : ATTACKS) {
                llm.reset();
                llm.forgetRequests();
                llm.enqueue(Turn.of(Step.toolCall("call_attack", "bash", call(attack))));
                after.forEach(llm::enqueue);

                var r = lathe(llm).run(command.apply(ws).toArray(String[]::new));

                assertThat(Files.exists(ws.resolve("MARKER"))).as("pwn.sh ran through `" + attack + "`\n" + r.stderr()).isFalse();
                assertThat(r.stderr()).as(attack).doesNotContain("Exception");
                var requests = llm.requests();
                if (requests.size() > 1) {
                    // the turn went on: the model read the refusal as the call's result
                    assertThat(requests.get(1).toolResult("call_attack")).as(attack).hasValueSatisfying(
                            t -> assertThat(t.toLowerCase(java.util.Locale.ROOT)).containsAnyOf("denied", "rejected", "refused", "not read-only"));
                } else {
                    // the refusal ended the run (DESIGN §3: lathe run's asks are rejected, exit 3)
                    assertThat(r.exit()).as(attack + "\n" + r.stderr()).isEqualTo(3);
                }
            }
        }
    }
}
