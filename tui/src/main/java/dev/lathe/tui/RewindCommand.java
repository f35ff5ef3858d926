package dev.lathe.tui;

import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.api.Restore;
import dev.lathe.protocol.api.RewindRequest;
import dev.lathe.protocol.api.RewindResult;
import dev.lathe.protocol.api.RewoundTurns;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.TaskResult;
import dev.lathe.protocol.session.UserMessage;
import dev.lathe.tui.text.Role;
import dev.lathe.tui.view.Picker;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * {@code /rewind} and Esc Esc in the terminal UI (DESIGN §18 "Rewind", Claude Code's checkpoints): a picker of the
 * session's prompts, newest first, then what to restore (code and conversation, conversation only, code only, or
 * "summarise from here": the model's summary replaces the later turns); when
 * files changed outside the agent since then, a third question names them: restore them too, keep them, or stop. When
 * the conversation went back, the prompt returns to the input to be edited and sent again. The request runs off the
 * UI thread.
 */
final class RewindCommand {
    /** What the rewind needs of the UI: a command's needs, the open session, pickers, and the input. */
    interface Host extends CommandHost {
        Optional<Session> session();

        void openPicker(Picker<?> picker, Consumer<Object> onChoice);

        /** Puts {@code text} in the input when nothing is being typed there. */
        void offerInput(String text, String hint);
    }

    /** One prompt the picker offers. */
    record Prompt(MessageId id, String text) {}

    /** One answer to "restore what". */
    record Choice(Restore restore, String label, String detail) {}

    static final List<Choice> CHOICES = List.of(
            new Choice(Restore.both, "Code and conversation", "files as they were before this prompt; the model forgets what followed"),
            new Choice(Restore.conversation, "Conversation only", "the model forgets what followed; files stay as they are"),
            new Choice(Restore.code, "Code only", "files as they were before this prompt; the conversation goes on"),
            new Choice(Restore.summarise, "Summarise from here", "the model's summary replaces this prompt and what followed; files stay as they are"));

    /**
     * The answers when files changed outside the agent, in the order offered: keeping the user's changes first, so
     * Enter through the questions never loses an edit of theirs.
     */
    enum Outside { KEEP, OVERWRITE, CANCEL }

    private final Host ui;

    RewindCommand(Host ui) { this.ui = ui; }

    void run() {
        Optional<Session> session = ui.session();
        if (session.isEmpty()) {
            ui.notice("Nothing to rewind: no session yet.");
            return;
        }
        List<Prompt> prompts;
        try {
            prompts = prompts(ui.api().messages(session.get().id()));
        } catch (LatheException e) {
            ui.error(e.getMessage());
            return;
        }
        if (prompts.isEmpty()) {
            ui.notice("Nothing to rewind: this session has no prompt of yours yet.");
            return;
        }
        var picker = Picker.of("Rewind to before…", "enter choose · esc close", prompts, p -> firstLine(p.text()), _ -> "");
        ui.openPicker(picker, chosen -> askWhat(session.get(), (Prompt) chosen));
    }

    /** The user's prompts not rewound yet, newest first, each with the text they typed. */
    static List<Prompt> prompts(List<MessageWithParts> history) {
        Set<MessageId> rewound = RewoundTurns.of(history);
        List<Prompt> out = new ArrayList<>();
        for (MessageWithParts m : history) {
            if (!(m.info() instanceof UserMessage) || rewound.contains(m.info().id())) continue;
            // a background task's result arrives as a user message, marked as no one's typing: not a prompt of the user's
            if (TaskResult.marks(m.parts())) continue;
            String typed = String.join("\n", m.parts().stream().filter(p -> p instanceof Part.Text t && !t.synthetic()).map(p -> ((Part.Text) p).text()).toList());
            if (!typed.isBlank()) out.add(new Prompt(m.info().id(), typed));
        }
        return out.reversed();
    }

    private void askWhat(Session session, Prompt prompt) {
        var picker = Picker.of("Rewind to before “" + firstLine(prompt.text()) + "”: restore", "enter choose · esc close", CHOICES, Choice::label, Choice::detail);
        ui.openPicker(picker, chosen -> send(session, prompt, RewindRequest.to(prompt.id(), ((Choice) chosen).restore())));
    }

    private void send(Session session, Prompt prompt, RewindRequest request) {
        Thread.ofVirtual().name("lathe-rewind").start(() -> {
            Runnable followUp;
            try {
                RewindResult result = ui.api().rewind(session.id(), request);
                followUp = () -> done(prompt, request, result);
            } catch (LatheException.Conflict e) {
                followUp = () -> outsideEdits(session, prompt, request, e.getMessage());
            } catch (RuntimeException e) {
                String message = e.getMessage() == null ? e.toString() : e.getMessage();
                followUp = () -> ui.error(message);
            }
            ui.later(followUp);
        });
    }

    /** A 409: files changed outside the agent (the answer names them), or the session is busy (said as it is). */
    private void outsideEdits(Session session, Prompt prompt, RewindRequest request, String message) {
        if (!message.contains("changed outside the agent")) {
            ui.error(message);
            return;
        }
        ui.notice(List.of(ui.theme().paint(Role.WARNING, "⚠ " + message.substring(0, message.indexOf(". Rewind again") < 0 ? message.length() : message.indexOf(". Rewind again")))));
        var picker = Picker.of("Files changed outside the agent", "enter choose · esc close", List.of(Outside.values()), RewindCommand::label, _ -> "");
        ui.openPicker(picker, chosen -> {
            switch ((Outside) chosen) {
                case OVERWRITE -> send(session, prompt, request.overwritingOutsideEdits());
                case KEEP -> send(session, prompt, request.keepingOutsideEdits());
                case CANCEL -> ui.notice("Rewind cancelled; nothing changed.");
            }
        });
    }

    static String label(Outside answer) {
        return switch (answer) {
            case OVERWRITE -> "Restore them too (your changes to them are lost)";
            case KEEP -> "Keep them as they are, rewind the rest";
            case CANCEL -> "Cancel";
        };
    }

    private void done(Prompt prompt, RewindRequest request, RewindResult result) {
        List<String> said = new ArrayList<>();
        if (request.restore().files()) said.add(result.files().isEmpty() ? "no files to restore" : "restored " + String.join(", ", result.files()));
        if (!result.kept().isEmpty()) said.add("kept " + String.join(", ", result.kept()));
        if (request.restore() == Restore.summarise) said.add(result.rewound().size() + " messages summarised (still listed; the model reads the summary instead)");
        else if (request.restore().messages()) said.add(result.rewound().size() + " messages rewound (still listed; the model no longer reads them)");
        String what = request.restore() == Restore.summarise ? "⏪ Summarised from “" : "⏪ Rewound to before “";
        ui.notice(List.of(ui.theme().paint(Role.WARNING, what + firstLine(prompt.text()) + "”"), ui.theme().paint(Role.MUTED, "  " + String.join(" · ", said))));
        // a summary keeps the work: the prompt is not offered again
        if (request.restore().messages() && request.restore() != Restore.summarise) ui.offerInput(prompt.text(), "the rewound prompt is back in the input");
    }

    private static String firstLine(String text) {
        String line = text.strip().lines().findFirst().orElse("");
        return line.length() > 60 ? line.substring(0, 59) + "…" : line;
    }
}
