package dev.lathe.tui.view;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.PartId;
import dev.lathe.protocol.ProjectId;
import dev.lathe.protocol.RawJson;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.ToolDisplay;
import dev.lathe.protocol.session.ToolState;
import dev.lathe.protocol.session.Usage;
import dev.lathe.protocol.session.UserMessage;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SessionMarkdownTest {
    static final SessionId SES = new SessionId("ses_md");

    @Test
    void promptsAnswersReasoningAndWholeToolOutputsInFencesNothingCanBreak() {
        var session = new Session(SES, new ProjectId("prj_1"), "/work/p", Optional.empty(), "Fix the build", "build", "fake/m", 1, 2,
                Optional.empty(), Usage.ZERO, 0, Optional.empty());
        var u = new MessageId("msg_u");
        var a = new MessageId("msg_a");
        String output = "line one\n```\nnot a fence end\nline four";
        var messages = List.of(
                new MessageWithParts(new UserMessage(u, SES, 1, "build", "fake/m"), List.of(new Part.Text(new PartId("prt_1"), SES, u, "run the tests", false),
                        new Part.Text(new PartId("prt_0"), SES, u, "<environment>", true))),
                new MessageWithParts(new AssistantMessage(a, SES, u, "build", "fake/m", 2, Optional.of(3L), Optional.of("stop"), Optional.empty(), Usage.ZERO, 0),
                        List.of(new Part.Reasoning(new PartId("prt_2"), SES, a, "Run them.\nThen read.", Map.of()),
                                new Part.Tool(new PartId("prt_3"), SES, a, "c1", "bash", new ToolState.Completed(new RawJson("{\"command\":\"mvn test\"}"),
                                        output, "mvn test", Map.of(), 1, 2, List.of(), Optional.of(ToolDisplay.CommandRun.exited("mvn test", 1))), Map.of()),
                                new Part.Text(new PartId("prt_4"), SES, a, "One test fails.", false))));
        String md = SessionMarkdown.of(session, messages);
        assertThat(md).startsWith("# Fix the build\n\n`ses_md` · /work/p · fake/m · exported ");
        assertThat(md).containsSubsequence("## You", "run the tests", "## build · fake/m", "> Run them.\n> Then read.",
                "**bash** `mvn test` — exit 1", "````text\n" + output + "\n````", "One test fails.");
        assertThat(md).as("what the server adds for the model is not the user's").doesNotContain("<environment>");
    }

    @Test
    void aFenceIsLongerThanAnyBacktickRunInside() {
        assertThat(SessionMarkdown.fence("plain")).isEqualTo("```");
        assertThat(SessionMarkdown.fence("a ```` b")).isEqualTo("`````");
    }
}
