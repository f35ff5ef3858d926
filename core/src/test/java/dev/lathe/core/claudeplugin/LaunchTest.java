package dev.lathe.core.claudeplugin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What a command line launches through a package runner, wherever the runner stands in it (DESIGN §33). */
class LaunchTest {
    private static List<String> written(String... words) {
        return Launch.in("hook", List.of(words)).stream().map(l -> l.launcher() + " " + l.pkg() + l.version().map(v -> "@" + v).orElse("")
                + (l.exact() ? " exact" : " floating")).toList();
    }

    @Test
    void aRunnerIsFoundBehindAShellOrAnotherProgramAndItsVersionRead() {
        assertThat(written("npx", "-y", "server@1.2.3", "--stdio")).containsExactly("npx server@1.2.3 exact");
        assertThat(written("npx", "@scope/server@latest")).containsExactly("npx @scope/server@latest floating");
        assertThat(written("npx", "@scope/server")).containsExactly("npx @scope/server floating");
        assertThat(written("cd x && FOO=1 npx pretty --write")).containsExactly("npx pretty floating");
        assertThat(written("sh", "-c", "\"npx a@1.0.0 && bunx b@^2\"")).containsExactly("npx a@1.0.0 exact", "bunx b@^2 floating");
        assertThat(written("/usr/local/bin/npx", "--package=tool@3.0.0", "--", "run-tool")).containsExactly("npx tool@3.0.0 exact");
        assertThat(written("pnpm", "dlx", "gen@next")).containsExactly("pnpm dlx gen@next floating");
        assertThat(written("node", "server.js")).isEmpty();
    }

    @Test
    void uvxIsExactOnlyAtAVersionOrAFullCommit() {
        assertThat(Launch.in("m", List.of("uvx", "mcp-server-git==0.6.2")).getFirst().version()).isEqualTo(Optional.of("0.6.2"));
        assertThat(Launch.in("m", List.of("uvx", "mcp-server-git")).getFirst().exact()).isFalse();
        assertThat(Launch.in("m", List.of("uvx", "--from", "git+https://h/r@main", "tool")).getFirst().exact()).isFalse();
        assertThat(Launch.in("m", List.of("uvx", "--from", "git+https://h/r@" + "a".repeat(40), "tool")).getFirst().exact()).isTrue();
    }
}
