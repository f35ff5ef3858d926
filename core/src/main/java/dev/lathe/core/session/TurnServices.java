package dev.lathe.core.session;

import dev.lathe.core.permission.PermissionBroker;
import dev.lathe.core.question.QuestionBroker;
import dev.lathe.core.store.TodoStore;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.Usage;
import dev.lathe.tools.ToolExecutor;
import java.nio.file.Path;

/** What every turn shares, wired once by {@link Sessions}. */
record TurnServices(Journal journal, ContextBuilder context, ToolExecutor tools, PermissionBroker broker, Path toolOutputDir,
        int maxSteps, UsageRecorder usageRecorder, QuestionBroker questions, TodoStore todos) {
    /** Adds a finished message's tokens and cost (micro-dollars) to its session. */
    interface UsageRecorder {
        void add(Session session, Usage added, long cost);
    }

    void usage(Session session, Usage added, long cost) { usageRecorder.add(session, added, cost); }
}
