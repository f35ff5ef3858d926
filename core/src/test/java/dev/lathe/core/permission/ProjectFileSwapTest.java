package dev.lathe.core.permission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.lathe.core.agent.AgentLoader;
import dev.lathe.core.commandfile.CommandFiles;
import dev.lathe.core.config.Config;
import dev.lathe.core.config.ConfigLoader;
import dev.lathe.core.config.LathePaths;
import dev.lathe.core.skill.SkillFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every project file that reaches the prompt or defines what runs — a skill's {@code SKILL.md}, a custom command file,
 * an agent file — is read through the one handle prompt files are read through (issue 40, decision 193): checked by its
 * real path and read without following a link, so a link swapped in between the check and the read (a parallel
 * command racing a turn) is never followed, and a denied {@code .env} never reaches the request through any of them.
 * Each file here flips between a plain file and a link (to a secret outside the project, or to the project's own
 * {@code .env} that a {@code read} rule denies), by atomic renames, while the loader reads it again and again; and a
 * skill listed while plain and swapped for a link before the model loads it is not followed either.
 */
class ProjectFileSwapTest {
    @TempDir Path tmp;

    private static final String CANARY = "CANARY-secret-9c1e";
    private Path project;
    private Path secret;
    private PromptFiles guard;

    @BeforeEach
    void files() throws Exception {
        project = Files.createDirectories(tmp.resolve("project"));
        // each target is a valid file of every kind, so only the check, not a parse error, keeps it out
        String hostile = "---\nname: plain\ndescription: looks plain\n---\n" + CANARY + "\n";
        secret = Files.writeString(Files.createDirectories(tmp.resolve("home/.ssh")).resolve("id_rsa.md"), hostile);
        Files.writeString(project.resolve(".env"), hostile);
        guard = new PromptFiles(project, project, new Ruleset(List.of(new Rule("read", "*", Action.ALLOW, RuleOrigin.NO_RULE),
                new Rule("read", ".env", Action.DENY, RuleOrigin.NO_RULE))), PromptFiles.Outside.WITHHELD, new PrivatePaths(List.of()), s -> { });
    }

    private static void write(Path file, String text) throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    /** Replaces {@code file} by a link to {@code target} in one rename. */
    private static void link(Path file, Path target) throws Exception {
        Path staged = file.resolveSibling(file.getFileName() + ".link");
        Files.deleteIfExists(staged);
        Files.createSymbolicLink(staged, target);
        Files.move(staged, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static void plain(Path file, String text) throws Exception {
        Path staged = file.resolveSibling(file.getFileName() + ".plain");
        Files.writeString(staged, text);
        Files.move(staged, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * Flips {@code file} between {@code text} and a link to each of the secret and the denied {@code .env} while
     * {@code load} runs again and again; answers how many loads returned the canary, after checking the plain text
     * came back at least once.
     */
    private int leaks(Path file, String text, Supplier<String> load) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        Thread flipper = Thread.ofPlatform().start(() -> {
            try {
                while (!stop.get()) {
                    link(file, secret);
                    plain(file, text);
                    link(file, project.resolve(".env"));
                    plain(file, text);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        AtomicInteger leaked = new AtomicInteger();
        AtomicInteger plainSeen = new AtomicInteger();
        // at least 3 s of racing, and on a loaded machine until the plain text was read a few times (at most 30 s)
        long start = System.nanoTime();
        try {
            while (System.nanoTime() - start < 3_000_000_000L || plainSeen.get() < 5 && System.nanoTime() - start < 30_000_000_000L) {
                String seen;
                try {
                    seen = load.get();
                } catch (RuntimeException e) {
                    continue; // caught between two renames: gone for a moment
                }
                if (seen.contains(CANARY)) leaked.incrementAndGet();
                if (seen.contains("plain text")) plainSeen.incrementAndGet();
            }
        } finally {
            stop.set(true);
            flipper.join();
        }
        assertThat(plainSeen.get()).as("the plain file is still read").isPositive();
        return leaked.get();
    }

    @Test
    void aSkillFileSwappedForALinkWhileBeingReadIsNeverFollowed() throws Exception {
        Path skill = project.resolve(".lathe/skills/deploy/SKILL.md");
        String text = "---\nname: deploy\ndescription: deploys\n---\nplain text\n";
        write(skill, text);
        int leaked = leaks(skill, text, () -> {
            SkillFiles.Found found = SkillFiles.find(List.of(project), List.of(), List.of(), guard);
            return found.skills().toString() + found.skills().stream().map(found::body).toList();
        });
        assertThat(leaked).as("skill loads that returned the secret or the denied .env").isZero();
    }

    @Test
    void aSkillListedPlainAndSwappedForALinkBeforeItIsLoadedIsNotFollowed() throws Exception {
        Path skill = project.resolve(".lathe/skills/deploy/SKILL.md");
        write(skill, "---\nname: deploy\ndescription: deploys\n---\nplain text\n");
        SkillFiles.Found found = SkillFiles.find(List.of(project), List.of(), List.of(), guard);
        assertThat(found.body(found.find("deploy").orElseThrow())).isEqualTo("plain text");
        for (Path target : List.of(secret, project.resolve(".env"))) {
            link(skill, target);
            Throwable refused = catchThrowable(() -> found.body(found.find("deploy").orElseThrow()));
            assertThat(refused).as("the skill tool's read of a SKILL.md now linking to " + target).isNotNull();
            assertThat(refused.getMessage()).doesNotContain(CANARY).contains("held back");
        }
    }

    @Test
    void aCommandFileSwappedForALinkWhileBeingReadIsNeverFollowed() throws Exception {
        Path command = project.resolve(".lathe/commands/stamp.md");
        String text = "plain text for $1\n";
        write(command, text);
        int leaked = leaks(command, text, () -> CommandFiles.find(List.of(project), List.of(), List.of(), guard).toString());
        assertThat(leaked).as("command reads that returned the secret or the denied .env").isZero();
    }

    @Test
    void anAgentFileSwappedForALinkWhileBeingReadIsNeverFollowed() throws Exception {
        Map<String, String> env = Map.of("HOME", tmp.toString(), "XDG_CONFIG_HOME", tmp.resolve("xdg").toString(), "LATHE_CONFIG_CONTENT", "{}");
        Config config = new ConfigLoader(LathePaths.fromEnvironment(env), env, tmp.resolve("managed.json")).load(project);
        Path agent = project.resolve(".lathe/agents/helper.md");
        String text = "---\ndescription: helps\n---\nplain text\n";
        write(agent, text);
        int leaked = leaks(agent, text, () -> AgentLoader.load(config, List.of(), List.of(), project, project, guard).agents().all().toString());
        assertThat(leaked).as("agent reads that returned the secret or the denied .env").isZero();
    }
}
