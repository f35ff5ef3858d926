package dev.lathe.protocol.wire;

import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.PartId;
import dev.lathe.protocol.ProjectId;
import dev.lathe.protocol.RawJson;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.Message;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.ToolDisplay;
import dev.lathe.protocol.session.ToolState;
import dev.lathe.protocol.session.Usage;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds, ahead of need, the serializers and deserializers a first turn uses. Jackson builds one per type on first use
 * by introspecting the record (annotations, constructors, type ids): cheap once compiled, but at start-up it runs in the
 * interpreter, about 0.1 s per family of types on the thread that first writes a session, a message or a part. A
 * one-shot command runs this on a second thread while its main thread opens the database, in the order the first turn
 * needs the types.
 */
public final class WireWarmUp {
    private WireWarmUp() {}

    /** Never throws: a warm-up that fails only leaves the work to the first real use (WireWarmUpTest keeps it working). */
    public static void run() {
        try {
            roundTrips();
        } catch (RuntimeException e) {
            // the first real write or read builds what is missing, and reports whatever is wrong
        }
    }

    static void roundTrips() {
        var session = new SessionId("ses_warm");
        var user = new MessageId("msg_warm1");
        var assistant = new MessageId("msg_warm2");
        var usage = new Usage(1, 1, 0, 0, 0);
        roundTrip(new Session(session, new ProjectId("prj_warm"), "/", Optional.empty(), "warm-up", "build", "p/m", 1, 1,
                Optional.empty(), usage, 0, Optional.empty()), Session.class);
        // a user message is made only by the session's inbox (decision 537): this one is read from its stored form,
        // as a reopened session's history is, and written back, which builds the same reader and writer
        WireJson.write(WireJson.read("{\"role\":\"user\",\"id\":\"" + user.value() + "\",\"sessionId\":\"" + session.value()
                + "\",\"createdAt\":1,\"agent\":\"build\",\"model\":\"p/m\"}", Message.class));
        roundTrip(new Part.Text(new PartId("prt_warm1"), session, user, "warm-up", false), Part.class);
        roundTrip(new AssistantMessage(assistant, session, user, "build", "p/m", 1, Optional.of(2L), Optional.of("stop"), Optional.empty(),
                usage, 0), Message.class);
        roundTrip(new Part.StepStart(new PartId("prt_warm2"), session, assistant, Optional.of("tree"), Map.of("system", "0")), Part.class);
        var input = new RawJson("{\"path\":\"a\"}");
        for (ToolState state : List.<ToolState>of(new ToolState.Pending(input), new ToolState.Running(input, "a", 1, ""),
                new ToolState.Completed(input, "out", "a", Map.of("k", "v"), 1, 2, List.of(), Optional.of(new ToolDisplay.FileRead("a"))))) {
            roundTrip(new Part.Tool(new PartId("prt_warm3"), session, assistant, "call", "read", state), Part.class);
        }
        roundTrip(new Part.StepFinish(new PartId("prt_warm4"), session, assistant, "stop", usage, 0, Optional.of("tree")), Part.class);
        roundTrip(new Part.Patch(new PartId("prt_warm5"), session, assistant, "tree", List.of("a")), Part.class);
    }

    private static void roundTrip(Object value, Class<?> storedAs) {
        WireJson.read(WireJson.write(value), storedAs);
    }
}
