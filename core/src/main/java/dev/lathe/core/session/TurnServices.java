package dev.lathe.core.session;

import dev.lathe.core.permission.PermissionBroker;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.Usage;
import dev.lathe.tools.ToolExecutor;
import java.nio.file.Path;
import java.util.function.BiConsumer;

/** What every turn shares, wired once by {@link Sessions}. */
record TurnServices(Journal journal, ContextBuilder context, ToolExecutor tools, PermissionBroker broker, Path toolOutputDir,
        int maxSteps, BiConsumer<Session, Usage> usageRecorder) {
    void usage(Session session, Usage added) { usageRecorder.accept(session, added); }
}
