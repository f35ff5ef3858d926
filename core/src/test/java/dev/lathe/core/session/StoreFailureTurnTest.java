package dev.lathe.core.session;

import static dev.lathe.core.session.ScriptedProtocol.call;
import static dev.lathe.core.session.ScriptedProtocol.finish;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.core.store.StoreException;
import dev.lathe.core.toolcall.ToolCallSeams;
import dev.lathe.llm.LlmEvent;
import dev.lathe.llm.StopReason;
import dev.lathe.protocol.event.Event;
import dev.lathe.tools.PermissionSource;
import dev.lathe.tools.Tool;
import dev.lathe.tools.ToolContext;
import dev.lathe.tools.ToolRegistry;
import dev.lathe.tools.ToolResult;
import dev.lathe.tools.Truncation;
import java.nio.file.Path;
import java.sql.SQLTransientConnectionException;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A turn whose store fails under a tool call (issue 45): a team node's pool wait that runs out is the store's failure,
 * and the turn ends with {@code store_unavailable} naming the store, never as Lathe's own crash ("internal"). The
 * throughput bench's starved pool ended turns so.
 */
class StoreFailureTurnTest {
    @TempDir Path tmp;

    /** What {@code PgDb} throws when no pooled connection frees up within the pool's wait. */
    static final String POOL_TIMEOUT = "write failed (PostgreSQL database lathe on 127.0.0.1:5432 as user lathe):"
            + " lathe-store - Connection is not available, request timed out after 10000ms (total=8, active=8, idle=0, waiting=17)";

    /** A tool whose store write finds no connection in time (as the todo tool's would). */
    static final class StarvedStoreTool implements Tool<StarvedStoreTool.Args> {
        record Args() {}

        @Override public String name() { return "remember"; }

        @Override public String description() { return "Stores a note."; }

        @Override public String parametersSchema() { return "{\"type\":\"object\",\"properties\":{}}"; }

        @Override public Class<Args> argsType() { return Args.class; }

        @Override public java.util.Set<dev.lathe.tools.Effect> effects() { return java.util.Set.of(); }

        @Override public PermissionSource permission() { return PermissionSource.notChecked(); }

        @Override public Truncation.Keep truncation() { return Truncation.Keep.HEAD; }

        @Override
        public ToolResult run(Args args, ToolContext ctx) {
            throw new StoreException.Unreachable(POOL_TIMEOUT, new SQLTransientConnectionException("lathe-store - Connection is not available"));
        }
    }

    @Test
    void aStoreThatRunsOutOfConnectionsUnderAToolCallEndsTheTurnAsStoreUnavailableNamingTheStore() throws Exception {
        try (var h = new Harness(tmp, "", ToolRegistry.builtins().plus(List.of(new StarvedStoreTool())), ToolCallSeams.DEFAULT)) {
            var s = h.session();
            h.llm.then(Stream.concat(Stream.of(call(0, "c1", "remember", "{}")), Stream.of(finish(StopReason.TOOL_CALLS))).toArray(LlmEvent[]::new));
            h.api.prompt(s.id(), dev.lathe.protocol.api.PromptRequest.text("remember this"));
            var errored = (Event.SessionErrored) h.awaitEvent(Event.SessionErrored.class::isInstance);
            h.awaitIdle(s.id());

            assertThat(errored.error().kind()).isEqualTo("store_unavailable");
            assertThat(errored.error().message()).contains("PostgreSQL database lathe on 127.0.0.1:5432").contains("request timed out");
            assertThat(h.llm.requests).as("the turn stopped at the store's failure").hasSize(1);
        }
    }
}
