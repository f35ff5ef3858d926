package dev.lathe.core.session;

import dev.lathe.core.model.ResolvedModel;
import dev.lathe.core.project.Project;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/** Provider keys a session could use, kept out of every process it starts whatever variable holds them. */
final class Secrets {
    private Secrets() {}

    static Set<String> of(Project project, Optional<ResolvedModel> model) {
        Set<String> out = new HashSet<>();
        model.flatMap(m -> m.provider().apiKey()).ifPresent(k -> out.add(k.value()));
        project.config().providers().values().forEach(p -> p.apiKey().ifPresent(out::add));
        return out;
    }
}
