package dev.lathe.core.session.context;

import dev.lathe.core.markdown.FrontMatterException;
import dev.lathe.core.skill.Skill;
import dev.lathe.core.skill.SkillFiles;
import dev.lathe.tools.Skills;
import dev.lathe.tools.ToolFailure;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The {@link Skills} port of one turn: the project's skills, looked up when the {@code skill} tool asks (so a skill
 * added since block B was read loads too), each body read from its file at that moment.
 */
public final class ProjectSkills implements Skills {
    private final Supplier<SkillFiles.Found> found;

    public ProjectSkills(Supplier<SkillFiles.Found> found) {
        this.found = found;
    }

    @Override
    public Loaded load(String name) {
        SkillFiles.Found all = found.get();
        Optional<Skill> skill = all.find(name);
        if (skill.isEmpty()) {
            String problem = all.problems().get(name);
            if (problem != null) throw new ToolFailure("The skill '" + name + "' cannot be loaded: " + problem);
            throw new ToolFailure("There is no skill named '" + name + "'" + (all.skills().isEmpty() ? "; this project has no skills."
                    : ". The skills are: " + String.join(", ", all.skills().stream().map(Skill::name).toList()) + "."));
        }
        try {
            return new Loaded(skill.get().name(), all.body(skill.get()), skill.get().folder());
        } catch (FrontMatterException e) {
            throw new ToolFailure("The skill '" + name + "' cannot be loaded: " + skill.get().file() + ": " + e.getMessage());
        } catch (UncheckedIOException e) {
            throw new ToolFailure("The skill '" + name + "' cannot be read: " + e.getCause().getMessage());
        }
    }
}
