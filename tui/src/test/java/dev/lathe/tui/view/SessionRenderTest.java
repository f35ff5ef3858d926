package dev.lathe.tui.view;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.PartId;
import dev.lathe.protocol.RawJson;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.ToolDisplay;
import dev.lathe.protocol.session.ToolState;
import dev.lathe.protocol.session.Usage;
import dev.lathe.protocol.session.UserMessage;
import dev.lathe.tui.text.Snapshots;
import dev.lathe.tui.text.Theme;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jline.utils.AttributedString;
import org.junit.jupiter.api.Test;

/** A whole finished session as the UI prints it when attaching, at fixed widths. */
class SessionRenderTest {
    static final SessionId SES = new SessionId("ses_render");

    static List<MessageWithParts> session() {
        var u = new MessageId("msg_u1");
        var a = new MessageId("msg_a1");
        int[] n = {0};
        java.util.function.Supplier<PartId> id = () -> new PartId("prt_" + (n[0]++));
        String diff = """
                --- a/src/Greeter.java
                +++ b/src/Greeter.java
                @@ -1,3 +1,3 @@
                 class Greeter {
                -    String greet() { return "hi"; }
                +    String greet() { return "hello"; }
                 }
                """;
        return List.of(
                new MessageWithParts(new UserMessage(u, SES, 1, "build", "fake/model"),
                        List.of(new Part.Text(id.get(), SES, u, "Make the greeting friendlier and run the tests", false))),
                new MessageWithParts(new AssistantMessage(a, SES, u, "build", "fake/model", 2, Optional.of(9L), Optional.of("stop"),
                        Optional.empty(), Usage.ZERO, 0), List.of(
                        new Part.StepStart(id.get(), SES, a, Optional.empty(), Map.of()),
                        new Part.Reasoning(id.get(), SES, a, "The greeting lives in Greeter.java.\nChange it, then run mvn test.", Map.of()),
                        new Part.Tool(id.get(), SES, a, "c1", "edit", new ToolState.Completed(new RawJson("{\"filePath\":\"src/Greeter.java\"}"),
                                "Edited", "src/Greeter.java", Map.of("diff", diff), 3, 4, List.of(),
                                Optional.of(new ToolDisplay.FileChange(List.of("src/Greeter.java"), diff))), Map.of()),
                        new Part.Tool(id.get(), SES, a, "c2", "bash", new ToolState.Completed(new RawJson("{\"command\":\"mvn -q test\"}"),
                                "Tests run: 3, Failures: 0\nBUILD SUCCESS", "", Map.of(), 5, 2600, List.of(),
                                Optional.of(ToolDisplay.CommandRun.exited("mvn -q test", 0))), Map.of()),
                        new Part.Text(id.get(), SES, a, """
                                ## Done

                                I changed `greet()` to say **hello**:

                                - `src/Greeter.java`: the new greeting
                                - tests: all *3* pass

                                | file | change |
                                |---|---|
                                | src/Greeter.java | "hi" → "hello" |
                                """, false))));
    }

    static List<AttributedString> render(int width, Theme theme) {
        var t = new Transcript(SES);
        t.load(session(), false, 40);
        return t.takeCommit(new BlockView(theme), width, false);
    }

    @Test
    void aFinishedSessionAt80And40Columns() {
        Snapshots.assertMatches("session-80", render(80, Theme.standard()));
        Snapshots.assertMatches("session-40", render(40, Theme.standard()));
        Snapshots.assertMatches("session-plain-60", render(60, Theme.plain()));
        for (int w : new int[] {24, 40, 80}) assertThat(render(w, Theme.standard())).allSatisfy(l -> assertThat(l.columnLength()).isLessThanOrEqualTo(w));
    }
}
