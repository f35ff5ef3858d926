package dev.lathe.app;

import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.PartId;
import dev.lathe.protocol.ProjectId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.api.SessionExport;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.Usage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A day of work as an export document, for the resume tests: {@code exchanges} prompts ("prompt N", one part) each
 * with its answer ("answer N", between a step's start and finish), so four parts an exchange; 1,250 make 5,000 parts.
 */
final class BigSession {
    private BigSession() {}

    static SessionExport export(Path directory, String title, int exchanges) {
        SessionId id = SessionId.next();
        var session = new Session(id, new ProjectId("prj_import"), directory.toString(), Optional.empty(), title, "build", "fake/fake-model", 1, 2,
                Optional.empty(), Usage.ZERO, 0, Optional.empty());
        List<MessageWithParts> messages = new ArrayList<>();
        for (int i = 0; i < exchanges; i++) {
            var prompt = new dev.lathe.protocol.session.UserMessage(MessageId.next(), id, 10L * i, "build", "fake/fake-model");
            messages.add(new MessageWithParts(prompt, List.of(new Part.Text(PartId.next(), id, prompt.id(), "prompt " + i, false))));
            MessageId answer = MessageId.next();
            messages.add(new MessageWithParts(new AssistantMessage(answer, id, prompt.id(), "build", "fake/fake-model", 10L * i + 1,
                    Optional.of(10L * i + 2), Optional.of("stop"), Optional.empty(), Usage.ZERO, 0), List.of(
                    new Part.StepStart(PartId.next(), id, answer, Optional.empty(), null),
                    new Part.Text(PartId.next(), id, answer, "answer " + i, false),
                    new Part.StepFinish(PartId.next(), id, answer, "stop", Usage.ZERO, 0, Optional.empty()))));
        }
        return SessionExport.of(session, messages);
    }
}
