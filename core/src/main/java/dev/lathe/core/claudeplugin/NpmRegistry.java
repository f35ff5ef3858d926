package dev.lathe.core.claudeplugin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the npm registry the user's {@code npm} is set up for serves for a package spec (DESIGN §33): the one version
 * it resolves to and that version's {@code integrity}. Asked through {@code npm view}, so the user's registry, scopes,
 * proxy and credentials ({@code .npmrc}) apply as they do to the {@code npx} that will launch it.
 */
@FunctionalInterface
public interface NpmRegistry {
    /** The version {@code pkg@spec} resolves to and its integrity ({@code sha512-…}). */
    record Resolved(String version, String integrity) {}

    /**
     * @throws PluginInstalls.Failure saying why it could not be resolved (no npm, no such package or version, the
     *     registry unreachable)
     */
    Resolved resolve(String pkg, String spec);

    /** How long one {@code npm view} may take. */
    long VIEW_SECONDS = 60;

    /** The registry through the {@code npm} on the {@code PATH} of {@code env}. */
    static NpmRegistry npm(Map<String, String> env) {
        return (pkg, spec) -> {
            String wanted = pkg + "@" + spec;
            var pb = new ProcessBuilder(List.of("npm", "view", "--json", wanted, "version", "dist.integrity"))
                    .redirectError(ProcessBuilder.Redirect.DISCARD);
            pb.environment().putAll(env);
            pb.environment().put("NO_UPDATE_NOTIFIER", "1");
            String out;
            Process p;
            try {
                p = pb.start();
                p.getOutputStream().close();
                out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!p.waitFor(VIEW_SECONDS, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new PluginInstalls.Failure("npm view " + wanted + " took longer than " + VIEW_SECONDS + " s");
                }
            } catch (IOException e) {
                throw new PluginInstalls.Failure("cannot run npm to pin " + wanted + " (" + e.getMessage() + "): install Node.js, or pin the version in the plugin");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PluginInstalls.Failure("interrupted while resolving " + wanted);
            }
            // with --json npm writes its error as JSON on stdout too: {"error": {"code": "E404", "summary": "…"}}
            if (p.exitValue() != 0 || out.isBlank()) throw new PluginInstalls.Failure("npm cannot resolve " + wanted + error(out));
            return parse(wanted, out);
        };
    }

    private static String error(String json) {
        try {
            JsonNode e = JsonMapper.builder().build().readTree(json).path("error");
            String summary = e.path("summary").asString("").lines().findFirst().orElse("");
            return summary.isBlank() ? "" : ": " + summary;
        } catch (RuntimeException notJson) {
            return "";
        }
    }

    /** {@code npm view --json}'s answer: one object, or an array of them when a range matches several (the last is the highest). */
    static Resolved parse(String wanted, String json) {
        JsonNode root = JsonMapper.builder().build().readTree(json);
        JsonNode one = root.isArray() ? (root.isEmpty() ? null : root.get(root.size() - 1)) : root;
        Optional<String> version = Optional.ofNullable(one).map(o -> o.path("version").asString(null));
        Optional<String> integrity = Optional.ofNullable(one).map(o -> o.path("dist.integrity").asString(null));
        if (version.isEmpty() || integrity.isEmpty()) {
            throw new PluginInstalls.Failure("the registry gave no version and integrity for " + wanted + "; pin it in the plugin");
        }
        return new Resolved(version.get(), integrity.get());
    }
}
