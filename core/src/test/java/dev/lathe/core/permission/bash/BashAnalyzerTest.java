package dev.lathe.core.permission.bash;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BashAnalyzerTest {
    @TempDir Path tmp;
    Path proj;
    Path home;

    @BeforeEach
    void setUp() throws Exception {
        proj = Files.createDirectories(tmp.resolve("proj")).toRealPath();
        home = Files.createDirectories(tmp.resolve("home")).toRealPath();
        Files.createDirectories(proj.resolve("sub"));
        Files.writeString(proj.resolve("a.txt"), "a");
        Files.writeString(proj.resolve("b.txt"), "b");
    }

    Analysis an(String cmd) { return BashAnalyzer.analyze(cmd, proj, home); }

    List<String> lines(String cmd) { return an(cmd).commands().stream().map(SimpleCommand::line).toList(); }

    List<String> accesses(String cmd) {
        return an(cmd).accesses().stream().map(a -> a.access() + " " + (a.path().equals(proj) ? "." : a.path().startsWith(proj) ? proj.relativize(a.path()).toString() : a.path().toString())).toList();
    }

    @Test
    void chainingPipesAndBackground() {
        assertThat(lines("a x && b || c; d | e & f")).containsExactly("a x", "b", "c", "d", "e", "f");
        assertThat(an("a && b").dynamic()).isFalse();
    }

    @Test
    void subshellsSubstitutionsAndBodies() {
        assertThat(lines("(a; { b; })")).containsExactly("a", "b");
        assertThat(lines("echo $(rm -rf x) `id` \"$(whoami)\"")).containsExactly("rm -rf x", "id", "whoami", "echo $(rm -rf x) `id` \"$(whoami)\"");
        assertThat(lines("diff <(sort a.txt) >(wc)")).contains("sort a.txt", "wc");
        assertThat(lines("if a; then b; elif c; then d; else e; fi; for i in 1; do f $i; done; while g; do h; done; case x in x) k;; esac"))
                .containsExactly("a", "b", "c", "d", "e", "f $i", "g", "h", "k");
        assertThat(lines("fn() { rm -rf x; }; fn")).containsExactly("rm -rf x", "fn");
        assertThat(lines("x=$(curl evil)")).containsExactly("curl evil");
    }

    @Test
    void heredocBodyIsDataButSubstitutionsRun() {
        Analysis a = an("cat <<EOF > out.txt\nrm -rf /\n$(id)\nEOF");
        assertThat(a.commands().stream().map(SimpleCommand::line)).containsExactly("id", "cat");
        assertThat(a.dynamic()).isFalse();
        assertThat(accesses("cat <<EOF > out.txt\nhi\nEOF")).containsExactly("WRITE out.txt");
        assertThat(an("bash <<X\nrm -rf /\nX").dynamic()).isTrue();
        assertThat(an("cat <<'E' | sh\nls\nE").dynamic()).isTrue();
    }

    @Test
    void wrappersAreUnwrapped() {
        assertThat(lines("bash -c 'rm -rf x; ls'")).containsExactly("bash -c rm -rf x; ls", "rm -rf x", "ls");
        assertThat(lines("sh -ec \"git status\"")).endsWith("git status");
        assertThat(lines("zsh -c 'ls'")).endsWith("ls");
        assertThat(lines("env -i FOO=1 rm x")).endsWith("rm x");
        assertThat(lines("command rm x")).endsWith("rm x");
        assertThat(lines("builtin cd sub")).endsWith("cd sub");
        assertThat(lines("exec rm x")).endsWith("rm x");
        assertThat(lines("nice -n 5 rm x")).endsWith("rm x");
        assertThat(lines("nohup rm x &")).endsWith("rm x");
        assertThat(lines("time rm x")).endsWith("rm x");
        assertThat(lines("timeout -s KILL 10 rm x")).endsWith("rm x");
        assertThat(lines("xargs -n 1 rm")).endsWith("rm");
        assertThat(lines("sudo -u root rm x")).endsWith("rm x");
        assertThat(lines("doas rm x")).endsWith("rm x");
        assertThat(lines("stdbuf -oL rm x")).endsWith("rm x");
        assertThat(lines("ionice -c 3 rm x")).endsWith("rm x");
        assertThat(lines("sudo env FOO=1 timeout 5 bash -c 'nice rm x'")).endsWith("rm x");
        assertThat(lines("find . -name '*.o' -exec rm {} \\;")).containsExactly("find . -name *.o -exec rm {} ;", "rm {}");
        assertThat(lines("FOO=1 BAR=2 rm x")).containsExactly("rm x");
        assertThat(an("sudo rm x").commands().getFirst().role()).isEqualTo(SimpleCommand.Role.ELEVATING);
        assertThat(an("timeout 5 ls").commands().getFirst().role()).isEqualTo(SimpleCommand.Role.WRAPPER);
        assertThat(an("env").commands().getFirst().role()).isEqualTo(SimpleCommand.Role.COMMAND);
        assertThat(an("command -v rm").commands().getFirst().role()).isEqualTo(SimpleCommand.Role.COMMAND);
        assertThat(an("chroot /x ls").dynamic()).isTrue();
    }

    @Test
    void quotingTricksNormaliseTheName() {
        for (String c : List.of("r''m x", "\"r\"m x", "\\rm x", "/bin/rm x", "/usr/bin/rm x", "'rm' x", "\"rm\" x", "r\\m x")) {
            assertThat(lines(c)).as(c).containsExactly("rm x");
            assertThat(an(c).dynamic()).as(c).isFalse();
        }
        assertThat(an("/usr/bin/rm x").commands().getFirst().name()).isEqualTo("/usr/bin/rm");
        assertThat(lines("./rm x")).containsExactly("./rm x");
        assertThat(lines("echo 'a b' \"c d\" e\\ f")).containsExactly("echo a b c d e f");
        assertThat(an("echo 'a b'").commands().getFirst().words()).containsExactly("echo", "a b");
    }

    @Test
    void redirections() {
        assertThat(accesses("ls > out.txt 2>&1")).containsExactly("WRITE out.txt", "LIST .");
        assertThat(accesses("ls >> o1 2> o2 &> o3 >| o4 &>> o5")).containsExactly("WRITE o1", "WRITE o2", "WRITE o3", "WRITE o4", "WRITE o5", "LIST .");
        assertThat(accesses("wc < a.txt")).containsExactly("READ a.txt");
        assertThat(accesses("ls > /dev/null 2>/dev/stderr 1>&2")).containsExactly("LIST ."); // ls lists its folder
        assertThat(accesses("echo x > /dev/null 2>/dev/stderr 1>&2")).isEmpty();
        assertThat(accesses("echo x > /etc/passwd")).containsExactly("WRITE /etc/passwd");
        assertThat(accesses("echo x > ~/.bashrc")).containsExactly("WRITE " + home.resolve(".bashrc"));
        assertThat(accesses("echo x > $HOME/.profile")).containsExactly("WRITE " + home.resolve(".profile"));
        assertThat(accesses("{ ls; } > g.txt")).containsExactly("WRITE g.txt", "LIST .");
        assertThat(an("echo x > $OUT").dynamic()).isTrue();
    }

    @Test
    void cdIsTrackedAndDoesNotLeakFromSubshells() {
        assertThat(accesses("cd sub && rm x")).containsExactly("PATH sub", "WRITE sub/x");
        assertThat(accesses("(cd sub; rm x); rm y")).containsExactly("PATH sub", "WRITE sub/x", "WRITE y");
        assertThat(accesses("cd sub | rm x")).contains("WRITE x");
        assertThat(accesses("pushd sub; touch t")).contains("WRITE sub/t");
        assertThat(accesses("cd && rm x")).containsExactly("WRITE " + home.resolve("x"));
        assertThat(an("cd $X && rm y").dynamic()).isTrue();
        assertThat(accesses("cd .. && cat proj/a.txt")).contains("READ a.txt");
    }

    @Test
    void fileOperands() {
        assertThat(accesses("cat a.txt b.txt")).containsExactly("READ a.txt", "READ b.txt");
        assertThat(accesses("grep -n foo a.txt")).containsExactly("READ a.txt");
        assertThat(accesses("grep -e foo -e bar a.txt")).containsExactly("READ a.txt");
        assertThat(accesses("sed -i 's/a/b/' a.txt")).containsExactly("WRITE a.txt");
        assertThat(accesses("sed -n 1p a.txt")).containsExactly("READ a.txt");
        assertThat(accesses("cp a.txt sub/c.txt")).containsExactly("READ a.txt", "WRITE sub/c.txt");
        assertThat(accesses("mv a.txt b")).containsExactly("WRITE a.txt", "WRITE b");
        assertThat(accesses("dd if=a.txt of=o.bin")).containsExactly("READ a.txt", "WRITE o.bin");
        assertThat(accesses("head -n 5 a.txt")).containsExactly("READ a.txt");
        assertThat(accesses("tail -f a.txt")).containsExactly("READ a.txt");
        assertThat(accesses("rm -r sub")).containsExactly("WRITE sub");
        assertThat(accesses("chmod 644 a.txt")).containsExactly("WRITE a.txt");
        assertThat(accesses("chmod -w a.txt")).containsExactly("WRITE a.txt");
        assertThat(accesses("tar -xzf x.tgz -C sub")).containsExactly("READ x.tgz", "WRITE sub");
        assertThat(accesses("curl -sSLo out.html https://x")).containsExactly("WRITE out.html");
        assertThat(accesses("git -C /elsewhere status")).contains("WRITE /elsewhere");
        assertThat(accesses("find . -delete")).containsExactly("WRITE .");
        assertThat(accesses("rm *.txt")).contains("WRITE a.txt", "WRITE b.txt");
        assertThat(accesses("awk '{print $1}' a.txt")).containsExactly("READ a.txt");
        assertThat(accesses("jq -r .x a.txt")).containsExactly("READ a.txt");
        assertThat(accesses("tee -a log.txt")).containsExactly("WRITE log.txt");
    }

    @Test
    void symlinksAreResolved() throws Exception {
        Path outside = Files.createDirectories(tmp.resolve("outside")).toRealPath();
        Files.createSymbolicLink(proj.resolve("link"), outside);
        assertThat(accesses("rm link/x")).containsExactly("WRITE " + outside.resolve("x"));
        assertThat(RealPaths.inside(tmp.resolve("proj-other/x"), proj)).isFalse();
        assertThat(RealPaths.inside(proj.resolve("x"), proj)).isTrue();
    }

    @Test
    void dynamicCases() {
        assertThat(an("$CMD x").dynamic()).isTrue();
        assertThat(an("${CMD} x").dynamic()).isTrue();
        assertThat(an("eval 'rm -rf /'").dynamic()).isTrue();
        assertThat(an("`echo rm` -rf /").dynamic()).isTrue();
        assertThat(an("$(echo rm) -rf /").dynamic()).isTrue();
        assertThat(an("source $F").dynamic()).isTrue();
        assertThat(an(". ./env.sh").dynamic()).isFalse();
        assertThat(an("exec $X").dynamic()).isTrue();
        assertThat(an("bash -c \"$S\"").dynamic()).isTrue();
        assertThat(an("curl x | sh").dynamic()).isTrue();
        assertThat(an("xargs rm").dynamic()).isTrue();
        assertThat(an("xargs echo").dynamic()).isFalse();
        assertThat(an("PATH=/tmp ls").dynamic()).isTrue();
        assertThat(an("rm $F").dynamic()).isTrue();
        assertThat(an("echo $F").dynamic()).isFalse();
        assertThat(an("$'\\x72m' x").dynamic()).isTrue();
        assertThat(an("cat {.env,x}").dynamic()).isTrue();
    }

    @Test
    void unparseableInputIsDynamic() {
        assertThat(an("echo ((").dynamic()).isTrue();
        assertThat(an("if then fi (").dynamic()).isTrue();
        assertThat(an("echo 'unterminated").dynamic()).isTrue();
        assertThat(an("echo x".repeat(1) + " ".repeat(Walker.MAX_INPUT)).dynamic()).isTrue();
    }

    @Test
    void gitContentCommandsNameWhatTheyPrint() throws Exception {
        Files.createDirectories(proj.resolve(".git")); // the repository's top is found by its .git
        assertThat(accesses("git diff")).containsExactly("REPOSITORY .");
        assertThat(accesses("cd sub && git log -p")).containsExactly("PATH sub", "REPOSITORY .");
        assertThat(accesses("git diff -- sub")).containsExactly("TRACKED sub");
        assertThat(accesses("git diff a.txt")).containsExactly("READ_IF_EXISTS a.txt");
        assertThat(accesses("git diff --stat")).isEmpty();
        assertThat(accesses("git log --oneline")).isEmpty();
        assertThat(accesses("git show --stat HEAD:a.txt")).containsExactly("TRACKED a.txt");
        // REV:path is from the repository's top, ./path from the current folder, :0:path is a stage of the index
        assertThat(accesses("cd sub && git show HEAD:a.txt")).containsExactly("PATH sub", "TRACKED a.txt");
        assertThat(accesses("cd sub && git show HEAD:./a.txt")).contains("TRACKED sub/a.txt").doesNotContain("TRACKED a.txt");
        assertThat(accesses("git show :0:a.txt")).containsExactly("TRACKED a.txt");
        // -C moves the folder operands are resolved in
        assertThat(accesses("git -C sub diff -- x")).contains("WRITE sub", "TRACKED sub/x").doesNotContain("TRACKED x");
        assertThat(accesses("git grep foo")).containsExactly("REPOSITORY .");
        assertThat(accesses("git grep --untracked foo")).containsExactly("SEARCH .");
        assertThat(an("git diff --submodule=diff").concerns()).isNotEmpty();
    }

    @Test
    void gitGlobalOptionsAreLeftOutOfTheSecondForm() {
        assertThat(an("git -c a=b -C sub --no-pager push origin").commands().getFirst().forms())
                .containsExactly("git -c a=b -C sub --no-pager push origin", "git push origin");
        assertThat(an("git status").commands().getFirst().forms()).containsExactly("git status");
        assertThat(an("git --version").commands().getFirst().forms()).containsExactly("git --version");
        // -c is found after -C too
        assertThat(an("git -C sub -c core.pager=x diff").concerns()).contains("git option -c sets configuration that can name a program to run");
    }

    @Test
    void watchAndSuRunTheirCommand() {
        assertThat(lines("watch -n 1 cat a.txt")).containsExactly("watch -n 1 cat a.txt", "cat a.txt");
        assertThat(accesses("watch -n 1 'cat a.txt'")).containsExactly("READ a.txt");
        assertThat(lines("su -c 'rm -rf x' root")).containsExactly("su -c rm -rf x root", "rm -rf x");
        assertThat(accesses("git rm -r sub")).containsExactly("WRITE sub");
        assertThat(accesses("git checkout main -- a.txt")).containsExactly("WRITE a.txt");
        assertThat(accesses("git checkout main")).isEmpty();
        assertThat(accesses("git clean -fd")).containsExactly("WRITE .");
    }
}
