package dev.lathe.core.permission;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PermissionDeciderTest {
    @TempDir Path tmp;
    Path proj;
    Path home;

    @BeforeEach
    void setUp() throws Exception {
        proj = Files.createDirectories(tmp.resolve("proj")).toRealPath();
        home = Files.createDirectories(tmp.resolve("home")).toRealPath();
    }

    PermissionDecider decider(Rule... rules) { return new PermissionDecider(new Ruleset(List.of(rules)), proj, home); }

    static Rule r(String perm, String pattern, String action) { return new Rule(perm, pattern, Action.parse(action)); }

    @Test
    void mostSpecificBashPatternWins() {
        var d = decider(r("bash", "*", "ask"), r("bash", "git *", "deny"), r("bash", "git status *", "allow"));
        assertThat(d.bash("git status", proj).action()).isEqualTo(Action.ALLOW);
        assertThat(d.bash("git status", proj).rule()).isEqualTo("bash: git status *");
        assertThat(d.bash("git push", proj).action()).isEqualTo(Action.DENY);
        assertThat(d.bash("git push", proj).rule()).isEqualTo("bash: git *");
        assertThat(d.bash("ls", proj).rule()).isEqualTo("bash: *");
        assertThat(d.bash("git status -s", proj).commands()).containsExactly("git status -s");
    }

    @Test
    void tiesGoToTheStricterAction() {
        var d = decider(r("bash", "ls *", "allow"), r("bash", "l* -*", "deny"), r("bash", "ls -la", "allow"));
        // "ls *" and "l* -*" both have 3 literal characters: deny wins the tie
        assertThat(d.bash("ls -a", proj).action()).isEqualTo(Action.DENY);
        assertThat(d.bash("ls -a", proj).rule()).isEqualTo("bash: l* -*");
        // a longer literal pattern beats both
        assertThat(d.bash("ls -la", proj).action()).isEqualTo(Action.ALLOW);
        assertThat(d.bash("ls x", proj).action()).isEqualTo(Action.ALLOW);
    }

    @Test
    void spaceStarMatchesTheBareCommand() {
        var d = decider(r("bash", "*", "deny"), r("bash", "ls *", "allow"));
        assertThat(d.bash("ls", proj).action()).isEqualTo(Action.ALLOW);
        assertThat(d.bash("lsblk", proj).action()).isEqualTo(Action.DENY);
    }

    @Test
    void strictestOverSubCommandsAndFiles() {
        var d = decider(r("bash", "*", "allow"), r("bash", "rm *", "deny"), r("read", ".env", "deny"), r("read", "*", "allow"),
                r("edit", "*", "allow"), r("external_directory", "*", "ask"));
        assertThat(d.bash("ls && rm x", proj).action()).isEqualTo(Action.DENY);
        Decision env = d.bash("cat .env", proj);
        assertThat(env.action()).isEqualTo(Action.DENY);
        assertThat(env.rule()).isEqualTo("read: .env");
        assertThat(d.bash("cat sub/dir/.env", proj).action()).isEqualTo(Action.DENY);
        Decision ext = d.bash("echo x > /etc/passwd", proj);
        assertThat(ext.action()).isEqualTo(Action.ASK);
        assertThat(ext.rule()).isEqualTo("external_directory: *");
        assertThat(d.bash("echo x > ok.txt", proj).action()).isEqualTo(Action.ALLOW);
    }

    @Test
    void dynamicAndEmptyAreAtLeastAsk() {
        var d = decider(r("bash", "*", "allow"), r("read", "*", "allow"), r("edit", "*", "allow"));
        assertThat(d.bash("", proj).action()).isEqualTo(Action.ASK);
        assertThat(d.bash("   ", proj).rule()).isEqualTo("default");
        Decision dyn = d.bash("$CMD x", proj);
        assertThat(dyn.action()).isEqualTo(Action.ASK);
        assertThat(dyn.rule()).isEqualTo("default");
        assertThat(d.bash("eval x", proj).action()).isEqualTo(Action.ASK);
    }

    @Test
    void noMatchingRuleIsAskNamedDefault() {
        var d = decider(r("bash", "git *", "allow"));
        Decision x = d.bash("ls", proj);
        assertThat(x.action()).isEqualTo(Action.ASK);
        assertThat(x.rule()).isEqualTo("default");
        assertThat(decider(r("*", "*", "deny")).bash("ls", proj).rule()).isEqualTo("*: *");
    }

    @Test
    void wrappersAreDecidedByWhatTheyRunUnlessNamed() {
        var d = decider(r("bash", "*", "ask"), r("bash", "git status *", "allow"), r("bash", "sudo *", "allow"));
        assertThat(d.bash("timeout 5 git status", proj).action()).isEqualTo(Action.ALLOW);
        assertThat(d.bash("timeout 5 git push", proj).action()).isEqualTo(Action.ASK);
        // sudo is in the table of risky programs (Hazards): even a rule naming it only reaches ask
        assertThat(d.bash("sudo git status", proj).action()).isEqualTo(Action.ASK);
        assertThat(d.bash("sudo git status", proj).reason()).isEqualTo("sudo runs commands as another user");
        var strict = decider(r("bash", "*", "allow"), r("bash", "nohup *", "deny"));
        assertThat(strict.bash("nohup ls", proj).action()).isEqualTo(Action.DENY);
        var noSudo = decider(r("bash", "*", "ask"), r("bash", "git status *", "allow"));
        assertThat(noSudo.bash("sudo git status", proj).action()).isEqualTo(Action.ASK);
    }

    @Test
    void pathGlobsAndExternalDirectory() throws Exception {
        var d = decider(r("edit", "*", "ask"), r("edit", "src/**", "allow"), r("edit", "src/gen/*", "deny"),
                r("external_directory", "*", "ask"), r("external_directory", tmp + "/shared/**", "allow"));
        assertThat(d.path("edit", proj.resolve("src/a/B.java")).action()).isEqualTo(Action.ALLOW);
        assertThat(d.path("edit", proj.resolve("src/gen/X.java")).action()).isEqualTo(Action.DENY);
        assertThat(d.path("edit", proj.resolve("src/gen/X.java")).rule()).isEqualTo("edit: src/gen/*");
        assertThat(d.path("edit", proj.resolve("README.md")).action()).isEqualTo(Action.ASK);
        assertThat(d.path("edit", Path.of("src/x.txt")).action()).isEqualTo(Action.ALLOW);
        // outside: external_directory and the permission's own rules, strictest wins
        assertThat(d.path("edit", tmp.resolve("shared/x")).action()).isEqualTo(Action.ASK);
        assertThat(d.path("edit", tmp.resolve("proj-other/src/x")).rule()).isEqualTo("external_directory: *");
        var allowEdits = decider(r("edit", "*", "allow"), r("external_directory", "*", "ask"), r("external_directory", tmp + "/shared/**", "allow"));
        assertThat(allowEdits.path("edit", tmp.resolve("shared/x")).action()).isEqualTo(Action.ALLOW);
        Files.createDirectories(tmp.resolve("out"));
        Files.createSymbolicLink(proj.resolve("link"), tmp.resolve("out"));
        assertThat(allowEdits.path("edit", proj.resolve("link/f")).action()).isEqualTo(Action.ASK);
    }

    @Test
    void gitGlobalOptionsMeetTheRulesOfTheBareSubcommandStrictestWinning() {
        var d = decider(r("bash", "*", "ask"), r("bash", "git push *", "deny"), r("bash", "git log *", "allow"),
                r("bash", "git --no-pager log *", "allow"), r("bash", "git -C *", "deny"), r("bash", "git status *", "allow"),
                r("edit", "*", "allow"), r("read", "*", "allow"));
        assertThat(d.bash("git -c x=y push origin main", proj).action()).isEqualTo(Action.DENY);
        assertThat(d.bash("git -C . push", proj).action()).isEqualTo(Action.DENY);
        assertThat(d.bash("git --no-pager push", proj).action()).isEqualTo(Action.DENY);
        // allowed as written and without the option: allowed
        assertThat(d.bash("git --no-pager log -3", proj).action()).isEqualTo(Action.ALLOW);
        // a rule written for the form with the option still holds
        assertThat(d.bash("git -C . status", proj).action()).isEqualTo(Action.DENY);
        // the options keep their own checks: -c asks, -C outside the project is an external folder
        assertThat(d.bash("git --no-pager -c core.pager=x log", proj).action()).isEqualTo(Action.ASK);
        assertThat(d.bash("git --no-pager -C /elsewhere log", proj).action()).isEqualTo(Action.ASK);
    }

    @Test
    void alwaysRules() {
        var d = decider();
        assertThat(d.alwaysRules("git status -s && ls -la | wc -l")).containsExactly("git status *", "ls *", "wc *");
        assertThat(d.alwaysRules("./mvnw -q test")).containsExactly("./mvnw -q test");
        assertThat(d.alwaysRules("npm run build")).containsExactly("npm run *");
        assertThat(d.alwaysRules("timeout 5 cargo test")).containsExactly("cargo test *");
        assertThat(d.alwaysRules("sudo rm x")).isEmpty();
        // never a bare program glob for what deletes or interprets: the exact line, or nothing when it holds a glob
        assertThat(d.alwaysRules("rm -rf build")).containsExactly("rm -rf build");
        assertThat(d.alwaysRules("python3 gen.py --out x")).containsExactly("python3 gen.py --out x");
        assertThat(d.alwaysRules("ls && /usr/bin/node build.js")).containsExactly("ls *", "node build.js");
        assertThat(d.alwaysRules("rm *.tmp")).isEmpty();
        assertThat(d.alwaysRules("bash -c 'rm -rf out'")).doesNotContain("rm *", "bash *");
        assertThat(d.alwaysRules("$X y")).isEmpty();
        // a quoted word with a blank: the joined line would also match other words (rm my file deletes two files)
        assertThat(d.alwaysRules("rm \"my file\"")).isEmpty();
        assertThat(d.alwaysRules("python3 -c 'print(1)'")).containsExactly("python3 -c print(1)");
        assertThat(d.alwaysRules("python3 -c 'import os; print(1)' && ls")).containsExactly("ls *");
        assertThat(d.alwaysRules("git -c user.name='A B' log")).isEmpty();
        assertThat(d.alwaysRules("rm ''")).isEmpty();
        assertThat(d.alwaysRules("git -c core.pager=evil log")).containsExactly("git -c core.pager=evil log", "git log");
        assertThat(d.alwaysRules("git --no-pager log --oneline")).containsExactly("git --no-pager log --oneline", "git log --oneline");
    }
}
