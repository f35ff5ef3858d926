package dev.lathe.core.permission;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A prompt file swapped for a link between its check and its read (a parallel command racing a turn, issue 40): a
 * thread flips the project's {@code AGENTS.md} between a plain file and a link to a secret outside the project, and a
 * folder on the path of {@code docs/rules.md} between a plain folder and a link to the secret's folder, by atomic
 * renames, while the loader reads them again and again. The secret (a canary in a folder outside the project) never
 * comes back from a read; the plain text does.
 */
class PromptFileSwapTest {
    @TempDir Path tmp;

    private static final String CANARY = "CANARY-id_rsa-7f3a";

    private static void flip(Path name, Path link, Path target, Runnable plain, AtomicBoolean stop) {
        try {
            while (!stop.get()) {
                Path staged = name.resolveSibling(name.getFileName() + ".link");
                Files.deleteIfExists(staged);
                Files.createSymbolicLink(staged, link);
                Files.move(staged, name, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                plain.run();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aLinkSwappedInAfterTheCheckIsNeverRead() throws Exception {
        Path secrets = Files.createDirectories(tmp.resolve("home/.ssh"));
        Files.writeString(secrets.resolve("AGENTS.md"), CANARY);
        Files.writeString(secrets.resolve("rules.md"), CANARY);
        Path project = Files.createDirectories(tmp.resolve("project"));
        Files.writeString(project.resolve("AGENTS.md"), "plain");
        Files.createDirectories(project.resolve("docs"));
        Files.writeString(project.resolve("docs/rules.md"), "plain");
        var guard = new PromptFiles(project, project, new Ruleset(List.of(new Rule("read", "*", Action.ALLOW, RuleOrigin.NO_RULE))),
                PromptFiles.Outside.WITHHELD, new PrivatePaths(List.of()), s -> { });

        AtomicBoolean stop = new AtomicBoolean();
        Thread file = Thread.ofPlatform().start(() -> flip(project.resolve("AGENTS.md"), secrets.resolve("AGENTS.md"), null, () -> {
            try {
                Path staged = project.resolve("AGENTS.md.plain");
                Files.writeString(staged, "plain");
                Files.move(staged, project.resolve("AGENTS.md"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, stop));
        Path plainDocs = Files.createDirectories(tmp.resolve("plain-docs"));
        Files.writeString(plainDocs.resolve("rules.md"), "plain");
        Thread folder = Thread.ofPlatform().start(() -> {
            try {
                // docs/ becomes a link to the secret's folder, then a plain folder again
                Files.move(project.resolve("docs"), tmp.resolve("docs-away"), StandardCopyOption.ATOMIC_MOVE);
                Files.move(tmp.resolve("docs-away"), project.resolve("docs"), StandardCopyOption.ATOMIC_MOVE);
                while (!stop.get()) {
                    Path staged = project.resolve("docs.link");
                    Files.deleteIfExists(staged);
                    Files.createSymbolicLink(staged, secrets);
                    Files.move(project.resolve("docs"), tmp.resolve("docs-away"), StandardCopyOption.ATOMIC_MOVE);
                    Files.move(staged, project.resolve("docs"), StandardCopyOption.ATOMIC_MOVE);
                    Files.delete(project.resolve("docs"));
                    Files.move(tmp.resolve("docs-away"), project.resolve("docs"), StandardCopyOption.ATOMIC_MOVE);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        AtomicInteger plain = new AtomicInteger();
        AtomicInteger leaked = new AtomicInteger();
        long until = System.nanoTime() + 4_000_000_000L;
        try {
            while (System.nanoTime() < until) {
                for (Path p : List.of(project.resolve("AGENTS.md"), project.resolve("docs/rules.md"))) {
                    Optional<String> text;
                    try {
                        text = guard.read(p);
                    } catch (java.io.IOException e) {
                        continue; // caught between two renames: gone for a moment
                    }
                    if (text.isPresent() && text.get().contains(CANARY)) leaked.incrementAndGet();
                    if (text.isPresent() && text.get().equals("plain")) plain.incrementAndGet();
                }
            }
        } finally {
            stop.set(true);
            file.join();
            folder.join();
        }
        assertThat(leaked.get()).as("reads that returned the secret outside the project").isZero();
        assertThat(plain.get()).as("the plain file is still read").isPositive();
    }
}
