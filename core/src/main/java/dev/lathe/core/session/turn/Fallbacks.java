package dev.lathe.core.session.turn;

import dev.lathe.core.model.ModelException;
import dev.lathe.core.model.ResolvedModel;
import dev.lathe.core.project.Project;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * The models a turn may fail over to (DESIGN §7): the project's {@code fallback} list in its order, without the model
 * the turn started with or repeats, each tried at most once per turn.
 */
final class Fallbacks {
    private static final System.Logger LOG = System.getLogger(Fallbacks.class.getName());

    private final Project project;
    private final Deque<String> left;

    Fallbacks(Project project, ResolvedModel start) {
        this.project = project;
        this.left = new ArrayDeque<>(project.config().fallback().stream().filter(ref -> !ref.equals(start.ref())).distinct().toList());
    }

    /** Whether any fallback is left to try. */
    boolean remain() {
        return !left.isEmpty();
    }

    /** The next fallback that resolves; the ones that do not are logged and used up. Empty when none is left. */
    Optional<ResolvedModel> next() {
        while (!left.isEmpty()) {
            String ref = left.poll();
            try {
                return Optional.of(project.models().resolve(ref));
            } catch (ModelException e) {
                LOG.log(System.Logger.Level.WARNING, "fallback model {0} is not usable: {1}", ref, e.getMessage());
            }
        }
        return Optional.empty();
    }
}
