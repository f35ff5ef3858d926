package dev.lathe.core.permission;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.core.agent.BuiltinAgents;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The read-only command list of plan, explore and review, decided option by option (DESIGN §26, issue 66): what only
 * looks is allowed, every option that runs a program or writes a file falls to the agent's {@code bash: *} deny, and
 * the reason names the option.
 */
class ReadOnlyListTest {
    @TempDir Path project;

    /** The read-only agents' rules over a project that allows every read (as AgentLoaderTest's plan test). */
    static PermissionDecider readOnlyAgent(Path project) {
        Ruleset rules = new Ruleset(List.of(new Rule("read", "*", Action.ALLOW))).forAgent(BuiltinAgents.READ_ONLY_RULES);
        return new PermissionDecider(rules, project, project.resolve("home"));
    }

    private Decision decide(String line) throws Exception {
        Files.writeString(project.resolve("big.txt"), "b\na\n");
        Files.createDirectories(project.resolve("src"));
        return readOnlyAgent(project).bash(line, project);
    }

    @Test
    void whatOnlyLooksIsAllowed() throws Exception {
        for (String line : List.of("sort -S 64K -T . big.txt", "sort -rn -k 2,2 big.txt", "ls -la src", "cat -n big.txt | sort | head -n 3",
                "git log --oneline -5", "timeout 5 sort -n big.txt", "nice -n 5 ls", "git diff --stat", "git diff --no-ext-diff -a", "git show HEAD --format=%H",
                "find src -name '*.java' -type f -print", "grep -rn foo src", "rg -n --glob '*.java' foo src", "wc -l big.txt",
                "tail -n +2 big.txt", "head -5 big.txt", "du -sh src", "cut -d, -f1 big.txt", "realpath --relative-to=src big.txt",
                "sort src/*.txt", "sort -- *")) {
            assertThat(decide(line).action()).as(line).isEqualTo(Action.ALLOW);
        }
    }

    @Test
    void theReportedAttackAndItsSpellingsAreDeniedNamingTheOption() throws Exception {
        Decision d = decide("sort -S 64K -T . --compress-program=./pwn.sh big.txt");
        assertThat(d.action()).isEqualTo(Action.DENY);
        assertThat(d.reason()).contains("not read-only").contains("--compress-program");
        for (String line : List.of("sort --compress-prog=./pwn.sh big.txt", "sort --compress-program ./pwn.sh big.txt", "sort '--compress-program=./pwn.sh' big.txt",
                "sort \\--compress-program=./pwn.sh big.txt", "sort -S 64K --co=./pwn.sh big.txt", "sort -o out.txt big.txt", "sort -nro out.txt big.txt",
                "sort -nroout.txt big.txt", "sort --output=out.txt big.txt", "sort --out=x big.txt", "timeout 5 sort --compress-program=./pwn.sh big.txt",
                "cat $(sort --compress-program=./pwn.sh big.txt)", "cat <(sort --compress-program=./pwn.sh big.txt)", "ls && sort --compress-program=x big.txt",
                "find . -exec ./pwn.sh {} ;", "find . -execdir ./pwn.sh {} +", "find . -ok ./pwn.sh {} ;", "find . -fprint out", "find . -fls out",
                "find . -fprintf out %p", "find . -delete", "find . -name *.txt", "git -c core.pager=./pwn.sh log", "git --config-env=core.pager=X log",
                "git -C .. log", "git -p log", "git --exec-path=. log", "git diff --ext-diff", "git diff --ext", "git log --output=x",
                "git log --outp=x", "git show --textconv", "git blame --textc big.txt", "git config core.pager x", "git push",
                "rg --pre ./pwn.sh foo", "rg --pre=./pwn.sh foo", "rg --pre-glob '*' foo", "rg -iz foo", "rg --hostname-bin=./pwn.sh foo",
                "xargs cat", "env cat big.txt", "env -a ls sort --compress-program=x big.txt", "time -o out sort big.txt", "timeout -s KILL 5 env sort big.txt", "awk '{print}' big.txt", "sed -n p big.txt", "tar -tf x.tar", "less big.txt", "ssh host",
                "python3 -c 'print(1)'", "date -s now", "echo hi", "tail -f big.txt", "wc --files0-from=big.txt", "diff -l big.txt big.txt",
                "cat $X", "sort big.txt > out.txt", "GIT_PAGER=./pwn.sh git log", "sort 'big.txt")) {
            assertThat(decide(line).action()).as(line).isNotEqualTo(Action.ALLOW);
        }
    }

    @Test
    void aGlobThatWouldExpandToAFileNamedLikeAnOptionIsNotReadOnly() throws Exception {
        Files.writeString(project.resolve("--compress-program=pwn.sh"), "");
        Decision d = decide("sort *");
        assertThat(d.action()).isEqualTo(Action.DENY);
        assertThat(d.reason()).contains("--compress-program=pwn.sh");
        assertThat(decide("sort -- *").action()).isEqualTo(Action.ALLOW);
    }

    @Test
    void anAgentsOwnRulesStillDecideWhatIsNotReadOnly() throws Exception {
        var asks = List.of(new Rule("bash", "*", Action.ASK));
        Ruleset rules = new Ruleset(List.of(new Rule("read", "*", Action.ALLOW))).forAgent(BuiltinAgents.READ_ONLY_RULES).forAgent(asks);
        Files.writeString(project.resolve("big.txt"), "x\n");
        var d = new PermissionDecider(rules, project, project.resolve("home")).bash("sort --compress-program=./pwn.sh big.txt", project);
        assertThat(d.action()).isEqualTo(Action.ASK);
        assertThat(d.reason()).contains("--compress-program");
        // a user's own allow rule for sort (not a read-only list) keeps its meaning; the hazard table still asks
        var own = new PermissionDecider(new Ruleset(List.of(new Rule("read", "*", Action.ALLOW), new Rule("bash", "sort *", Action.ALLOW))), project, project);
        assertThat(own.bash("sort -o out.txt big.txt", project).action()).isEqualTo(Action.ASK);
        assertThat(own.bash("sort --compress-prog=./pwn.sh big.txt", project).action()).isEqualTo(Action.ASK);
        assertThat(own.bash("sort -n big.txt", project).action()).isEqualTo(Action.ALLOW);
    }
}
