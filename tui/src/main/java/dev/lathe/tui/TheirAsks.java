package dev.lathe.tui;

import dev.lathe.protocol.event.Question;
import dev.lathe.tui.view.AskPanel;
import java.util.stream.Collectors;

/**
 * The asks of a session someone else owns on a team server (DESIGN §20 "Users"): the server refuses this user's answer,
 * so the terminal UI says what waits and for whom instead of offering an ask panel that keys would answer in vain.
 */
final class TheirAsks {
    private TheirAsks() {}

    /** "… waiting for bob to answer: edit bob.txt" for a permission ask or a question. */
    static String waiting(String owner, AskPanel.Ask ask) {
        String what = switch (ask) {
            case AskPanel.Ask.Permission(var p, var fromSubagent) -> p.permission() + (p.patterns().isEmpty() ? "" : " " + String.join(" ", p.patterns()));
            case AskPanel.Ask.Questions(var q, var fromSubagent) -> q.questions().stream().map(Question::question).collect(Collectors.joining(" · "));
        };
        return "… waiting for " + owner + " to answer: " + what;
    }
}
