package dev.lathe.app;

import dev.lathe.core.config.Config;
import dev.lathe.core.config.ConfigException;
import dev.lathe.core.config.ConfigLoader;
import dev.lathe.core.config.LathePaths;
import dev.lathe.core.model.CatalogSource;
import dev.lathe.core.model.KnownModels;
import dev.lathe.core.project.ProjectRoot;
import dev.lathe.llm.catalog.Catalog;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
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
        Map<String, String> env = System.getenv();
        var paths = LathePaths.fromEnvironment(env);
        Config config;
        try {
            config = ConfigLoader.standard(paths, env).load(ProjectRoot.repoRoot(ProjectRoot.normalise(dir.orElse(Path.of("")).toAbsolutePath().toString())));
        } catch (ConfigException e) {
            err.println("lathe: " + e.getMessage());
            return ExitCode.USAGE;
        }
        Catalog catalog = CatalogSource.load(paths.cache().resolve("models.json"));
        if (provider.isPresent() && !KnownModels.isKnownProvider(config, catalog, provider.get())) {
            err.println("lathe: unknown provider '" + provider.get() + "'; `lathe models` lists them all");
            return ExitCode.USAGE;
        }
        var shown = KnownModels.of(config, catalog).stream().filter(r -> provider.isEmpty() || r.provider().equals(provider.get())).toList();
        if (format == OutputFormat.json) {
            var json = JsonMapper.builder().build();
            ArrayNode array = json.createArrayNode();
            shown.forEach(r -> array.addObject().put("provider", r.provider()).put("model", r.model()).put("context", r.context()).put("output", r.output()));
            out.println(json.writeValueAsString(array));
        } else {
            for (KnownModels.Entry r : shown) out.printf("%-60s %9d %8d%n", r.ref(), r.context(), r.output());
        }
        out.flush();
        return ExitCode.FINISHED;
    }
}
