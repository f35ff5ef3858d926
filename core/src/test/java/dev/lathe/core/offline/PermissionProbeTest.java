package dev.lathe.core.offline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.core.offline.PermissionProbe.Request;
import dev.lathe.core.permission.Action;
import dev.lathe.core.permission.Decision;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lathe debug permission}'s decisions on a real project folder and config files: the checks the tools make
 * ({@code external_directory} on the folder of a path outside the project, then the tool's own key), decided by the
 * gate's function.
 */
class PermissionProbeTest {
    @TempDir Path tmp;

    private Map<String, String> env() {
        return Map.of("HOME", tmp.resolve("home").toString(), "XDG_CONFIG_HOME", tmp.resolve("xdg/config").toString(),
                "XDG_DATA_HOME", tmp.resolve("xdg/data").toString(), "XDG_STATE_HOME", tmp.resolve("xdg/state").toString(),
                "XDG_CACHE_HOME", tmp.resolve("xdg/cache").toString());
    }

    private Path project(String config) throws Exception {
        Path project = Files.createDirectories(tmp.resolve("project"));
        Files.writeString(project.resolve("lathe.json"), config);
        // its allow rules apply once it is trusted (DESIGN §24), as trust pinned them (DESIGN §30)
        dev.lathe.core.info.TrustReview.approve(dev.lathe.core.config.ConfigLoader.standard(dev.lathe.core.config.LathePaths.fromEnvironment(env()), env()), project);
        return project;
    }

    @Test
    void pathsAreDecidedAsTheFileToolsAskForThem() throws Exception {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Path project = project("""
                {"permission": {"read": {"*": "allow", ".env": "deny"}, "edit": {"*": "ask", "src/**": "allow"},
                                "external_directory": {"*": "ask", "%s/*": "deny"}}}
                """.formatted(outside));
        var probe = PermissionProbe.open(env(), project, "build", w -> { });

        assertThat(probe.decide(new Request.PathAccess("read", "config/.env")))
                .extracting(Decision::action, Decision::rule).containsExactly(Action.DENY, "read: .env");
        assertThat(probe.decide(new Request.PathAccess("edit", "src/Main.java")))
                .extracting(Decision::action, Decision::rule).containsExactly(Action.ALLOW, "edit: src/**");
        assertThat(probe.decide(new Request.PathAccess("read", outside.resolve("notes.txt").toString())))
                .extracting(Decision::action, Decision::rule).containsExactly(Action.DENY, "external_directory: " + outside + "/*");
        assertThat(probe.decide(new Request.PathAccess("read", tmp.resolve("elsewhere/a.txt").toString())).action()).isEqualTo(Action.ASK);
    }

    @Test
    void linksAreDecidedByWhereTheyLeadAndProtectedPathsAsk() throws Exception {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Path project = project("""
                {"permission": {"read": {"*": "allow", ".env": "deny"}, "edit": "allow", "external_directory": {"*": "ask", "%s/*": "deny"}}}
                """.formatted(outside));
        Files.writeString(project.resolve(".env"), "KEY=x\n");
        Files.createSymbolicLink(project.resolve("notes.txt"), project.resolve(".env"));
        Files.createSymbolicLink(project.resolve("out"), outside);
        var probe = PermissionProbe.open(env(), project, "build", w -> { });

        assertThat(probe.decide(new Request.PathAccess("read", "notes.txt")))
                .extracting(Decision::action, Decision::rule).containsExactly(Action.DENY, "read: .env");
        assertThat(probe.decide(new Request.PathAccess("edit", "out/new.txt")))
                .extracting(Decision::action, Decision::rule).containsExactly(Action.DENY, "external_directory: " + outside.toRealPath() + "/*");
        assertThat(probe.decide(new Request.PathAccess("edit", ".git/hooks/pre-commit")))
                .extracting(Decision::action, Decision::rule).containsExactly(Action.ASK, "protected path");
        assertThat(probe.decide(new Request.PathAccess("edit", "src/Main.java")).action()).isEqualTo(Action.ALLOW);
    }

    @Test
    void commandsAndOtherValuesUseTheToolsOwnRules() throws Exception {
        Path project = project("""
                {"permission": {"bash": {"*": "ask", "cat *": "allow"}, "read": {"*": "allow", ".env": "deny"},
                                "webfetch": {"https://example.com/*": "allow"}}}
                """);
        var probe = PermissionProbe.open(env(), project, "build", w -> { });

        Decision cat = probe.decide(new Request.Command("bash", "cat .env", Optional.empty()));
        assertThat(cat.action()).isEqualTo(Action.DENY);
        assertThat(cat.rule()).isEqualTo("read: .env");
        assertThat(cat.commands()).containsExactly("cat .env");
        assertThat(probe.decide(new Request.Value("webfetch", "https://example.com/a")).action()).isEqualTo(Action.ALLOW);
        assertThat(probe.decide(new Request.Value("webfetch", "https://other.org/")).action()).isEqualTo(Action.ASK);
    }

    @Test
    void anAgentsLayerAppliesAndAnUnknownAgentOrAnEmptyPathFails() throws Exception {
        Path project = project("{\"permission\": {\"edit\": \"allow\"}}");
        List<String> warnings = new ArrayList<>();

        assertThat(PermissionProbe.open(env(), project, "plan", warnings::add).decide(new Request.PathAccess("edit", "a.txt")).action())
                .isEqualTo(Action.DENY);
        assertThat(PermissionProbe.open(env(), project, "build", warnings::add).decide(new Request.PathAccess("edit", "a.txt")).action())
                .isEqualTo(Action.ALLOW);
        assertThatThrownBy(() -> PermissionProbe.open(env(), project, "nope", warnings::add))
                .isInstanceOf(OfflineFailure.class).hasMessageContaining("unknown agent 'nope'").hasMessageContaining("build");
        assertThatThrownBy(() -> PermissionProbe.open(env(), project, "build", warnings::add).decide(new Request.PathAccess("read", " ")))
                .isInstanceOf(OfflineFailure.class).hasMessage("path must not be empty");
        assertThatThrownBy(() -> PermissionProbe.open(env(), project, "build", warnings::add).decide(new Request.PathAccess("read", "a\u0000b")))
                .isInstanceOf(OfflineFailure.class);
    }
}
