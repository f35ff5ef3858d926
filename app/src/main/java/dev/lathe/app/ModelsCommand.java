package dev.lathe.app;

import dev.lathe.protocol.api.ModelInfo;
import dev.lathe.run.console.ExitCode;
import dev.lathe.run.console.OutputFormat;
import dev.lathe.server.local.LocalCommands;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code lathe models [PROVIDER] [--all] [--format text|json]}: the models Lathe knows — the catalog's and the configured
 * providers' (config wins for a model both list); for a provider whose server runs on this machine ({@code lathe models
 * ollama}), also what that server has loaded. Text is a table with a header row, prices (USD per million tokens) and
 * whether the provider has a key, listing only models an agent can work with (tools, text) and, without PROVIDER or
 * {@code --all}, only those of the providers the user configured or has a key for (the catalog's thousands of others
 * buried the user's own: issue 71); JSON is an array of every
 * model as {@code {provider, model, context, output, name, chat, keySource, sessionDefault, configured, price?: {input,
 * output}}}.
 */
@Command(name = "models", mixinStandardHelpOptions = true, description = "List the models of the catalog and the configured providers.")
final class ModelsCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "PROVIDER", description = "only this provider (a local server's: what it has loaded)")
    Optional<String> provider;

    @Option(names = "--format", defaultValue = "text", description = "text or json")
    OutputFormat format;

    @Option(names = "--dir", description = "project folder whose config to include (default: current folder)")
    Optional<Path> dir;

    @Option(names = "--all", description = "text: every provider's models, not only those you configured or have a key for")
    boolean all;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<ModelInfo> shown;
        try {
            shown = LocalCommands.of(System.getenv()).models(dir.orElse(Path.of("")), provider);
        } catch (LocalCommands.Failure e) {
            err.println("lathe: " + e.getMessage());
            return ExitCode.USAGE;
        } catch (LocalCommands.Unreachable e) {
            err.println("lathe: " + e.getMessage());
            return ExitCode.MODEL_ERROR;
        }
        if (format == OutputFormat.json) {
            var json = JsonMapper.builder().build();
            ArrayNode array = json.createArrayNode();
            for (ModelInfo r : shown) {
                ObjectNode row = array.addObject().put("provider", r.provider()).put("model", r.model()).put("context", r.context())
                        .put("output", r.output()).put("name", r.name()).put("chat", r.chat()).put("keySource", r.keySource())
                        .put("sessionDefault", r.sessionDefault()).put("configured", r.configured());
                r.price().ifPresent(p -> row.putObject("price").put("input", p.input()).put("output", p.output()));
            }
            out.println(TerminalOutput.json(json.writeValueAsString(array)));
        } else if (shown.stream().noneMatch(ModelInfo::chat)) {
            // a header over nothing told the user nothing (issue 42): say what is empty and what fills it
            err.println("lathe: " + provider.map(p -> p + " has no models an agent can work with"
                    + (p.equals("ollama") ? ": pull one first (ollama pull qwen3-coder)" : "")).orElse("no models known"));
        } else if (all || provider.isPresent()) {
            ModelTable.print(shown, out);
        } else {
            ModelTable.printYours(shown, out, err);
        }
        out.flush();
        return ExitCode.FINISHED;
    }
}
