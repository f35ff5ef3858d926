package dev.lathe.core.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.core.project.Project;
import dev.lathe.llm.Protocols;
import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.Turn;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 79: an {@code instructions} entry of a project's own {@code lathe.json} that leads outside the project — a glob
 * of a home folder, a path that climbs out, a file in the project that is a link out — is the project reaching for the
 * user's files, so even in a trusted folder it reaches the model only when an {@code external_directory} rule allows its
 * real path, as a memory import's does (decision 641); the user's own config's entries are the user's choice and are
 * read as they were. End to end: real files and links, the real core, the fake model over HTTP; the evidence is the
 * system prompt the provider received.
 */
class OutsideInstructionsTest {
    private static final String HOME_SECRET = "CANARY-HOME-GLOB-61c2";
    private static final String CLIMB_SECRET = "CANARY-CLIMB-0b9e";
    private static final String LINK_SECRET = "CANARY-LINK-7f31";
    private static final String USER_NOTES = "CANARY-USERS-OWN-e845";
    private static final String AUTH_SECRET = "CANARY-LATHE-DATA-2a90";

    @TempDir Path tmp;

    @BeforeEach
    void real() throws Exception {
        tmp = tmp.toRealPath();
    }

    /** The user's config (the harness's home is {@code tmp}): the fake model, and {@code rules} in {@code permission}. */
    private static String config(FakeLlm llm, String rules) {
        return "{\"model\": \"fake/m\", \"permission\": {" + rules + "}, \"provider\": {\"fake\": {\"protocol\": \"openai-chat\", \"baseUrl\": \""
                + llm.baseUrl() + "\", \"models\": {\"m\": {\"context\": 100000, \"output\": 4000}}}}}";
    }

    /** Files outside the project, and a project whose lathe.json names them three ways besides one file of its own. */
    private void plant(Path project) throws Exception {
        Files.createDirectories(tmp.resolve("secrets"));
        Files.writeString(tmp.resolve("secrets/keys.md"), "home: " + HOME_SECRET + "\n");
        Files.createDirectories(tmp.resolve("elsewhere"));
        Files.writeString(tmp.resolve("elsewhere/notes.md"), "climbed: " + CLIMB_SECRET + "\n");
        Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(tmp.resolve("outside/key.md"), "linked: " + LINK_SECRET + "\n");
        Files.createDirectories(project.resolve(".git"));
        Files.createDirectories(project.resolve("docs"));
        Files.writeString(project.resolve("docs/style.md"), "Style: plain words.\n");
        Files.createSymbolicLink(project.resolve("docs/linked.md"), tmp.resolve("outside/key.md"));
        Files.writeString(project.resolve("lathe.json"),
                "{\"instructions\": [\"docs/style.md\", \"~/secrets/*.md\", \"../elsewhere/*.md\", \"docs/linked.md\"]}");
    }

    private static String systemOfOneTurn(FakeLlm llm, Harness h) throws Exception {
        llm.enqueue(Turn.of(Step.text("done")));
        h.promptAndWait(h.session().id(), "hello");
        return llm.requests().getLast().system();
    }

    @Test
    void aTrustedProjectsEntriesLeadingOutsideAreLeftOutWithTheAllowRuleThatWouldIncludeThem() throws Exception {
        try (var llm = FakeLlm.start();
                var h = new Harness(tmp, config(llm, ""), 20, Protocols.standard(HttpClient.newHttpClient()))) {
            plant(h.project);
            h.trustProject();
            String system = systemOfOneTurn(llm, h);

            assertThat(system).as("the project's own file still counts").contains("Style: plain words.");
            assertThat(system).as("trust is not the approval external_directory asks for").doesNotContain(HOME_SECRET, CLIMB_SECRET, LINK_SECRET);
            Project project = h.projects.get(h.project.toString());
            assertThat(h.projects.memory(project).problems()).hasSize(3).allSatisfy(p -> assertThat(p)
                    .contains("the instructions entry").contains("external_directory").contains("\": \"allow\""));
            assertThat(h.projects.memory(project).problems()).anySatisfy(p -> assertThat(p).contains("~/secrets/*.md")
                    .contains(tmp.resolve("secrets/keys.md").toString()));
        }
    }

    @Test
    void anExternalDirectoryAllowOfTheRealPathLetsExactlyThatFileIn() throws Exception {
        String allow = "\"external_directory\": {\"" + tmp.resolve("secrets") + "/**\": \"allow\", \"" + tmp.resolve("outside") + "/**\": \"allow\"}";
        try (var llm = FakeLlm.start();
                var h = new Harness(tmp, config(llm, allow), 20, Protocols.standard(HttpClient.newHttpClient()))) {
            plant(h.project);
            h.trustProject();
            String system = systemOfOneTurn(llm, h);

            assertThat(system).contains("Style: plain words.").contains(HOME_SECRET).contains(LINK_SECRET);
            assertThat(system).as("no rule allows ../elsewhere").doesNotContain(CLIMB_SECRET);
        }
    }

    @Test
    void aTrustedProjectsEntryNeverReachesLathesOwnFolderWhateverTheRules() throws Exception {
        try (var llm = FakeLlm.start();
                var h = new Harness(tmp, config(llm, "\"external_directory\": \"allow\""), 20, Protocols.standard(HttpClient.newHttpClient()))) {
            plant(h.project);
            // Lathe's data folder holds the sessions and the stored provider keys: a project naming it gets nothing
            Files.writeString(h.data.resolve("auth-canary.json"), "{\"key\": \"" + AUTH_SECRET + "\"}");
            Files.writeString(h.project.resolve("lathe.json"), "{\"instructions\": [\"docs/style.md\", \"~/data/lathe/*.json\"]}");
            h.trustProject();
            String system = systemOfOneTurn(llm, h);

            assertThat(system).contains("Style: plain words.").doesNotContain(AUTH_SECRET);
            Project project = h.projects.get(h.project.toString());
            assertThat(h.projects.memory(project).problems()).anySatisfy(p -> assertThat(p).contains("Lathe's own folder"));
        }
    }

    @Test
    void anUntrustedProjectsEntriesLeadingOutsideAreWithheldWhateverTheRules() throws Exception {
        try (var llm = FakeLlm.start();
                var h = new Harness(tmp, config(llm, "\"external_directory\": \"allow\""), 20, Protocols.standard(HttpClient.newHttpClient()))) {
            plant(h.project);
            String system = systemOfOneTurn(llm, h);

            assertThat(system).contains("Style: plain words.").doesNotContain(HOME_SECRET, CLIMB_SECRET, LINK_SECRET);
        }
    }

    @Test
    void theUsersOwnEntryOutsideTheProjectStillReachesTheModel() throws Exception {
        try (var llm = FakeLlm.start();
                var h = new Harness(tmp, config(llm, ""), 20, Protocols.standard(HttpClient.newHttpClient()))) {
            Files.createDirectories(h.project.resolve(".git"));
            Files.createDirectories(tmp.resolve("notes"));
            Files.writeString(tmp.resolve("notes/mine.md"), "my notes: " + USER_NOTES + "\n");
            Files.createDirectories(tmp.resolve("config/lathe"));
            Files.writeString(tmp.resolve("config/lathe/lathe.json"), "{\"instructions\": [\"~/notes/*.md\"]}");
            String system = systemOfOneTurn(llm, h);

            assertThat(system).as("the user's own choice, no external_directory rule needed").contains(USER_NOTES);
        }
    }
}
