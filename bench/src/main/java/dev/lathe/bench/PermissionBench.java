package dev.lathe.bench;

import dev.lathe.core.permission.Action;
import dev.lathe.core.permission.PermissionDecider;
import dev.lathe.core.permission.Rule;
import dev.lathe.core.permission.Ruleset;
import dev.lathe.core.permission.bash.BashAnalyzer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Bash parsing (tree-sitter) of a compound command line, and the whole permission decision for it against a 30-rule
 * ruleset. Score: commands/s.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class PermissionBench {
    static final String COMMAND = "cd src && grep -rn foo . | head -5 && git status";

    private final Path project = Path.of("/work/project");
    private final Path home = Path.of("/home/user");
    private PermissionDecider decider;

    @Setup
    public void build() {
        List<Rule> rules = new ArrayList<>();
        rules.add(new Rule("*", "*", Action.ASK));
        rules.add(new Rule("read", "*", Action.ALLOW));
        rules.add(new Rule("read", "*.env", Action.DENY));
        rules.add(new Rule("edit", "*", Action.ASK));
        rules.add(new Rule("edit", "src/**", Action.ALLOW));
        rules.add(new Rule("edit", "docs/**", Action.ALLOW));
        rules.add(new Rule("webfetch", "*", Action.ASK));
        rules.add(new Rule("bash", "*", Action.ASK));
        for (String allowed : List.of("ls *", "cat *", "head *", "tail *", "wc *", "grep *", "rg *", "find *", "git status*",
                "git diff*", "git log*", "git show*", "mvn *", "./mvnw *", "npm test*", "echo *", "pwd", "cd *")) {
            rules.add(new Rule("bash", allowed, Action.ALLOW));
        }
        for (String denied : List.of("rm -rf /*", "git push*", "curl *", "sudo *")) {
            rules.add(new Rule("bash", denied, Action.DENY));
        }
        if (rules.size() != 30) throw new IllegalStateException("expected 30 rules, got " + rules.size());
        decider = new PermissionDecider(new Ruleset(rules), project, home);
    }

    @Benchmark
    public Object parseBash() {
        return BashAnalyzer.analyze(COMMAND, project, home);
    }

    @Benchmark
    public Object decideBash() {
        return decider.bash(COMMAND, project);
    }
}
