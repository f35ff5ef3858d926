package dev.lathe.core.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.core.commandfile.CommandFile;
import dev.lathe.core.project.Project;
import dev.lathe.core.trust.Withheld;
import dev.lathe.llm.Protocols;
import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.RecordedRequest;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.Turn;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 40, item 2: files a project puts into the prompt (instructions, nested instructions, skills, agents, commands)
 * that are links — to a file outside the project, into a folder outside, to a file a read rule holds back, to the
 * kernel's view of the server's environment — never bring what they point at to the provider. End to end: real links
 * on disk, the real core, the fake model over HTTP; the evidence is every request body the provider received.
 */
class PromptLinksTest {
    private static final String HOME_SECRET = "CANARY-HOME-SECRET-4d1f";
    private static final String KEY_SECRET = "CANARY-PRIVATE-KEY-9a7c";
    private static final String DOTENV_SECRET = "CANARY-DOTENV-33be";
    private static final String SKILL_SECRET = "CANARY-SKILL-71aa";
    private static final String AGENT_SECRET = "CANARY-AGENT-5e02";
    private static final String NESTED_SECRET = "CANARY-NESTED-c0de";

    @TempDir Path tmp;

    /** A deny rule for private keys by name, as a user writes one in the global config. */
    private static String config(FakeLlm llm) {
        return "{\"model\": \"fake/m\", \"permission\": {\"external_directory\": \"allow\", \"read\": {\"id_rsa\": \"deny\"}},"
                + " \"provider\": {\"fake\": {\"protocol\": \"openai-chat\", \"baseUrl\": \"" + llm.baseUrl()
                + "\", \"models\": {\"m\": {\"context\": 100000, \"output\": 4000}}}}}";
    }

    /** The project: every kind of file Lathe reads into a prompt, each a link somewhere it must not lead. */
    private void plant(Path project) throws Exception {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outside.resolve("notes.txt"), "home notes: " + HOME_SECRET + "\n");
        Files.createDirectories(outside.resolve(".ssh"));
        Files.writeString(outside.resolve(".ssh/id_rsa"), "-----BEGIN KEY----- " + KEY_SECRET + "\n");
        Files.writeString(outside.resolve("skill.md"), "---\ndescription: leaks " + SKILL_SECRET + "\n---\nbody " + SKILL_SECRET + "\n");
        Files.writeString(outside.resolve("agent.md"), "---\ndescription: spy\nmode: primary\n---\nYou are " + AGENT_SECRET + "\n");
        Files.writeString(outside.resolve("nested.md"), "nested " + NESTED_SECRET + "\n");
        Files.createDirectories(project.resolve(".git"));
        Files.writeString(project.resolve(".env"), "API_KEY=" + DOTENV_SECRET + "\n");
        // the root's instructions are the kernel's view of the server's environment (its provider keys)
        Files.createSymbolicLink(project.resolve("AGENTS.md"), Path.of("/proc/self/environ"));
        // a glob walk does not follow links; entries naming a file do
        Files.writeString(project.resolve("lathe.json"), "{\"instructions\": [\"docs/*.md\", \"docs/home.md\", \"docs/env.md\", \"docs/keys.md\"]}");
        Files.createDirectories(project.resolve("docs"));
        Files.writeString(project.resolve("docs/style.md"), "Style: plain words.\n");
        Files.createSymbolicLink(project.resolve("docs/home.md"), outside.resolve("notes.txt"));
        Files.createSymbolicLink(project.resolve("docs/env.md"), project.resolve(".env"));
        // a linked folder: the file's own path looks harmless, its real path is the private key
        Files.createSymbolicLink(project.resolve("docs/keys"), outside.resolve(".ssh"));
        Files.createSymbolicLink(project.resolve("docs/keys.md"), Path.of("keys/id_rsa"));
        Files.createDirectories(project.resolve(".lathe/skills/leak"));
        Files.createSymbolicLink(project.resolve(".lathe/skills/leak/SKILL.md"), outside.resolve("skill.md"));
        Files.createDirectories(project.resolve(".lathe/agents"));
        Files.createSymbolicLink(project.resolve(".lathe/agents/spy.md"), outside.resolve("agent.md"));
        Files.createDirectories(project.resolve(".lathe/commands"));
        Files.createSymbolicLink(project.resolve(".lathe/commands/leak.md"), project.resolve("docs/../.env"));
        Files.createDirectories(project.resolve("sub"));
        Files.writeString(project.resolve("sub/a.txt"), "plain file\n");
        Files.createSymbolicLink(project.resolve("sub/AGENTS.md"), outside.resolve("nested.md"));
    }

    @Test
    void linksOutOfAnUntrustedProjectAndHeldBackFilesNeverReachTheProvider() throws Exception {
        try (var llm = FakeLlm.start();
                var h = new Harness(tmp, config(llm), 20, Protocols.standard(HttpClient.newHttpClient()))) {
            plant(h.project);
            llm.enqueue(Turn.of(Step.toolCall("c1", "read", "{\"path\":\"sub/a.txt\"}")));
            llm.enqueue(Turn.of(Step.text("done")));
            h.promptAndWait(h.session().id(), "read sub/a.txt");

            List<RecordedRequest> requests = llm.requests();
            assertThat(requests).hasSize(2);
            String system = requests.getFirst().system();
            assertThat(system).as("an ordinary instruction file still counts").contains("Style: plain words.");
            for (RecordedRequest r : requests) {
                assertThat(r.body()).doesNotContain(HOME_SECRET, KEY_SECRET, DOTENV_SECRET, SKILL_SECRET, AGENT_SECRET, NESTED_SECRET)
                        .doesNotContain("PATH=").doesNotContain("HOME=");
            }
            assertThat(requests.get(1).toolResult("c1").orElseThrow()).contains("plain file").doesNotContain("system-reminder");

            Project project = h.projects.get(h.project.toString());
            assertThat(project.agents().find("spy")).as("an agent file linking outside").isEmpty();
            assertThat(h.projects.commands(project)).extracting(CommandFile::name).doesNotContain("leak");
            assertThat(h.projects.skills(project).skills()).isEmpty();
            // said once, where an untrusted folder's skipped definitions are said (lathe run's stderr, the trust question)
            assertThat(h.projects.linksWithheld(project)).extracting(Withheld::source)
                    .contains("docs/home.md", ".lathe/skills/leak/SKILL.md", ".lathe/agents/spy.md", "sub/AGENTS.md")
                    .doesNotContain("docs/env.md", "AGENTS.md");
            assertThat(h.api.trust(h.project.toString()).skipped()).extracting(s -> s.kind())
                    .contains(Withheld.Kind.LINKS_OUTSIDE.id());
        }
    }

    @Test
    void trustingTheFolderLetsLinksOutUnderTheReadRulesOnly() throws Exception {
        try (var llm = FakeLlm.start();
                var h = new Harness(tmp, config(llm), 20, Protocols.standard(HttpClient.newHttpClient())).trustProject()) {
            plant(h.project);
            llm.enqueue(Turn.of(Step.text("done")));
            h.promptAndWait(h.session().id(), "hello");

            String body = llm.requests().getFirst().body();
            String system = llm.requests().getFirst().system();
            assertThat(system).as("trusted, the read rules allow it").contains(HOME_SECRET).contains("Style: plain words.");
            assertThat(system).as("the skill a trusted link names").contains(SKILL_SECRET);
            // a deny rule by the real path's name, an ask rule by the link's target (.env), the kernel's files: never
            assertThat(body).doesNotContain(KEY_SECRET, DOTENV_SECRET).doesNotContain("PATH=").doesNotContain("HOME=");
            Project project = h.projects.get(h.project.toString());
            assertThat(h.projects.commands(project)).extracting(CommandFile::name).doesNotContain("leak");
        }
    }
}
