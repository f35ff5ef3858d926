package dev.lathe.core.offline;

import dev.lathe.core.config.Config;
import dev.lathe.core.config.LathePaths;
import dev.lathe.core.permission.PrivatePaths;
import dev.lathe.core.permission.PromptFiles;
import dev.lathe.core.project.Instructions;
import dev.lathe.core.project.MemoryFiles;
import dev.lathe.core.project.Project;
import dev.lathe.core.project.ProjectRoot;
import dev.lathe.core.skill.Skill;
import dev.lathe.core.skill.SkillFiles;
import dev.lathe.core.trust.FolderTrust;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code memory} line of {@code lathe doctor} (DESIGN §27): every instruction file that reaches the model for the
 * folder and why (Lathe's and Claude Code's memory files, imports, rules), the rules that join when a matching file is
 * touched, and each file named but not read, with its file and line — read through the same check block B is.
 */
final class MemoryCheck {
    private MemoryCheck() {}

    /** The project's check, as the server builds it for the folder. */
    private static PromptFiles guard(LathePaths paths, Map<String, String> env, Path project, Config config, FolderTrust trust) {
        return new PromptFiles(ProjectRoot.repoRoot(project), project, Project.rulesOf(config),
                trust.trusted() ? PromptFiles.Outside.READ_RULES : PromptFiles.Outside.WITHHELD,
                new PrivatePaths(List.of(paths.data(), paths.state(), paths.config())), _ -> { }, home(env));
    }

    private static Path home(Map<String, String> env) {
        return Path.of(env.getOrDefault("HOME", System.getProperty("user.home")));
    }

    /**
     * The {@code skills} line: the skills the folder's sessions are offered, and each {@code SKILL.md} left out with its
     * file, line and key (an Agent Skills skill that breaks the standard, front matter that does not parse).
     */
    static Checkup.Check skills(LathePaths paths, Map<String, String> env, Path project, Config config, FolderTrust trust) {
        SkillFiles.Found found = SkillFiles.find(ProjectRoot.upToRoot(project, ProjectRoot.repoRoot(project)), paths.userSkills(), List.of(),
                guard(paths, env, project, config, trust));
        String offered = found.skills().isEmpty() ? "no skills" : "offered: " + String.join(", ", found.skills().stream().map(Skill::name).toList());
        if (found.problems().isEmpty()) return Checkup.Check.ok("skills", offered);
        return Checkup.Check.warn("skills", offered + "; left out: " + String.join("; ", found.problems().values()),
                "correct the front matter named (docs/config.md, \"Instructions and Claude Code memory\")");
    }

    static Checkup.Check of(LathePaths paths, Map<String, String> env, Path project, Config config, FolderTrust trust) {
        Path repo = ProjectRoot.repoRoot(project);
        Path home = home(env);
        var guard = guard(paths, env, project, config, trust);
        Instructions.Loaded loaded = Instructions.read(project, repo, paths.config(), home, config.instructions(), guard);
        List<String> parts = new ArrayList<>();
        parts.add(loaded.memories().isEmpty() ? "no instruction files"
                : "in the prompt: " + String.join(", ", loaded.memories().stream().map(m -> name(m.file(), project, repo, home) + " (" + m.why() + ")").toList()));
        if (!loaded.scoped().isEmpty()) {
            parts.add("joining when a matching file is read or edited: " + String.join(", ",
                    loaded.scoped().stream().map(r -> name(r.file(), project, repo, home) + " (" + String.join(", ", r.paths()) + ")").toList()));
        }
        String detail = String.join("; ", parts);
        if (loaded.problems().isEmpty()) return Checkup.Check.ok("memory", detail);
        return Checkup.Check.warn("memory", detail + "; not read: " + String.join("; ", loaded.problems().stream().map(MemoryFiles.Problem::message).toList()),
                "correct the files and lines named, or trust the folder for imports from outside it (lathe trust)");
    }

    private static String name(Path file, Path project, Path repo, Path home) {
        return Instructions.name(file, project, repo, home);
    }
}
