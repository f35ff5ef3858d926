package dev.lathe.core.session.context;

import dev.lathe.core.model.ResolvedModel;
import dev.lathe.core.project.Project;
import dev.lathe.core.toolcall.SecretMask;
import dev.lathe.core.toolcall.SecretShape;
import dev.lathe.mcp.McpServerSpec;
import dev.lathe.tools.builtin.ChildEnvironment;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * The secrets the server knows a session could meet (DESIGN §26): provider keys, the values of the server's variables
 * whose names say they hold a credential ({@code *KEY*}, {@code *TOKEN*}, {@code *SECRET*}, passwords: the names every
 * child process is kept from) when the value looks like one ({@link SecretShape}), and the {@code env} values and
 * {@code headers} of MCP servers named the same way ({@code Authorization} always). They
 * are kept out of every process the session starts whatever variable holds them, and masked as {@code ***} in every
 * tool result before it is stored, shown or sent ({@link dev.lathe.core.toolcall.SecretMask}).
 */
public final class Secrets {
    private Secrets() {}

    /** The project's secrets with the key of {@code modelRef}'s provider when it resolves (no key is no error here). */
    public static Set<String> of(Project project, String modelRef) {
        Optional<ResolvedModel> model;
        try {
            model = Optional.of(project.models().resolve(modelRef));
        } catch (RuntimeException noKey) {
            model = Optional.empty();
        }
        return of(project, model);
    }

    public static Set<String> of(Project project, Optional<ResolvedModel> model) {
        Set<String> out = new HashSet<>();
        model.flatMap(m -> m.provider().apiKey()).ifPresent(k -> out.add(k.value()));
        project.config().providers().values().forEach(p -> p.apiKey().ifPresent(out::add));
        project.config().websearch().flatMap(w -> w.apiKey()).ifPresent(out::add);
        variables(project.host().variables(), out);
        for (var server : project.config().mcp().values()) {
            var named = switch (server) {
                case McpServerSpec.Local l -> l.env();
                case McpServerSpec.Remote r -> r.headers();
            };
            named.forEach((name, value) -> {
                // a header that carries a credential by definition: its value, and the token after its scheme
                if (name.equalsIgnoreCase("Authorization")) {
                    out.add(value);
                    String[] words = value.strip().split("\\s+");
                    out.add(words[words.length - 1]);
                } else if (ChildEnvironment.isSecret(name) && SecretShape.looksLikeSecret(value)) out.add(value);
            });
        }
        // a value too short to be a credential would mask ordinary words (SecretMask skips them too)
        out.removeIf(v -> v.length() < SecretMask.MIN_LENGTH);
        return out;
    }

    /**
     * Adds the values of {@code variables} that are credentials: a credential-like name and a value that looks like one
     * ({@link SecretShape}, decision 554). {@code SECRETS_SCAN_MODE=disabled} is not a secret, and masking "disabled"
     * everywhere would garble every result that says it.
     */
    public static void variables(java.util.Map<String, String> variables, Set<String> out) {
        variables.forEach((name, value) -> {
            if (ChildEnvironment.isSecret(name) && SecretShape.looksLikeSecret(value)) out.add(value);
        });
    }
}
