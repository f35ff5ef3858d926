package dev.lathe.core.worktree;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.core.permission.Action;
import dev.lathe.core.permission.ReadHolds;
import dev.lathe.core.permission.Rule;
import dev.lathe.core.permission.Ruleset;
import dev.lathe.protocol.api.WorktreeInfo;
import dev.lathe.testkit.TempWorkspace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code .worktreeinclude} copies through the project's file gateway (issue 52, class 1): on a real git repository with
 * real symbolic and hard links, no file a link leads out to and no file a {@code read} rule holds back under another
 * name becomes a plain readable file of the new worktree, while the ordinary ignored files it names are still copied.
 * Before the gateway, {@code Files.copy} followed every link and copied hard links as new files.
 */
class WorktreeIncludeLinksTest {
    private static final String HOME_SECRET = "CANARY-HOME-SECRET";
    private static final String DENIED_ENV = "CANARY-DENIED-ENV";
    private static final String ASKED_KEY = "CANARY-ASKED-KEY";
    private static final String OUTSIDE_DIR = "CANARY-OUTSIDE-FOLDER";

    @TempDir Path outside;

    /** The project's read rules: {@code .env} denied, {@code secrets/**} asked (as Lathe's defaults ask {@code .env}). */
    private static final Ruleset RULES = new Ruleset(List.of(new Rule("read", "*", Action.ALLOW), new Rule("read", ".env", Action.DENY),
            new Rule("read", "secrets/**", Action.ASK)));

    @Test
    void noLinkOrHardLinkCarriesAHeldBackOrOutsideFileIntoTheWorktreeAndOrdinaryIgnoredFilesAreCopied() throws Exception {
        Path homeSecret = write(outside.resolve("id_rsa"), HOME_SECRET + "\n");
        Path outsideDir = outside.resolve("cache");
        write(outsideDir.resolve("token"), OUTSIDE_DIR + "\n");
        try (var ws = TempWorkspace.create()) {
            ws.write("a.txt", "x\n")
                    .write(".gitignore", ".env\n*.local\nlinks/\nsecrets/\nhard.txt\ncache\nbuild/\n")
                    .write(".worktreeinclude", ".env\n*.local\nlinks/\nhard.txt\ncache\ncache/**\nbuild/\n")
                    .initGitRepo();
            ws.write(".env", DENIED_ENV + "\n").write("settings.local", "ordinary\n").write("secrets/key", ASKED_KEY + "\n")
                    .write("build/out.bin", "built\n");
            Files.createDirectories(ws.resolve("links"));
            Files.createSymbolicLink(ws.resolve("links/home.local"), homeSecret);               // a link out of the repository
            Files.createSymbolicLink(ws.resolve("links/env.local"), ws.resolve(".env"));         // a link to a denied file, absolute
            Files.createSymbolicLink(ws.resolve("links/rel.local"), Path.of("../.env"));         // the same, relative
            Files.createSymbolicLink(ws.resolve("links/key.local"), Path.of("../secrets/key"));  // a link to a file a rule asks for
            Files.createLink(ws.resolve("hard.txt"), ws.resolve(".env"));                        // a second name of the denied file
            Files.createLink(ws.resolve("links/hard-key.local"), ws.resolve("secrets/key"));     // a second name of the asked file
            Files.createSymbolicLink(ws.resolve("cache"), outsideDir);                           // a linked folder leading out
            Files.createSymbolicLink(ws.resolve("build/up"), outside);                            // a link in a folder the file names

            var worktrees = new Worktrees(_ -> Optional.empty(), WorktreeHooks.NONE, main -> new ReadHolds(RULES, main));
            WorktreeInfo t = worktrees.create(ws.path(), Optional.of("inc"), Worktrees.BaseRef.HEAD);
            Path tree = Path.of(t.path());

            List<String> leaks = new ArrayList<>();
            for (Path f : regularFilesReachable(tree)) {
                String text = Files.readString(f);
                for (String canary : List.of(HOME_SECRET, ASKED_KEY, OUTSIDE_DIR)) if (text.contains(canary)) leaks.add(tree.relativize(f) + " holds " + canary);
                // the denied .env may be in the worktree only as .env, where the same rule denies it
                if (text.contains(DENIED_ENV) && !tree.relativize(f).toString().equals(".env")) leaks.add(tree.relativize(f) + " holds " + DENIED_ENV);
            }
            assertThat(leaks).as("files of the worktree holding what the main checkout keeps behind a link or a rule").isEmpty();
            assertThat(Files.readString(tree.resolve(".env"))).as(".env copied as .env: the same rule denies it there").contains(DENIED_ENV);
            assertThat(Files.readString(tree.resolve("settings.local"))).isEqualTo("ordinary\n");
            assertThat(Files.readString(tree.resolve("build/out.bin"))).isEqualTo("built\n");
            assertThat(Files.isSymbolicLink(tree.resolve("links/home.local"))).isFalse();
            assertThat(tree.resolve("links/home.local")).doesNotExist();
        }
    }

    @Test
    void withoutRulesALinkOutOfTheRepositoryIsStillNotCopied() throws Exception {
        Path homeSecret = write(outside.resolve("credentials"), HOME_SECRET + "\n");
        try (var ws = TempWorkspace.create()) {
            ws.write("a.txt", "x\n").write(".gitignore", "*.local\n").write(".worktreeinclude", "*.local\n").initGitRepo();
            ws.write("plain.local", "plain\n");
            Files.createSymbolicLink(ws.resolve("aws.local"), homeSecret);
            WorktreeInfo t = new Worktrees(_ -> Optional.empty()).create(ws.path(), Optional.of("plain"), Worktrees.BaseRef.HEAD);
            Path tree = Path.of(t.path());
            assertThat(Files.readString(tree.resolve("plain.local"))).isEqualTo("plain\n");
            assertThat(tree.resolve("aws.local")).doesNotExist();
        }
    }

    /** Every regular file a reader of the worktree reaches, links followed (as the model's read would), outside .git. */
    private static List<Path> regularFilesReachable(Path tree) throws IOException {
        try (Stream<Path> all = Files.walk(tree, java.nio.file.FileVisitOption.FOLLOW_LINKS)) {
            return all.filter(p -> !tree.relativize(p).startsWith(".git")).filter(Files::isRegularFile).toList();
        }
    }

    private static Path write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            return Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
