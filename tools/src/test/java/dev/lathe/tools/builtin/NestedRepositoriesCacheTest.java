package dev.lathe.tools.builtin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The nested-repository scan before every model command answers from its last walk only while no folder that walk
 * read changed (issue 40): whatever a previous command can do to bring a repository in — {@code git init} deep in the
 * tree, a {@code .git} folder moved in, a repository moved in from outside, a folder's {@code mtime} set back to hide
 * it — is seen by the next command, with real files and real git. Unchanged, no walk is done.
 */
class NestedRepositoriesCacheTest {
    @TempDir Path tmp;

    /** Lets the folders' change times fall behind the racy window, so the cache, not the window, is what is tested. */
    private static void settle() throws InterruptedException {
        Thread.sleep(NestedRepositories.RACY + 300);
    }

    private static void git(Path dir, String... args) throws Exception {
        var cmd = new java.util.ArrayList<>(List.of("git", "-C", dir.toString()));
        cmd.addAll(List.of(args));
        assertThat(new ProcessBuilder(cmd).redirectErrorStream(true).start().waitFor()).isZero();
    }

    @Test
    void anUnchangedTreeIsNotWalkedAgainAndEveryWayOfAddingARepositoryIsSeenAtTheNextCommand() throws Exception {
        Path top = Files.createDirectories(tmp.resolve("project"));
        git(top, "init", "-q");
        for (int i = 0; i < 20; i++) Files.writeString(Files.createDirectories(top.resolve("src/a" + i + "/b")).resolve("f.txt"), "x");
        settle();
        assertThat(NestedRepositories.cachedBelow(top)).isEmpty();
        long walks = NestedRepositories.WALKS_DONE.get();
        assertThat(NestedRepositories.cachedBelow(top)).isEmpty();
        assertThat(NestedRepositories.WALKS_DONE.get()).as("nothing changed: answered without a walk").isEqualTo(walks);

        // git init deep in the tree, the folder's mtime then set back to what it was: ctime still moves
        Path deep = top.resolve("src/a7/b");
        FileTime was = Files.getLastModifiedTime(deep);
        git(deep, "init", "-q", "nested");
        Files.setLastModifiedTime(deep, was);
        Files.setLastModifiedTime(deep.resolve("nested"), was);
        assertThat(NestedRepositories.cachedBelow(top)).containsExactly(deep.resolve("nested"));

        // a repository made outside the project and moved in by one rename
        settle();
        assertThat(NestedRepositories.cachedBelow(top)).containsExactly(deep.resolve("nested"));
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        git(outside, "init", "-q", "vendored");
        Files.move(outside.resolve("vendored"), top.resolve("src/a3/vendored"), StandardCopyOption.ATOMIC_MOVE);
        assertThat(NestedRepositories.cachedBelow(top)).containsExactlyInAnyOrder(deep.resolve("nested"), top.resolve("src/a3/vendored"));

        // a .git folder moved into a plain folder
        settle();
        NestedRepositories.cachedBelow(top);
        git(outside, "init", "-q", "loose");
        Files.move(outside.resolve("loose/.git"), top.resolve("src/a12/b/.git"), StandardCopyOption.ATOMIC_MOVE);
        assertThat(NestedRepositories.cachedBelow(top)).contains(top.resolve("src/a12/b"));

        // a folder holding a repository swapped for a link and back, and one removed: the answer follows the tree
        settle();
        NestedRepositories.cachedBelow(top);
        Files.move(top.resolve("src/a3/vendored"), outside.resolve("vendored"), StandardCopyOption.ATOMIC_MOVE);
        assertThat(NestedRepositories.cachedBelow(top)).doesNotContain(top.resolve("src/a3/vendored"));
        assertThat(NestedRepositories.cachedBelow(top)).isEqualTo(NestedRepositories.below(top));
    }

    @Test
    void aRepositoryMadeInTheSameClockTickAsTheWalkIsStillSeen() throws Exception {
        Path top = Files.createDirectories(tmp.resolve("project"));
        git(top, "init", "-q");
        Files.createDirectories(top.resolve("a/b"));
        // no settling: the folders changed just now, inside the racy window, so the cache is not trusted for them
        for (int i = 0; i < 20; i++) {
            assertThat(NestedRepositories.cachedBelow(top)).hasSize(i);
            git(top.resolve("a/b"), "init", "-q", "r" + i);
        }
    }
}
