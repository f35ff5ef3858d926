package dev.lathe.core.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.llm.Protocols;
import dev.lathe.protocol.api.SkillInfo;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.ToolState;
import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.RecordedRequest;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.Turn;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Skills end to end: the list in system block B, the {@code skill} tool loading a body on demand, the permission per
 * skill name, {@code GET /skills} — the real core against the fake model over HTTP.
 */
class SkillsTest {
    @TempDir Path tmp;

    private static Harness harness(Path tmp, FakeLlm llm, String permission) throws Exception {
        String config = "{\"model\": \"fake/m\", \"permission\": " + permission + ", \"provider\": {\"fake\": {\"protocol\": \"anthropic-messages\","
                + " \"baseUrl\": \"" + llm.baseUrl() + "\", \"models\": {\"m\": {\"context\": 100000, \"output\": 4000}}}}}";
        return new Harness(tmp, config, 10, Protocols.standard(HttpClient.newHttpClient()));
    }

    private static void write(Path file, String text) throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    private static void skills(Path project, Path userSkills) throws Exception {
        write(project.resolve("AGENTS.md"), "Project rules: keep it short.\n");
        write(project.resolve(".lathe/skills/release/SKILL.md"), """
                ---
                name: release
                description: Cut a release of this project. Use when asked to release or tag a version.
                ---
                # Releasing

                1. Run the checks in checklist.md.
                2. Tag the version.
                """);
        write(project.resolve(".lathe/skills/release/checklist.md"), "- tests green\n");
        write(project.resolve(".claude/skills/pdf-forms/SKILL.md"), """
                ---
                name: pdf-forms
                description: Fill in PDF forms.
                allowed-tools: Read, Bash(pdftk:*)
                ---
                Use pdftk to fill forms.
                """);
        write(userSkills.resolve("notes/SKILL.md"), "---\ndescription: Keep meeting notes\n---\nWrite notes in notes/.\n");
    }

    @Test
    void blockBListsTheSkillsAndTheModelLoadsOneOnDemand() throws Exception {
        try (var llm = FakeLlm.start(); var h = harness(tmp, llm, "{}")) {
            skills(h.project, tmp.resolve("config/lathe/skills"));
            llm.enqueue(Turn.of(Step.toolCall("c1", "skill", "{\"name\":\"release\"}")));
            llm.enqueue(Turn.of(Step.text("Following the release skill.")));
            var s = h.session();

            h.promptAndWait(s.id(), "release version 1.2");

            RecordedRequest first = llm.requests().getFirst();
            assertThat(first.toolNames()).contains("skill");
            String system = first.system();
            // the skills follow the project's instructions (the subagents the task tool starts come last)
            assertThat(system).contains("Project rules: keep it short.").contains("""
                    # Skills

                    Skills are instructions for particular kinds of task. When a task matches one of the descriptions below, load that skill with \
                    the `skill` tool before you start and follow it; files it mentions are in its folder. Do not load skills that do not apply.

                    - notes: Keep meeting notes
                    - pdf-forms: Fill in PDF forms.
                    - release: Cut a release of this project. Use when asked to release or tag a version.""");
            assertThat(system.indexOf("Project rules")).isLessThan(system.indexOf("# Skills"));
            assertThat(system).doesNotContain("Tag the version").doesNotContain(tmp.toString());

            Path folder = h.project.toRealPath().resolve(".lathe/skills/release");
            assertThat(llm.requests().get(1).toolResult("c1")).hasValueSatisfying(r -> assertThat(r)
                    .startsWith("<skill name=\"release\">\nFolder: " + folder + " (files these instructions mention are relative to it)\n\n# Releasing")
                    .contains("1. Run the checks in checklist.md.\n2. Tag the version.").endsWith("</skill>"));
            // block B is the same bytes for every request and session of the project
            assertThat(llm.requests().get(1).system()).isEqualTo(system);

            assertThat(h.api.skills(h.project.toString())).containsExactly(
                    new SkillInfo("notes", "Keep meeting notes", tmp.resolve("config/lathe/skills/notes/SKILL.md").toString()),
                    new SkillInfo("pdf-forms", "Fill in PDF forms.", h.project.toRealPath().resolve(".claude/skills/pdf-forms/SKILL.md").toString()),
                    new SkillInfo("release", "Cut a release of this project. Use when asked to release or tag a version.",
                            folder.resolve("SKILL.md").toString()));
        }
    }

    @Test
    void aDeniedSkillIsRefusedAndAnUnknownOneNamesTheSkillsThereAre() throws Exception {
        try (var llm = FakeLlm.start(); var h = harness(tmp, llm, "{\"skill\": {\"*\": \"allow\", \"release\": \"deny\"}}")) {
            skills(h.project, tmp.resolve("config/lathe/skills"));
            llm.enqueue(Turn.of(Step.toolCall("c0", "skill", "{\"name\":\"deploy\"}")));
            llm.enqueue(Turn.of(Step.toolCall("c1", "skill", "{\"name\":\"release\"}")));
            llm.enqueue(Turn.of(Step.text("I may not use that skill.")));
            var s = h.session();

            h.promptAndWait(s.id(), "release it");

            assertThat(llm.requests().get(1).toolResult("c0")).hasValue(
                    "There is no skill named 'deploy'. The skills are: notes, pdf-forms, release.");
            // a deny rule refuses it, as for any tool: the model reads the denial and goes on (DESIGN §26); the body never
            // reaches the model
            assertThat(llm.requests()).hasSize(3);
            assertThat(llm.requests().get(2).toolResult("c1")).hasValueSatisfying(t -> assertThat(t).contains("Denied by skill: release")
                    .doesNotContain("Tag the version"));
            for (var r : llm.requests()) assertThat(r.body()).doesNotContain("Tag the version");
            var answer = h.api.messages(s.id()).getLast();
            assertThat(answer.info()).isInstanceOfSatisfying(AssistantMessage.class, a -> assertThat(a.error()).isEmpty());
            assertThat(answer.parts()).filteredOn(p -> p instanceof Part.Tool t && t.callId().equals("c1")).singleElement()
                    .satisfies(p -> assertThat(((Part.Tool) p).state()).isInstanceOfSatisfying(ToolState.Failed.class,
                            f -> assertThat(f.error()).contains("Denied by skill: release").contains("skill of release is not permitted")
                                    .doesNotContain("Tag the version")));
        }
    }

    @Test
    void aNewSkillReachesBlockBOnTheNextTurn() throws Exception {
        try (var llm = FakeLlm.start(); var h = harness(tmp, llm, "{}")) {
            llm.enqueue(Turn.of(Step.text("one")));
            llm.enqueue(Turn.of(Step.text("two")));
            var s = h.session();
            h.promptAndWait(s.id(), "first");
            assertThat(llm.requests().getFirst().system()).doesNotContain("# Skills");

            write(h.project.resolve(".lathe/skills/lint/SKILL.md"), "---\ndescription: Run the linter\n---\nRun make lint.\n");
            h.promptAndWait(s.id(), "second");

            assertThat(llm.requests().get(1).system()).contains("# Skills").contains("- lint: Run the linter");
        }
    }

    @Test
    void anAgentSkillsSkillIsOfferedAndLoadedAndOneThatBreaksTheStandardIsLeftOutWithItsLine() throws Exception {
        try (var llm = FakeLlm.start(); var h = harness(tmp, llm, "{}")) {
            write(h.project.resolve(".agents/skills/pdf-tools/SKILL.md"), "---\nname: pdf-tools\ndescription: Read PDF files.\nlicense: MIT\n---\nUse pdftotext.\n");
            write(tmp.resolve(".agents/skills/standup/SKILL.md"), "---\nname: standup\ndescription: Write the standup note.\n---\nThree lines.\n");
            write(h.project.resolve(".agents/skills/Bad_Name/SKILL.md"), "---\nname: Bad_Name\ndescription: Broken.\n---\nNever listed.\n");
            llm.enqueue(Turn.of(Step.toolCall("c1", "skill", "{\"name\":\"pdf-tools\"}")));
            llm.enqueue(Turn.of(Step.toolCall("c2", "skill", "{\"name\":\"Bad_Name\"}")));
            llm.enqueue(Turn.of(Step.text("Done.")));
            var s = h.session();

            h.promptAndWait(s.id(), "read the pdf");

            String system = llm.requests().getFirst().system();
            assertThat(system).contains("- pdf-tools: Read PDF files.").contains("- standup: Write the standup note.").doesNotContain("Broken.");
            assertThat(llm.requests().get(1).toolResult("c1")).hasValueSatisfying(r -> assertThat(r).startsWith("<skill name=\"pdf-tools\">")
                    .contains("Use pdftotext."));
            // the model asking for the broken one is told what is wrong with it, with its file and line
            assertThat(llm.requests().get(2).toolResult("c2")).hasValueSatisfying(r -> assertThat(r)
                    .contains(".agents/skills/Bad_Name/SKILL.md: line 2: name: 'Bad_Name' must be lowercase letters"));
        }
    }
}
