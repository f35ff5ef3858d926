package dev.lathe.core.command;

import dev.lathe.core.agent.BuiltinAgents;
import dev.lathe.core.context.PromptText;
import dev.lathe.core.git.ReviewDiff;
import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.api.CommandResult;
import dev.lathe.protocol.api.InputPart;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.api.PromptRequest;
import dev.lathe.protocol.session.Session;
import dev.lathe.tools.FileGateway;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * {@code /review} (DESIGN §18 "Review"): prompts the built-in {@code review} agent, which changes nothing, with the
 * review instructions, the user's focus and the change as a git diff ({@link ReviewDiff}, cut at {@link #MAX_DIFF_BYTES}
 * with a note: the model reads the files it needs with its tools). The instructions are the project's
 * {@code .lathe/review.md} when it has one, read through {@link FileGateway} (so a link out of the project is refused),
 * else the built-in ones. They are prompt text that the review agent, which can only look, follows: no trust is needed.
 * {@code lathe review} runs this command in a new session of the review agent; the TUI's and web UI's {@code /review} run
 * it in the open session, where the review agent answers that one message and the session goes on with its own agent.
 */
record ReviewCommand(PromptCommand.Prompter prompter) implements SlashCommand {
    static final String NAME = "review";
    /** About 30 000 tokens of diff: room for the files the model reads besides, in any context window Lathe supports. */
    static final int MAX_DIFF_BYTES = 120_000;
    static final String PROJECT_PROMPT = ".lathe/review.md";
    private static final int MAX_PROMPT_BYTES = 64 * 1024;
    private static final String DEFAULT_PROMPT = PromptText.load(ReviewCommand.class, "review.md");

    @Override public String name() { return NAME; }

    @Override public String description() { return BuiltinCommands.info(NAME).description(); }

    @Override
    public CommandResult run(Session session, String arguments) {
        ReviewArguments args = ReviewArguments.parse(arguments);
        Path dir = Path.of(session.directory());
        ReviewDiff diff = ReviewDiff.of(dir, args.scope(), MAX_DIFF_BYTES);
        String text = prompt(instructions(dir), args.focus(), diff);
        // the user typed /review: that is their message and what names the session; the instructions and the diff are
        // Lathe's own text, which the review agent reads and the clients do not show (issue 71)
        String typed = ("/" + NAME + " " + arguments.strip()).strip();
        var request = new PromptRequest(List.of(new InputPart.Text(typed), InputPart.Text.ofLathe(text)), Optional.of(BuiltinAgents.REVIEW),
                Optional.empty());
        MessageId id = prompter.prompt(session.id(), request).messageId();
        return new CommandResult(NAME, Optional.of(id), Optional.empty());
    }

    /** The first user message of a review: instructions, focus, what changed, the diff. */
    static String prompt(String instructions, Optional<String> focus, ReviewDiff diff) {
        var out = new StringBuilder(instructions.strip()).append("\n\n");
        focus.ifPresent(f -> out.append("# Focus\n\nThe user asks you to focus on: ").append(f).append("\n\n"));
        out.append("# The change\n\nThe ").append(diff.description()).append(". Paths are relative to the repository root ")
                .append(diff.root()).append(".\n\nChanged files:\n").append(diff.files().strip()).append("\n\n");
        String fence = fence(diff.diff());
        out.append(fence).append("diff\n").append(diff.diff());
        if (!diff.diff().endsWith("\n")) out.append('\n');
        out.append(fence).append('\n');
        if (diff.truncated()) {
            out.append("\nThe diff above was cut at ").append(MAX_DIFF_BYTES / 1000).append(" KB: the files after the cut are in the list of changed"
                    + " files; read them with your tools (git diff, read) before you report on them.\n");
        }
        return out.toString();
    }

    /** A Markdown fence longer than any run of backticks in {@code text}, so the diff cannot close it early. */
    private static String fence(String text) {
        int longest = 0;
        int run = 0;
        for (int i = 0; i < text.length(); i++) {
            run = text.charAt(i) == '`' ? run + 1 : 0;
            longest = Math.max(longest, run);
        }
        return "`".repeat(Math.max(3, longest + 1));
    }

    /** The project's review instructions, else the built-in ones; refused when the project's leads out of the project. */
    static String instructions(Path project) {
        try {
            String own = FileGateway.of(project, FileGateway.ReadRules.NONE).readString(project.resolve(PROJECT_PROMPT), MAX_PROMPT_BYTES);
            return own.isBlank() ? DEFAULT_PROMPT : own;
        } catch (NoSuchFileException e) {
            return DEFAULT_PROMPT;
        } catch (FileGateway.Refused e) {
            throw new LatheException.InvalidInput(PROJECT_PROMPT + " cannot be used: " + e.getMessage()
                    + " (the review prompt must be a file inside the project)");
        } catch (IOException e) {
            throw new LatheException.InvalidInput(PROJECT_PROMPT + " cannot be read: " + e.getMessage());
        }
    }
}
