package dev.lathe.app;

import dev.lathe.protocol.api.ModelInfo;
import dev.lathe.server.local.LocalCommands;
import dev.lathe.tui.console.ExitCode;
import dev.lathe.tui.console.OutputFormat;
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

/**
 * {@code lathe models [PROVIDER] [--format text|json]}: the models Lathe knows — the catalog's and the configured
 * providers' (config wins for a model both list). JSON is an array of {@code {provider, model, context, output}}.
 */
@Command(name = "models", mixinStandardHelpOptions = true, description = "List the models of the catalog and the configured providers.")
final class ModelsCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "PROVIDER", description = "only this provider")
    Optional<String> provider;

    @Option(names = "--format", defaultValue = "text", description = "text or json")
    OutputFormat format;

    @Option(names = "--dir", description = "project folder whose config to include (default: current folder)")
    Optional<Path> dir;

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
        }
        if (format == OutputFormat.json) {
            var json = JsonMapper.builder().build();
            ArrayNode array = json.createArrayNode();
            shown.forEach(r -> array.addObject().put("provider", r.provider()).put("model", r.model()).put("context", r.context()).put("output", r.output()));
            out.println(json.writeValueAsString(array));
        } else {
            for (ModelInfo r : shown) out.printf("%-60s %9d %8d%n", r.provider() + "/" + r.model(), r.context(), r.output());
        }
        out.flush();
        return ExitCode.FINISHED;
    }
}
