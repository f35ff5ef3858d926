package dev.lathe.core.command;

import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.CommandResult;
import dev.lathe.protocol.api.PromptAccepted;
import dev.lathe.protocol.api.PromptRequest;
import dev.lathe.protocol.session.Session;
import java.util.List;
import java.util.Optional;

/**
 * A command that prompts the model with a template: {@code $ARGUMENTS} becomes the argument text and {@code $1},
 * {@code $2}, ... its whitespace-separated words (missing ones become empty); arguments given to a template that uses
 * neither are appended on a line of their own. It answers like a prompt: the stored user message's id, the turn runs on.
 */
public record PromptCommand(String name, String description, String template, Prompter prompter) implements SlashCommand {
    /** Stores a prompt and starts (or queues) its turn; {@code Sessions::prompt}. */
    @FunctionalInterface
    public interface Prompter {
        PromptAccepted prompt(SessionId session, PromptRequest request);
    }

    @Override
    public CommandResult run(Session session, String arguments) {
        MessageId id = prompter.prompt(session.id(), PromptRequest.text(expand(template, arguments))).messageId();
        return new CommandResult(name, Optional.of(id), Optional.empty());
    }

    public static String expand(String template, String arguments) {
        String args = arguments.strip();
        List<String> words = args.isEmpty() ? List.of() : List.of(args.split("\\s+"));
        boolean placed = template.contains("$ARGUMENTS") || template.matches("(?s).*\\$[1-9].*");
        String out = template.replace("$ARGUMENTS", args);
        // $10 before $1, so a longer number is never read as a shorter one
        for (int i = 9; i >= 1; i--) out = out.replace("$" + i, i <= words.size() ? words.get(i - 1) : "");
        if (!placed && !args.isEmpty()) out = out.stripTrailing() + "\n\n" + args;
        return out;
    }
}
