package dev.lathe.core.project;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.core.auth.AuthStore;
import dev.lathe.core.config.ConfigLoader;
import dev.lathe.core.config.LathePaths;
import dev.lathe.core.model.CatalogSource;
import dev.lathe.core.model.ProviderSources;
import dev.lathe.core.store.sqlite.Db;
import dev.lathe.core.store.sqlite.SqliteStorage;
import dev.lathe.llm.Protocols;
import dev.lathe.llm.catalog.Catalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Block B from real files: which instruction files count, in which order, and that its text never varies by itself. */
class InstructionsTest {
    @TempDir Path tmp;
    Path home;
    Path global;
    Path repo;

    @BeforeEach
    void layout() throws Exception {
        tmp = tmp.toRealPath();
        home = Files.createDirectories(tmp.resolve("home"));
        global = Files.createDirectories(home.resolve(".config/lathe"));
        repo = Files.createDirectories(tmp.resolve("repo"));
        Files.createDirectories(repo.resolve(".git"));
    }

    private Path write(Path file, String text) throws Exception {
        Files.createDirectories(file.getParent());
        return Files.writeString(file, text);
    }

    private List<Path> files(Path workingDir, String... globs) {
        return Instructions.files(workingDir, repo, global, home, users(globs), dev.lathe.core.permission.PromptFiles.lenient(repo));
    }

    /** {@code instructions} entries of the user's own config (a project's are checked like imports: OutsideInstructionsTest). */
    private static List<dev.lathe.core.config.Config.Instruction> users(String... globs) {
        var global = new dev.lathe.core.config.Config.RuleSource(dev.lathe.core.config.Config.Layer.GLOBAL, "lathe.json");
        return java.util.Arrays.stream(globs).map(g -> new dev.lathe.core.config.Config.Instruction(g, global)).toList();
    }

    @Test
    void globalThenEveryFolderFromTheRepositoryRootDownToTheWorkingFolderAgentsMdThenClaudeMd() throws Exception {
        write(tmp.resolve("AGENTS.md"), "above the repository: not ours");
        write(global.resolve("AGENTS.md"), "global rules");
        write(repo.resolve("AGENTS.md"), "repo rules");
        write(repo.resolve("CLAUDE.md"), "repo Claude memory, after the folder's AGENTS.md");
        write(repo.resolve("app/CLAUDE.md"), "app rules from CLAUDE.md");
        Path work = Files.createDirectories(repo.resolve("app/web"));
        write(work.resolve("AGENTS.md"), "web rules");
        write(work.resolve("src/AGENTS.md"), "below the working folder: surfaced by read, not here");

        assertThat(files(work)).containsExactly(global.resolve("AGENTS.md"), repo.resolve("AGENTS.md"), repo.resolve("CLAUDE.md"), repo.resolve("app/CLAUDE.md"),
                work.resolve("AGENTS.md"));
        String text = Instructions.load(work, repo, global, home, List.of());
        // files are named as the tools take paths, relative to the working folder, or under ~/: no system block names the working folder
        assertThat(text).isEqualTo("""
                Instructions from ~/.config/lathe/AGENTS.md:
                global rules

                Instructions from ../../AGENTS.md:
                repo rules

                Instructions from ../../CLAUDE.md:
                repo Claude memory, after the folder's AGENTS.md

                Instructions from ../CLAUDE.md:
                app rules from CLAUDE.md

                Instructions from AGENTS.md:
                web rules""");
    }

    @Test
    void configGlobsMatchRelativeToTheRepositoryAbsoluteAndHomePathsInSortedOrderEachFileOnce() throws Exception {
        write(repo.resolve("AGENTS.md"), "repo rules");
        write(repo.resolve("docs/style.md"), "style");
        write(repo.resolve("docs/api.md"), "api");
        write(repo.resolve("docs/deep/too-deep.md"), "not matched by docs/*.md");
        write(repo.resolve("docs/notes.txt"), "not markdown");
        write(repo.resolve("rules/top.md"), "** matches no folder too");
        write(repo.resolve("rules/a/b/nested.md"), "** crosses folders");
        write(repo.resolve("rules/node_modules/dep/x.md"), "dependencies are skipped");
        write(repo.resolve("conventions/java.md"), "java");
        write(repo.resolve("conventions/kotlin.md"), "kotlin");
        write(repo.resolve("conventions/python.md"), "not in the braces");
        write(home.resolve("team/shared.md"), "team");
        Path outside = write(tmp.resolve("elsewhere/policy.md"), "policy");

        List<Path> found = files(repo, "docs/*.md", "rules/**/*.md", "conventions/{java,kotlin}.md", "~/team/*.md", outside.toString(),
                "*.md", "docs/style.md", "missing/**/*.md", "nothing.md");

        assertThat(found).containsExactly(repo.resolve("AGENTS.md"),
                repo.resolve("docs/api.md"), repo.resolve("docs/style.md"),
                repo.resolve("rules/a/b/nested.md"), repo.resolve("rules/top.md"),
                repo.resolve("conventions/java.md"), repo.resolve("conventions/kotlin.md"),
                home.resolve("team/shared.md"), outside);
        assertThat(files(repo, tmp + "/elsewhere/*.md")).containsExactly(repo.resolve("AGENTS.md"), outside);
    }

    @Test
    void theTextDependsOnlyOnTheFilesContents() throws Exception {
        write(global.resolve("AGENTS.md"), "global rules\n");
        Path rules = write(repo.resolve("AGENTS.md"), "\n  repo rules  \n\n");
        write(repo.resolve("empty.md"), "   \n");
        String first = Instructions.load(repo, repo, global, home, users("*.md"));
        Files.setLastModifiedTime(rules, FileTime.fromMillis(0));
        Thread.sleep(5);
        assertThat(Instructions.load(repo, repo, global, home, users("*.md"))).isEqualTo(first);
        assertThat(first).isEqualTo("Instructions from ~/.config/lathe/AGENTS.md:\nglobal rules\n\nInstructions from AGENTS.md:\nrepo rules");
        assertThat(Instructions.load(repo, repo, tmp.resolve("none"), home, List.of())).isEqualTo("Instructions from AGENTS.md:\nrepo rules");
        Files.delete(rules);
        assertThat(Instructions.load(repo, repo, tmp.resolve("none"), home, List.of())).isEmpty();
    }

    @Test
    void globsSupportTheUsualForms() {
        assertThat(Instructions.regex("*.md").matcher("a.md").matches()).isTrue();
        assertThat(Instructions.regex("*.md").matcher("x/a.md").matches()).isFalse();
        assertThat(Instructions.regex("**/*.md").matcher("a.md").matches()).isTrue();
        assertThat(Instructions.regex("**/*.md").matcher("x/y/a.md").matches()).isTrue();
        assertThat(Instructions.regex("a/**").matcher("a/b/c").matches()).isTrue();
        assertThat(Instructions.regex("?.md").matcher("ab.md").matches()).isFalse();
        assertThat(Instructions.regex("[ab].md").matcher("b.md").matches()).isTrue();
        assertThat(Instructions.regex("[!ab].md").matcher("b.md").matches()).isFalse();
        assertThat(Instructions.regex("{x,y}/*.md").matcher("y/z.md").matches()).isTrue();
        assertThat(Instructions.regex("a+b(1).md").matcher("a+b(1).md").matches()).isTrue();
    }

    @Test
    void aProjectsBlockBComesFromItsConfigAndTheGlobalFolder() throws Exception {
        write(repo.resolve("lathe.json"), "{\"instructions\": [\"docs/**/*.md\", \"~/team.md\"]}");
        write(repo.resolve("docs/guide/a.md"), "guide");
        write(home.resolve("team.md"), "team");
        Map<String, String> env = Map.of("HOME", home.toString(), "XDG_DATA_HOME", tmp.resolve("data").toString(),
                "XDG_CONFIG_HOME", home.resolve(".config").toString(), "XDG_STATE_HOME", tmp.resolve("state").toString());
        var paths = LathePaths.fromEnvironment(env);
        write(paths.config().resolve("AGENTS.md"), "global");
        // a project's instructions outside it (~/team.md) are read for a trusted folder only, and as its imports are,
        // where an external_directory rule of the user's allows the real path (decision 641)
        write(paths.globalConfig(), "{\"permission\": {\"external_directory\": {\"" + home.toRealPath().resolve("team.md") + "\": \"allow\"}}}");
        dev.lathe.core.info.TrustReview.approve(ConfigLoader.standard(paths, env), repo);
        try (Db db = Db.open(paths.database())) {
            var projects = new Projects(new ConfigLoader(paths, env, tmp.resolve("managed.json")), paths, SqliteStorage.over(db).projects(),
                    Protocols.of(Map.of()), new ProviderSources(CatalogSource.of(Catalog.bundled()), new AuthStore(paths.authFile()), env),
                    Projects.Wiring.of(Projects.ConfigEvents.NONE, new dev.lathe.core.config.ServerEnvironment(System.getenv())));
            assertThat(projects.get(repo.toString()).instructions()).isEqualTo(
                    "Instructions from ~/.config/lathe/AGENTS.md:\nglobal\n\nInstructions from docs/guide/a.md:\nguide\n\n"
                    + "Instructions from ~/team.md:\nteam");
            Project opened = projects.get(repo.toString());
            assertThat(projects.get(repo.toString())).isSameAs(opened);

            // an AGENTS.md written later (by /init, say) and an edited file count from the next get, the rest is kept
            write(repo.resolve("AGENTS.md"), "written by init");
            write(repo.resolve("docs/guide/a.md"), "guide, edited");
            Project refreshed = projects.get(repo.toString());
            assertThat(refreshed.instructions()).isEqualTo("Instructions from ~/.config/lathe/AGENTS.md:\nglobal\n\n"
                    + "Instructions from AGENTS.md:\nwritten by init\n\nInstructions from docs/guide/a.md:\nguide, edited\n\n"
                    + "Instructions from ~/team.md:\nteam");
            assertThat(refreshed.snapshots()).isSameAs(opened.snapshots());
            assertThat(refreshed.config()).isSameAs(opened.config());
            assertThat(projects.get(repo.toString())).isSameAs(refreshed);
            Files.delete(home.resolve("team.md"));
            assertThat(projects.get(repo.toString()).instructions()).doesNotContain("team");

            // outside the repository and the home folder a file keeps its absolute name
            assertThat(Instructions.name(tmp.resolve("x/y.md"), repo, repo, home)).isEqualTo(tmp.resolve("x/y.md").toString());
        }
    }
}
