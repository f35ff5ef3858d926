package dev.lathe.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.Yaml;

/**
 * The {@code run:} steps of a composite action ({@code action.yml}) run as a GitHub runner runs them: each with
 * {@code bash --noprofile --norc -eo pipefail}, its {@code env:} filled in from the action's inputs and the outputs of
 * earlier steps, a {@code GITHUB_OUTPUT} file of its own, the job's {@code GITHUB_PATH}, and {@code GITHUB_ACTION_PATH}
 * the action's folder. {@code uses:} steps (the cache) are left out, as on a cache miss. Only the expressions the
 * action holds are understood; any other makes the run fail, so the test is updated with the action.
 */
final class CompositeActionRun {
    private static final Pattern EXPRESSION = Pattern.compile("\\$\\{\\{\\s*([^}]*?)\\s*}}");
    private static final Pattern NOT_EMPTY = Pattern.compile("inputs\\.([\\w-]+) != ''");

    record Step(String id, int exit, String stderr) {}

    record Result(List<Step> steps, Map<String, Map<String, String>> outputs) {
        Step last() { return steps.getLast(); }

        boolean succeeded() { return steps.stream().allMatch(s -> s.exit() == 0); }
    }

    private final Path actionDir;
    private final Map<String, Object> action;

    CompositeActionRun(Path actionDir) throws IOException {
        this.actionDir = actionDir;
        this.action = new Yaml().load(Files.readString(actionDir.resolve("action.yml")));
    }

    Map<String, Object> action() { return action; }

    /** Runs the steps in order until one fails; {@code job} is the runner's environment (RUNNER_*, GITHUB_PATH, ...). */
    @SuppressWarnings("unchecked")
    Result run(Map<String, String> with, Map<String, String> job, Path scratch) throws Exception {
        var inputs = new HashMap<String, String>();
        ((Map<String, Map<String, Object>>) action.get("inputs")).forEach((name, spec) -> inputs.put(name, String.valueOf(spec.getOrDefault("default", ""))));
        for (String name : with.keySet()) {
            if (!inputs.containsKey(name)) throw new IllegalArgumentException("the action has no input " + name);
        }
        inputs.putAll(with);
        var outputs = new LinkedHashMap<String, Map<String, String>>();
        var steps = new ArrayList<Step>();
        List<Map<String, Object>> declared = (List<Map<String, Object>>) ((Map<String, Object>) action.get("runs")).get("steps");
        int n = 0;
        for (Map<String, Object> step : declared) {
            String id = String.valueOf(step.getOrDefault("id", "step" + n++));
            if (step.containsKey("uses")) continue;
            if (step.containsKey("if") && !condition(String.valueOf(step.get("if")), inputs)) continue;
            Path output = Files.createTempFile(scratch, "output", "");
            var env = new HashMap<>(job);
            env.put("GITHUB_OUTPUT", output.toString());
            env.put("GITHUB_ACTION_PATH", actionDir.toString());
            Map<String, Object> stepEnv = (Map<String, Object>) step.getOrDefault("env", Map.of());
            stepEnv.forEach((name, value) -> env.put(name, expand(String.valueOf(value), inputs, outputs, job)));
            Path script = Files.createTempFile(scratch, "step", ".sh");
            Files.writeString(script, String.valueOf(step.get("run")));
            var pb = new ProcessBuilder("bash", "--noprofile", "--norc", "-eo", "pipefail", script.toString())
                    .directory(scratch.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD);
            pb.environment().clear();
            pb.environment().put("PATH", System.getenv("PATH"));
            pb.environment().putAll(env);
            Path stderr = Files.createTempFile(scratch, "stderr", "");
            pb.redirectError(stderr.toFile());
            Process process = pb.start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("step " + id + " did not end in 60 s");
            }
            outputs.put(id, readOutputs(output));
            steps.add(new Step(id, process.exitValue(), Files.readString(stderr)));
            if (process.exitValue() != 0) break;
        }
        return new Result(steps, outputs);
    }

    private static boolean condition(String expression, Map<String, String> inputs) {
        Matcher m = NOT_EMPTY.matcher(expression.strip());
        if (!m.matches()) throw new IllegalArgumentException("CompositeActionRun does not understand if: " + expression);
        return !inputs.getOrDefault(m.group(1), "").isEmpty();
    }

    private static String expand(String value, Map<String, String> inputs, Map<String, Map<String, String>> outputs, Map<String, String> job) {
        Matcher m = EXPRESSION.matcher(value);
        var out = new StringBuilder();
        while (m.find()) {
            String expression = m.group(1);
            String[] parts = expression.split("\\.");
            String replacement;
            if (parts.length == 2 && parts[0].equals("inputs")) {
                if (!inputs.containsKey(parts[1])) throw new IllegalArgumentException("no input " + parts[1]);
                replacement = inputs.get(parts[1]);
            } else if (parts.length == 4 && parts[0].equals("steps") && parts[2].equals("outputs")) {
                if (!outputs.containsKey(parts[1])) throw new IllegalArgumentException("no earlier step " + parts[1]);
                replacement = outputs.get(parts[1]).getOrDefault(parts[3], "");
            } else if (expression.equals("github.action_ref")) {
                replacement = job.getOrDefault("GITHUB_ACTION_REF", "");
            } else {
                throw new IllegalArgumentException("CompositeActionRun does not understand ${{ " + expression + " }}");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** {@code name=value} lines, and GitHub's {@code name<<DELIMITER} blocks. */
    static Map<String, String> readOutputs(Path file) throws IOException {
        var values = new LinkedHashMap<String, String>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int heredoc = line.indexOf("<<");
            int equals = line.indexOf('=');
            if (heredoc > 0 && (equals < 0 || heredoc < equals)) {
                String delimiter = line.substring(heredoc + 2);
                var value = new StringBuilder();
                while (++i < lines.size() && !lines.get(i).equals(delimiter)) value.append(value.isEmpty() ? "" : "\n").append(lines.get(i));
                values.put(line.substring(0, heredoc), value.toString());
            } else if (equals > 0) {
                values.put(line.substring(0, equals), line.substring(equals + 1));
            }
        }
        return values;
    }
}
