package dev.lathe.core.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.protocol.api.CreateSessionRequest;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.SessionWorktree;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /sessions} with {@code worktree} (DESIGN §19) on the real core and real git: the session is stored in
 * the new worktree with the worktree recorded, and a request refused for any reason leaves no worktree, no branch and
 * no session behind.
 */
class SessionInNewWorktreeTest {
    @TempDir Path tmp;

    @Test
    void theSessionRunsInItsNewWorktreeAndARefusedRequestLeavesNothing() throws Exception {
        try (var h = new Harness(tmp, "", 10)) {
            Files.writeString(h.project.resolve("a.txt"), "main\n");
            git(h.project, "init", "-q", "-b", "main");
            git(h.project, "add", "-A");
            git(h.project, "-c", "user.name=t", "-c", "user.email=t@lathe.invalid", "commit", "-q", "-m", "one");
            Path main = h.project.toRealPath();

            Session s = h.api.createSession(CreateSessionRequest.in(h.project.toString()).inNewWorktree(Optional.of("alpha")));
            Path tree = main.resolve(".lathe/worktrees/alpha");
            assertThat(s.directory()).isEqualTo(tree.toString());
            assertThat(s.worktree()).contains(new SessionWorktree("alpha", "lathe/alpha", main.toString()));
            assertThat(Files.readString(tree.resolve("a.txt"))).isEqualTo("main\n");
            assertThat(h.api.sessions(h.project.toString())).extracting(Session::id).containsExactly(s.id());

            // a generated name
            Session other = h.api.createSession(CreateSessionRequest.in(h.project.toString()).inNewWorktree(Optional.empty()));
            assertThat(other.worktree().orElseThrow().name()).matches("[a-z]+-[a-z]+");
            assertThat(Path.of(other.directory())).isDirectory();

            // refused before the worktree is made (an agent the project does not have), or by the worktree (a name taken,
            // a bad name): no new folder, branch or session
            List<String> branches = branches(main);
            var unknownAgent = CreateSessionRequest.in(h.project.toString()).withAgent(Optional.of("nobody")).inNewWorktree(Optional.of("beta"));
            assertThatThrownBy(() -> h.api.createSession(unknownAgent)).isInstanceOf(LatheException.class);
            assertThatThrownBy(() -> h.api.createSession(CreateSessionRequest.in(h.project.toString()).inNewWorktree(Optional.of("alpha"))))
                    .isInstanceOf(LatheException.Conflict.class).hasMessageContaining("a worktree named alpha exists");
            assertThatThrownBy(() -> h.api.createSession(CreateSessionRequest.in(h.project.toString()).inNewWorktree(Optional.of("../up"))))
                    .isInstanceOf(LatheException.InvalidInput.class);
            assertThat(main.resolve(".lathe/worktrees/beta")).doesNotExist();
            assertThat(branches(main)).isEqualTo(branches);
            assertThat(h.api.sessions(h.project.toString())).hasSize(2);
        }
    }

    /**
     * Through the real core, with the project's own rules (Lathe's defaults ask for {@code .env} and
     * {@code secrets/**}): what {@code .worktreeinclude} names through links and hard links to those files, or out of
     * the repository, is not in the session's new worktree; {@code .env} itself and ordinary ignored files are.
     */
    @Test
    void aSessionsWorktreeGetsNoLinkedOrHardLinkedSecretFromWorktreeInclude() throws Exception {
        try (var h = new Harness(tmp, "", 10)) {
            Path outside = Files.createDirectories(tmp.resolve("outside"));
            Files.writeString(outside.resolve("id_rsa"), "canary-home\n");
            Files.writeString(h.project.resolve("a.txt"), "main\n");
            Files.writeString(h.project.resolve(".gitignore"), ".env\n*.local\nsecrets/\n");
            Files.writeString(h.project.resolve(".worktreeinclude"), ".env\n*.local\n");
            git(h.project, "init", "-q", "-b", "main");
            git(h.project, "add", "-A");
            git(h.project, "-c", "user.name=t", "-c", "user.email=t@lathe.invalid", "commit", "-q", "-m", "one");
            Files.writeString(h.project.resolve(".env"), "canary-env\n");
            Files.createDirectories(h.project.resolve("secrets"));
            Files.writeString(h.project.resolve("secrets/key"), "canary-key\n");
            Files.writeString(h.project.resolve("settings.local"), "ordinary\n");
            Files.createSymbolicLink(h.project.resolve("env.local"), Path.of(".env"));
            Files.createSymbolicLink(h.project.resolve("key.local"), Path.of("secrets/key"));
            Files.createSymbolicLink(h.project.resolve("home.local"), outside.resolve("id_rsa"));
            Files.createLink(h.project.resolve("hard.local"), h.project.resolve(".env"));

            Session s = h.api.createSession(CreateSessionRequest.in(h.project.toString()).inNewWorktree(Optional.of("inc")));
            Path tree = Path.of(s.directory());
            assertThat(Files.readString(tree.resolve(".env"))).isEqualTo("canary-env\n");
            assertThat(Files.readString(tree.resolve("settings.local"))).isEqualTo("ordinary\n");
            for (String held : List.of("env.local", "key.local", "home.local", "hard.local")) assertThat(tree.resolve(held)).as(held).doesNotExist();
        }
    }

    private static List<String> branches(Path repo) throws Exception {
        return new ArrayList<>(git(repo, "branch", "--format=%(refname:short)").lines().sorted().toList());
    }

    private static String git(Path dir, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) throw new IllegalStateException("git " + String.join(" ", args) + ": " + out);
        return out;
    }
}
