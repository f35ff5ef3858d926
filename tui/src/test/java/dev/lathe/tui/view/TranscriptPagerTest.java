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
import dev.lathe.tui.text.Theme;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.jline.utils.AttributedString;
import org.junit.jupiter.api.Test;

/** The transcript view: everything of the session, whole, one screen at a time. */
class TranscriptPagerTest {
    static final SessionId SES = new SessionId("ses_pager");
    static final String OUTPUT = IntStream.rangeClosed(1, 400).mapToObj(i -> "out-line-" + i).collect(Collectors.joining("\n"));

    static List<MessageWithParts> session() {
        var u = new MessageId("msg_u1");
        var a = new MessageId("msg_a1");
        return List.of(
                new MessageWithParts(new UserMessage(u, SES, 1, "build", "fake/model"),
                        List.of(new Part.Text(new PartId("prt_1"), SES, u, "list the lines", false))),
                new MessageWithParts(new AssistantMessage(a, SES, u, "build", "fake/model", 2, Optional.of(9L), Optional.of("stop"),
                        Optional.empty(), Usage.ZERO, 0), List.of(
                        new Part.Reasoning(new PartId("prt_2"), SES, a, "first thought\nsecond thought", Map.of()),
                        new Part.Tool(new PartId("prt_3"), SES, a, "c1", "bash", new ToolState.Completed(new RawJson("{\"command\":\"seq\"}"),
                                OUTPUT, "", Map.of(), 5, 6, List.of(), Optional.of(ToolDisplay.CommandRun.exited("seq", 0))), Map.of()),
                        new Part.Text(new PartId("prt_4"), SES, a, "All 400 lines.", false))));
    }

    static List<String> text(List<AttributedString> rows) { return rows.stream().map(AttributedString::toString).toList(); }

    @Test
    void opensAtTheEndAndScrollsToTheStartThroughAllOfTheOutputAndReasoning() {
        var pager = new TranscriptPager(SES, session(), BlockView.unabridged(Theme.plain()));
        List<String> end = text(pager.render(Theme.plain(), 80, 20));
        assertThat(end).hasSize(20);
        assertThat(end.get(18)).contains("All 400 lines.");
        assertThat(end.get(19)).contains("transcript").contains("of " + pager.lineCount()).contains("q or esc to close");

        var seen = new ArrayList<String>();
        pager.home();
        for (int guard = 0; guard < 100; guard++) {
            List<String> page = text(pager.render(Theme.plain(), 80, 20));
            seen.addAll(page.subList(0, 19));
            int before = pager.top();
            pager.pageDown();
            if (pager.top() == before) break;
        }
        String all = String.join("\n", seen);
        assertThat(all).contains("list the lines").contains("first thought").contains("second thought")
                .contains("out-line-1\n").contains("out-line-200").contains("out-line-400").doesNotContain("ctrl+o");
        assertThat(pager.lineCount()).isGreaterThan(400);
    }

    @Test
    void aWaitingAskTakesTheStatusRow() {
        var pager = new TranscriptPager(SES, session(), BlockView.unabridged(Theme.plain()));
        List<String> rows = text(pager.render(Theme.plain(), 80, 10, "a permission waits"));
        assertThat(rows).hasSize(10);
        assertThat(rows.get(9)).isEqualTo(" ? a permission waits · q or esc to answer it");
    }

    @Test
    void scrollingStopsAtBothEnds() {
        var pager = new TranscriptPager(SES, session(), BlockView.unabridged(Theme.plain()));
        pager.render(Theme.plain(), 80, 10);
        int last = pager.top();
        assertThat(last).isEqualTo(pager.lineCount() - 9);
        pager.down(5);
        assertThat(pager.top()).isEqualTo(last);
        pager.home();
        pager.up(3);
        assertThat(pager.top()).isZero();
        pager.down(2);
        assertThat(pager.top()).isEqualTo(2);
        assertThat(text(pager.render(Theme.plain(), 80, 10)).get(9)).contains("lines 3–11 of");
    }

    /** 300 exchanges, each a one-line prompt and a one-line answer, ids in order. */
    static List<MessageWithParts> longSession() {
        var out = new ArrayList<MessageWithParts>();
        for (int i = 0; i < 300; i++) {
            var u = new MessageId(String.format("msg_%04du", i));
            var a = new MessageId(String.format("msg_%04dv", i));
            out.add(new MessageWithParts(new UserMessage(u, SES, i, "build", "fake/model"),
                    List.of(new Part.Text(new PartId(String.format("prt_%04du", i)), SES, u, "prompt " + i, false))));
            out.add(new MessageWithParts(new AssistantMessage(a, SES, u, "build", "fake/model", i, Optional.of((long) i), Optional.of("stop"),
                    Optional.empty(), Usage.ZERO, 0), List.of(new Part.Text(new PartId(String.format("prt_%04dv", i)), SES, a, "answer " + i, false))));
        }
        return out;
    }

    @Test
    void aLongSessionOpensWithItsNewestPageAndScrollingUpLoadsTheOnesBeforeIt() {
        List<MessageWithParts> all = longSession();
        var asked = new ArrayList<MessageId>();
        TranscriptPager.Earlier earlier = first -> {
            asked.add(first);
            return dev.lathe.protocol.api.MessagePage.of(all, 50, Optional.of(first));
        };
        var pager = new TranscriptPager(SES, dev.lathe.protocol.api.MessagePage.of(all, 50, Optional.empty()), earlier, BlockView.unabridged(Theme.plain()));
        List<String> end = text(pager.render(Theme.plain(), 80, 20));
        assertThat(String.join("\n", end)).contains("answer 299").doesNotContain("prompt 0\n");
        assertThat(pager.messageCount()).isEqualTo(50);
        assertThat(asked).isEmpty();

        // a screen from the first line loaded, the page before it arrives; the lines on screen stay on screen
        String shown = end.get(0);
        int loadedLines = pager.lineCount();
        while (asked.isEmpty()) pager.up(1);
        assertThat(pager.messageCount()).isEqualTo(100);
        assertThat(pager.lineCount()).isGreaterThan(loadedLines);
        assertThat(asked).containsExactly(all.get(all.size() - 50).info().id());
        pager.down(pager.lineCount());
        assertThat(text(pager.render(Theme.plain(), 80, 20)).get(0)).isEqualTo(shown);

        // the start loads every page left, down to the first prompt, and the "earlier" line goes
        pager.home();
        assertThat(pager.messageCount()).isEqualTo(all.size());
        assertThat(pager.hasEarlier()).isFalse();
        assertThat(String.join("\n", text(pager.render(Theme.plain(), 80, 20)))).contains("prompt 0").doesNotContain("↑ earlier messages");
    }

    @Test
    void aPageThatCannotBeLoadedIsSaidOnTheFirstLine() {
        List<MessageWithParts> all = longSession();
        var pager = new TranscriptPager(SES, dev.lathe.protocol.api.MessagePage.of(all, 3, Optional.empty()), _ -> {
            throw new IllegalStateException("cannot reach the Lathe server");
        }, BlockView.unabridged(Theme.plain()));
        pager.render(Theme.plain(), 80, 20);
        pager.home();
        assertThat(text(pager.render(Theme.plain(), 80, 20)).get(0)).contains("earlier messages could not be loaded: cannot reach the Lathe server");
        assertThat(pager.messageCount()).isEqualTo(3);
    }
}
