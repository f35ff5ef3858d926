package dev.lathe.core.editor;

import dev.lathe.llm.Cancellation;
import dev.lathe.protocol.event.EditorRequest;
import dev.lathe.protocol.session.Session;
import dev.lathe.tools.EditorFiles;
import dev.lathe.tools.ToolFailure;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The {@link EditorFiles} port of one session's tool calls: each read or write is one request to the editor attached to
 * the session ({@link EditorAttachments}). An abort of the turn ends the wait with "The turn was aborted.", as a
 * question's does.
 */
final class SessionEditorFiles implements EditorFiles {
    private final EditorAttachments editors;
    private final Session session;
    private final Cancellation cancellation;

    SessionEditorFiles(EditorAttachments editors, Session session, Cancellation cancellation) {
        this.editors = editors;
        this.session = session;
        this.cancellation = cancellation;
    }

    @Override
    public Read read(Path file) {
        return switch (editors.ask(session, EditorRequest.Operation.READ, file.toString(), Optional.empty(), cancellation)) {
            case EditorAttachments.Outcome.Answered a -> a.answer().content().<Read>map(Read.Text::new)
                    .orElseGet(() -> new Read.Failed("the editor answered: " + a.answer().error().orElse("no content")));
            case EditorAttachments.Outcome.NotOffered _ -> new Read.NotOffered();
            case EditorAttachments.Outcome.Failed f -> new Read.Failed(f.why());
            case EditorAttachments.Outcome.Aborted _ -> throw new ToolFailure("The turn was aborted.");
        };
    }

    @Override
    public Write write(Path file, String content) {
        return switch (editors.ask(session, EditorRequest.Operation.WRITE, file.toString(), Optional.of(content), cancellation)) {
            case EditorAttachments.Outcome.Answered a -> a.answer().ok().isPresent() ? new Write.Written()
                    : new Write.Failed("the editor answered: " + a.answer().error().orElse("no confirmation"));
            case EditorAttachments.Outcome.NotOffered _ -> new Write.NotOffered();
            case EditorAttachments.Outcome.Failed f -> new Write.Failed(f.why());
            case EditorAttachments.Outcome.Aborted _ -> throw new ToolFailure("The turn was aborted.");
        };
    }
}
