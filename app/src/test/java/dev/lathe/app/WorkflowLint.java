package dev.lathe.app;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The checks a GitHub Actions linter makes that matter to Lathe's workflows and its Action, over the parsed YAML: each
 * {@code uses:} pinned to a full commit (a tag can be moved), each job with its own {@code permissions:}, no
 * {@code ${{ }}} spliced into a {@code run:} script (the script-injection class: values go through {@code env:}),
 * {@code needs}, {@code steps.ID} and {@code needs.JOB.outputs.NAME} naming what exists, a composite action's
 * {@code run:} steps with a {@code shell:} and its {@code inputs.NAME} declared. Returns the problems, one line each.
 */
final class WorkflowLint {
    private static final Pattern PINNED = Pattern.compile("[A-Za-z0-9_.-]+/[A-Za-z0-9_./-]+@[0-9a-f]{40}");
    private static final Pattern EXPRESSION = Pattern.compile("\\$\\{\\{(.*?)}}", Pattern.DOTALL);
    private static final Pattern STEP_OUTPUT = Pattern.compile("\\bsteps\\.([A-Za-z0-9_-]+)\\.outputs\\.");
    private static final Pattern NEEDS_OUTPUT = Pattern.compile("\\bneeds\\.([A-Za-z0-9_-]+)\\.outputs\\.([A-Za-z0-9_-]+)");
    private static final Pattern INPUT = Pattern.compile("\\binputs\\.([A-Za-z0-9_-]+)");

    private WorkflowLint() {}

    /** YAML as GitHub reads it: YAML 1.2's {@code on} stays a string key (SnakeYAML's 1.1 would make it {@code true}). */
    @SuppressWarnings("unchecked")
    static Map<String, Object> parse(String text) {
        Map<?, ?> map = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
        var copy = new java.util.LinkedHashMap<String, Object>();
        map.forEach((k, v) -> copy.put(Boolean.TRUE.equals(k) ? "on" : String.valueOf(k), v));
        return copy;
    }

    /** A workflow's problems; {@code unpinned} says which {@code uses:} may stay at a tag (Lathe's own Action, whose commit is not known when the workflow is written). */
    @SuppressWarnings("unchecked")
    static List<String> workflow(String text, Predicate<String> unpinned) {
        var problems = new ArrayList<String>();
        Map<String, Object> workflow = parse(text);
        if (!workflow.containsKey("on")) problems.add("no on:");
        Map<String, Map<String, Object>> jobs = (Map<String, Map<String, Object>>) workflow.get("jobs");
        if (jobs == null || jobs.isEmpty()) return List.of("no jobs");
        Set<String> workflowInputs = new LinkedHashSet<>();
        if (workflow.get("on") instanceof Map<?, ?> on) {
            for (String trigger : List.of("workflow_dispatch", "workflow_call")) {
                if (on.get(trigger) instanceof Map<?, ?> spec && spec.get("inputs") instanceof Map<?, ?> inputs) {
                    inputs.keySet().forEach(k -> workflowInputs.add(String.valueOf(k)));
                }
            }
        }
        jobs.forEach((name, job) -> {
            String where = "job " + name;
            if (!job.containsKey("permissions")) problems.add(where + ": no permissions:");
            List<String> needs = job.get("needs") instanceof List<?> l ? (List<String>) l
                    : job.get("needs") == null ? List.of() : List.of(String.valueOf(job.get("needs")));
            for (String need : needs) if (!jobs.containsKey(need)) problems.add(where + ": needs " + need + ", which is no job");
            for (String expression : expressions(job)) {
                Matcher m = NEEDS_OUTPUT.matcher(expression);
                while (m.find()) {
                    if (!needs.contains(m.group(1))) problems.add(where + ": reads needs." + m.group(1) + " without needing it");
                    else if (!(jobs.get(m.group(1)).get("outputs") instanceof Map<?, ?> outs && outs.containsKey(m.group(2)))) {
                        problems.add(where + ": needs." + m.group(1) + ".outputs." + m.group(2) + " is not an output of that job");
                    }
                }
                Matcher i = INPUT.matcher(expression);
                while (i.find()) if (!workflowInputs.contains(i.group(1))) problems.add(where + ": inputs." + i.group(1) + " is not declared");
            }
            List<Map<String, Object>> steps = (List<Map<String, Object>>) job.getOrDefault("steps", List.of());
            if (job.get("outputs") instanceof Map<?, ?> outputs) {
                checkStepReferences(where + " outputs", outputs, stepIds(steps), problems);
            }
            checkSteps(where, steps, unpinned, problems);
        });
        return problems;
    }

    /** A composite action's problems. */
    @SuppressWarnings("unchecked")
    static List<String> compositeAction(String text) {
        var problems = new ArrayList<String>();
        Map<String, Object> action = parse(text);
        for (String key : List.of("name", "description", "runs")) if (!action.containsKey(key)) problems.add("no " + key + ":");
        Map<String, Object> runs = (Map<String, Object>) action.getOrDefault("runs", Map.of());
        if (!"composite".equals(runs.get("using"))) problems.add("runs.using is not composite");
        Set<String> inputs = ((Map<String, Object>) action.getOrDefault("inputs", Map.of())).keySet();
        List<Map<String, Object>> steps = (List<Map<String, Object>>) runs.getOrDefault("steps", List.of());
        for (int n = 0; n < steps.size(); n++) {
            Map<String, Object> step = steps.get(n);
            if (step.containsKey("run") && !step.containsKey("shell")) problems.add("step " + n + ": a run: step with no shell:");
        }
        for (String expression : expressions(action)) {
            Matcher m = INPUT.matcher(expression);
            while (m.find()) if (!inputs.contains(m.group(1))) problems.add("inputs." + m.group(1) + " is not declared");
        }
        if (action.get("outputs") instanceof Map<?, ?> outputs) checkStepReferences("outputs", outputs, stepIds(steps), problems);
        checkSteps("action", steps, u -> false, problems);
        return problems;
    }

    private static void checkSteps(String where, List<Map<String, Object>> steps, Predicate<String> unpinned, List<String> problems) {
        var earlier = new LinkedHashSet<String>();
        for (int n = 0; n < steps.size(); n++) {
            Map<String, Object> step = steps.get(n);
            String at = where + " step " + (step.containsKey("id") ? step.get("id") : n);
            if (step.containsKey("uses") == step.containsKey("run")) problems.add(at + ": needs exactly one of uses: and run:");
            if (step.get("uses") instanceof String uses && !uses.startsWith("./") && !PINNED.matcher(uses).matches() && !unpinned.test(uses)) {
                problems.add(at + ": " + uses + " is not pinned to a full commit");
            }
            if (step.get("run") instanceof String run && run.contains("${{")) {
                problems.add(at + ": ${{ }} in a run: script (pass it through env:)");
            }
            checkStepReferences(at, step, earlier, problems);
            if (step.get("id") != null) earlier.add(String.valueOf(step.get("id")));
        }
    }

    private static void checkStepReferences(String where, Object node, Set<String> known, List<String> problems) {
        for (String expression : expressions(node)) {
            Matcher m = STEP_OUTPUT.matcher(expression);
            while (m.find()) if (!known.contains(m.group(1))) problems.add(where + ": steps." + m.group(1) + " is no earlier step");
        }
    }

    private static Set<String> stepIds(List<Map<String, Object>> steps) {
        var ids = new LinkedHashSet<String>();
        for (Map<String, Object> step : steps) if (step.get("id") != null) ids.add(String.valueOf(step.get("id")));
        return ids;
    }

    /** The insides of each {@code ${{ }}} in the node's strings, and the whole of each {@code if:} (written without them). */
    private static List<String> expressions(Object node) {
        var found = new ArrayList<String>();
        collect(node, found);
        return found;
    }

    private static void collect(Object node, List<String> found) {
        switch (node) {
            case Map<?, ?> map -> map.forEach((key, value) -> {
                if ("if".equals(key) && value instanceof String condition) found.add(condition);
                collect(value, found);
            });
            case List<?> list -> list.forEach(item -> collect(item, found));
            case String text -> {
                Matcher m = EXPRESSION.matcher(text);
                while (m.find()) found.add(m.group(1));
            }
            case null, default -> { }
        }
    }
}
