package dev.lathe.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.core.info.TrustReview;
import dev.lathe.core.trust.Reach;
import dev.lathe.core.trust.Withheld;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pinned means pinned (issue 79, high): a trusted folder whose {@code .claude/settings.json} later gains
 * {@code additionalDirectories: ["~"]} and {@code acceptEdits} has neither applied — the sandbox does not bind the home
 * folder writable, edits still ask — until the folder is trusted again, and the held-back warning and {@code lathe
 * trust --show} name the home folder as such, also when the entry is a link to it.
 */
class PinnedFoldersTest {
    @TempDir Path tmp;
    private Path project;
    private Path home;
    private ConfigLoader loader;

    @BeforeEach
    void setUp() throws IOException {
        project = Files.createDirectories(tmp.resolve("proj"));
        home = Files.createDirectories(tmp.resolve("home"));
        Files.createDirectories(project.resolve(".git"));
        Map<String, String> env = Map.of("XDG_CONFIG_HOME", tmp.resolve("xdg-config").toString(), "XDG_DATA_HOME", tmp.resolve("data").toString(),
                "HOME", home.toString());
        loader = new ConfigLoader(LathePaths.fromEnvironment(env), env, tmp.resolve("managed.json"));
    }

    private void settings(String permissions) throws IOException {
        Files.createDirectories(project.resolve(".claude"));
        Files.writeString(project.resolve(".claude/settings.json"), "{\"permissions\": " + permissions + "}");
    }

    @Test
    void theHomeFolderAddedAfterTrustIsHeldBackAndNamed() throws IOException {
        settings("{\"allow\": [\"Bash(npm test)\"]}");
        TrustReview.approve(loader, project);
        settings("{\"allow\": [\"Bash(npm test)\"], \"defaultMode\": \"acceptEdits\", \"additionalDirectories\": [\"~\"]}");

        Config config = loader.load(project);

        String realHome = home.toRealPath().toString();
        assertThat(config.sandbox().writable()).noneMatch(w -> w.startsWith(realHome));
        assertThat(config.withheld()).singleElement().satisfies(w -> {
            assertThat(w.kind()).isEqualTo(Withheld.Kind.PERMISSION_MODES);
            assertThat(w.reason()).isEqualTo(Withheld.Reason.CHANGED_SINCE_TRUST);
            assertThat(w.items()).containsExactly("defaultMode acceptEdits", "additionalDirectories ~ (your home folder)");
            assertThat(w.reach()).contains(Reach.WRITES_OUTSIDE, Reach.WIDENS_PERMISSIONS);
            assertThat(w.message()).contains("changed since trust", "your home folder", "writes outside the project");
        });
        assertThat(TrustReview.of(loader, project)).anySatisfy(line -> {
            assertThat(line.item().name()).isEqualTo("additionalDirectories ~ (your home folder)");
            assertThat(line.status()).isNotEqualTo(TrustReview.Status.APPROVED);
        });

        TrustReview.approve(loader, project);
        assertThat(loader.load(project).sandbox().writable()).contains(home.toRealPath().toString());
    }

    @Test
    void aTrustedFolderEntryLaterMadeALinkToTheHomeFolderIsHeldBack() throws IOException {
        Files.createDirectories(project.resolve("shared"));
        settings("{\"additionalDirectories\": [\"shared\"]}");
        TrustReview.approve(loader, project);
        assertThat(loader.load(project).withheld()).isEmpty();

        Files.delete(project.resolve("shared"));
        Files.createSymbolicLink(project.resolve("shared"), home);
        Config config = loader.load(project);

        String realHome = home.toRealPath().toString();
        assertThat(config.sandbox().writable()).noneMatch(w -> w.startsWith(realHome));
        assertThat(config.withheld()).singleElement().satisfies(w -> assertThat(w.items()).containsExactly("additionalDirectories shared (your home folder)"));
    }

    @Test
    void anAllowRuleAddedAfterTrustIsHeldBackUntilTrustedAgain() throws IOException {
        settings("{\"allow\": [\"Bash(npm test)\"]}");
        TrustReview.approve(loader, project);
        settings("{\"allow\": [\"Bash(npm test)\", \"Bash(curl *)\"]}");

        Config config = loader.load(project);

        assertThat(config.withheld()).singleElement().satisfies(w -> {
            assertThat(w.kind()).isEqualTo(Withheld.Kind.ALLOW_RULES);
            assertThat(w.items()).containsExactly("bash: curl *");
        });
    }

    /** An agent file that gains {@code permissionMode: acceptEdits} after trust keeps its other parts, not its allow rules. */
    @Test
    void anAgentFilesAllowRulesAddedAfterTrustWaitForApproval() throws IOException {
        Files.createDirectories(project.resolve(".claude/agents"));
        Files.writeString(project.resolve(".claude/agents/helper.md"), "---\nname: helper\ndescription: helps\n---\nHelp.\n");
        TrustReview.approve(loader, project);
        Files.writeString(project.resolve(".claude/agents/helper.md"), "---\nname: helper\ndescription: helps\npermissionMode: acceptEdits\n---\nHelp.\n");

        Config config = loader.load(project);
        var helper = dev.lathe.core.agent.AgentLoader.load(config, java.util.List.of(), java.util.List.of(), project, project,
                dev.lathe.core.permission.PromptFiles.lenient(project)).agents().find("helper").orElseThrow();

        assertThat(helper.permission()).noneMatch(r -> r.action() == dev.lathe.core.permission.Action.ALLOW);
        assertThat(config.withheld()).anySatisfy(w -> {
            assertThat(w.kind()).isEqualTo(Withheld.Kind.ALLOW_RULES);
            assertThat(w.reason()).isEqualTo(Withheld.Reason.CHANGED_SINCE_TRUST);
            assertThat(w.items()).containsExactly("helper.md");
        });

        TrustReview.approve(loader, project);
        var approved = dev.lathe.core.agent.AgentLoader.load(loader.load(project), java.util.List.of(), java.util.List.of(), project, project,
                dev.lathe.core.permission.PromptFiles.lenient(project)).agents().find("helper").orElseThrow();
        assertThat(approved.permission()).anyMatch(r -> r.action() == dev.lathe.core.permission.Action.ALLOW && r.permission().equals("edit"));
    }
}
