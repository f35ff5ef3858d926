package example.broken;

import dev.lathe.tools.Effect;
import dev.lathe.tools.PermissionSource;
import dev.lathe.tools.Tool;
import dev.lathe.tools.ToolContext;
import dev.lathe.tools.ToolResult;
import dev.lathe.tools.Truncation;
import dev.lathe.tools.plugin.LathePlugin;
import java.util.List;
import java.util.Set;

/** Test plugins that misbehave: one throws while it is built, one offers a tool that throws. */
public final class BrokenPlugins {
    private BrokenPlugins() {}

    public static final class ThrowsAtLoad implements LathePlugin {
        public ThrowsAtLoad() { throw new IllegalStateException("cannot start: no licence"); }

        @Override public int apiVersion() { return API_VERSION; }

        @Override public String name() { return "throws-at-load"; }
    }

    public static final class FromTheFuture implements LathePlugin {
        @Override public int apiVersion() { return API_VERSION + 1; }

        @Override public String name() { return "from-the-future"; }

        @Override public List<Tool<?>> tools() { return List.of(new Crashing()); }
    }

    public static final class ToolThrows implements LathePlugin {
        @Override public int apiVersion() { return API_VERSION; }

        @Override public String name() { return "tool-throws"; }

        @Override public List<Tool<?>> tools() { return List.of(new Crashing()); }

        @Override public List<dev.lathe.protocol.api.EventListener> listeners() {
            return List.of(e -> { throw new IllegalStateException("listener broke"); });
        }
    }

    static final class Crashing implements Tool<Crashing.Args> {
        public record Args() {}

        @Override public String name() { return "crash"; }

        @Override public String description() { return "Always fails."; }

        @Override public String parametersSchema() { return "{\"type\":\"object\",\"properties\":{}}"; }

        @Override public Class<Args> argsType() { return Args.class; }

        @Override public Set<Effect> effects() { return Set.of(); }

        @Override public PermissionSource permission() { return PermissionSource.wholeTool(); }

        @Override public Truncation.Keep truncation() { return Truncation.Keep.HEAD; }

        @Override public ToolResult run(Args args, ToolContext ctx) { throw new IllegalStateException("boom"); }
    }
}
