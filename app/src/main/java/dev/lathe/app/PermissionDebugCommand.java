package dev.lathe.app;

import dev.lathe.core.agent.AgentLoader;
import dev.lathe.core.config.Config;
import dev.lathe.core.config.ConfigException;
import dev.lathe.core.config.ConfigLoader;
import dev.lathe.core.config.LathePaths;
import dev.lathe.core.permission.Decision;
import dev.lathe.core.permission.PermissionDecider;
import dev.lathe.core.permission.Rule;
import dev.lathe.core.permission.Ruleset;
import dev.lathe.core.project.Project;
import dev.lathe.core.project.ProjectRoot;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code lathe debug permission --dir DIR}: what the permission rules of a project decide, for rule writers and
 * scripts. Reads NDJSON requests from stdin ({@code {"tool":"bash","command":"..."}}, {@code {"tool":"read"|"edit",
 * "path":"..."}}, or any other tool with an optional {@code "value"}) and prints exactly one NDJSON line per input
 * line, in order: {@code {"decision", "commands", "rule", "reason"}}, or {@code {"error"}} for a line it cannot read.
 * The rules are those of the config files (with the managed policy) and the permission layer of the agent named by
 * {@code --agent} (built in, from config or from an agent file); "always" answers stored by a server are not included.
 */
@Command(name = "permission", mixinStandardHelpOptions = true,
        description = "Print what the permission rules decide for NDJSON requests read from stdin.")
final class PermissionDebugCommand implements Callable<Integer> {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Spec CommandSpec spec;

    @Option(names = "--dir", description = "project folder (default: current folder)")
    Path dir = Path.of("");

    @Option(names = "--agent", description = "agent whose permission layer applies (default: build)")
    String agent = "build";

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path project = dir.toAbsolutePath().normalize();
        if (!Files.isDirectory(project)) {
            err.println("lathe: --dir " + dir + " is not a folder");
            return ExitCode.USAGE;
        }
        Map<String, String> env = System.getenv();
        Config config;
        try {
            config = ConfigLoader.standard(LathePaths.fromEnvironment(env), env).load(ProjectRoot.repoRoot(project));
        } catch (ConfigException e) {
            err.println("lathe: " + e.getMessage());
            return ExitCode.USAGE;
        }
        var loaded = AgentLoader.load(config, AgentLoader.userFolders(LathePaths.fromEnvironment(env)), ProjectRoot.repoRoot(project), project);
        loaded.warnings().forEach(w -> err.println("lathe: " + w));
        var chosen = loaded.agents().find(agent);
        if (chosen.isEmpty()) {
            err.println("lathe: unknown agent '" + agent + "'; available: " + String.join(", ", loaded.agents().names()));
            return ExitCode.USAGE;
        }
        var rules = Project.rulesOf(config).forAgent(chosen.get().permission());
        var decider = new PermissionDecider(rules, project);
        var in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            out.println(JSON.writeValueAsString(answer(rules, decider, project, line)));
            out.flush();
        }
        return ExitCode.FINISHED;
    }

    private static ObjectNode answer(Ruleset rules, PermissionDecider decider, Path project, String line) {
        JsonNode request;
        try {
            request = JSON.readTree(line);
        } catch (JacksonException e) {
            return JSON.createObjectNode().put("error", "not a JSON object: " + e.getOriginalMessage());
        }
        if (request == null || !request.isObject() || !request.path("tool").isString()) {
            return JSON.createObjectNode().put("error", "expected {\"tool\": ..., ...}");
        }
        String tool = request.path("tool").asString();
        Decision d;
        switch (tool) {
            case "bash" -> {
                if (!request.path("command").isString()) return JSON.createObjectNode().put("error", "bash needs \"command\"");
                Path workdir = request.path("workdir").isString() ? project.resolve(request.path("workdir").asString()) : project;
                d = decider.bash(request.path("command").asString(), workdir);
            }
            case "read", "edit" -> {
                if (!request.path("path").isString()) return JSON.createObjectNode().put("error", tool + " needs \"path\"");
                d = decider.path(tool, project.resolve(request.path("path").asString()));
            }
            default -> {
                // tools without operands to analyse (webfetch, todo, ...): their own rules decide the value given
                String value = request.path("value").asString(request.path("url").asString("*"));
                var winner = rules.winner(tool, value);
                d = new Decision(winner.map(Rule::action).orElse(dev.lathe.core.permission.Action.ASK), List.of(),
                        winner.map(r -> r.permission() + ": " + r.pattern()).orElse("default"),
                        winner.isPresent() ? "a " + tool + " rule matches" : "no rule matches " + tool + "; the default is ask");
            }
        }
        ObjectNode out = JSON.createObjectNode().put("decision", d.action().name().toLowerCase(java.util.Locale.ROOT));
        d.commands().forEach(out.putArray("commands")::add);
        out.put("rule", d.rule()).put("reason", d.reason());
        return out;
    }
}
