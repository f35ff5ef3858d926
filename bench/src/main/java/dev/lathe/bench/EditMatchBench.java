package dev.lathe.bench;

import dev.lathe.tools.builtin.edit.MatcherChain;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The {@code edit} tool's matcher chain on a 2,000-line Java file: an exact match (first matcher wins) and the same
 * block with its indentation and inner spacing changed, so the exact matcher misses and a whitespace-tolerant one
 * finds it. Score: edits/s.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class EditMatchBench {
    private String file;
    private String exactOld;
    private String tolerantOld;
    private final String replacement = "        int total = 0;\n        return total;\n";

    @Setup
    public void build() {
        var sb = new StringBuilder("package demo;\n\npublic final class Big {\n");
        int lines = 3;
        for (int m = 0; lines < 1_999; m++) {
            sb.append("    /** Method ").append(m).append(". */\n");
            sb.append("    public int method").append(m).append("(int a, int b) {\n");
            sb.append("        int x = a * ").append(m).append(" + b;\n");
            sb.append("        if (x > ").append(m * 3).append(") {\n");
            sb.append("            return x - ").append(m).append(";\n");
            sb.append("        }\n");
            sb.append("        return x;\n");
            sb.append("    }\n\n");
            lines += 9;
        }
        sb.append("}\n");
        file = sb.toString();
        int target = 180; // near the end of the file
        exactOld = "        int x = a * " + target + " + b;\n        if (x > " + target * 3 + ") {\n            return x - " + target + ";\n";
        tolerantOld = "    int x = a *  " + target + " + b;\n    if (x > " + target * 3 + ")  {\n        return x - " + target + ";\n";
        check(MatcherChain.replace(file, exactOld, replacement, false), "exact");
        check(MatcherChain.replace(file, tolerantOld, replacement, false), null);
    }

    private static void check(MatcherChain.Outcome outcome, String matcher) {
        if (!(outcome instanceof MatcherChain.Outcome.Replaced r) || (matcher != null && !r.matcher().equals(matcher))) {
            throw new IllegalStateException("benchmark input does not match as intended: " + outcome);
        }
    }

    @Benchmark
    public MatcherChain.Outcome exact() {
        return MatcherChain.replace(file, exactOld, replacement, false);
    }

    @Benchmark
    public MatcherChain.Outcome whitespaceTolerant() {
        return MatcherChain.replace(file, tolerantOld, replacement, false);
    }
}
