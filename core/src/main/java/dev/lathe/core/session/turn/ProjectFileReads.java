package dev.lathe.core.session.turn;

import dev.lathe.core.permission.PromptFiles;
import dev.lathe.core.project.Project;
import dev.lathe.core.project.Projects;
import dev.lathe.core.skill.SkillFiles;
import java.nio.file.Path;
import java.util.List;

/** What a turn reads of its project, read now from {@code projects}: its skills, block B's instruction files, the check its files pass. */
public record ProjectFileReads(Projects projects) implements TurnServices.ProjectFiles {
    @Override
    public SkillFiles.Found skills(Project project) { return projects.skills(project); }

    @Override
    public List<TurnServices.InstructionFile> instructions(Project project) {
        return projects.instructionFiles(project).stream().map(f -> new TurnServices.InstructionFile(f, memoryType(f))).toList();
    }

    @Override
    public PromptFiles promptFiles(Project project) { return projects.promptFiles(project); }

    /** An instruction file's {@code memory_type} for {@code InstructionsLoaded} hooks, as Claude Code names them. */
    private String memoryType(Path file) {
        if (file.startsWith(projects.userInstructionsDir()) || file.startsWith(projects.paths().claude())) return "User";
        return file.getFileName().toString().equals("CLAUDE.local.md") ? "Local" : "Project";
    }
}
