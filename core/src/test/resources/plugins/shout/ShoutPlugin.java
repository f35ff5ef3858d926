package example.shout;

import dev.lathe.protocol.api.EventListener;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.ToolState;
import dev.lathe.tools.Effect;
import dev.lathe.tools.PermissionSource;
import dev.lathe.tools.Tool;
import dev.lathe.tools.ToolContext;
import dev.lathe.tools.ToolFailure;
import dev.lathe.tools.ToolResult;
import dev.lathe.tools.Truncation;
import dev.lathe.tools.plugin.LathePlugin;
import dev.lathe.tools.plugin.PluginHook;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A Lathe plugin: the tool "shout", a listener that logs every tool call that completed, and a hook that keeps the agent
 * from shouting secrets.
 */
public final class ShoutPlugin implements LathePlugin {
    @Override public int apiVersion() { return API_VERSION; }

    @Override public String name() { return "shout"; }

    @Override public List<Tool<?>> tools() { return List.of(new ShoutTool()); }

    @Override public List<EventListener> listeners() {
        // where the log goes: -Dshout.log=FILE, else ~/shout.log
        Path log = Path.of(System.getProperty("shout.log", System.getProperty("user.home") + "/shout.log"));
        return List.of(envelope -> {
            if (envelope.event() instanceof Event.PartUpdated u && u.part() instanceof Part.Tool t && t.state() instanceof ToolState.Completed) {
                try {
                    Files.writeString(log, "completed " + t.tool() + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        });
    }

    @Override public List<PluginHook> hooks() {
        return List.of(new PluginHook() {
            @Override public String event() { return "PreToolUse"; }

            @Override public String matcher() { return "shout"; }

            /** Reads the call as a command hook would; blocking is throwing Block, as exit 2 is for a command. */
            @Override public String run(String input) throws Block {
                if (input.contains("password")) throw new Block("shout never says a password out loud");
                return "";
            }
        });
    }

    /** Upper-cases its text. */
    static final class ShoutTool implements Tool<ShoutTool.Args> {
        /** The arguments: one component per property of the schema, same names. */
        public record Args(String text) {}

        @Override public String name() { return "shout"; }

        @Override public String description() { return "Returns the text in capital letters."; }

        @Override public String parametersSchema() {
            return "{\"type\":\"object\",\"properties\":{\"text\":{\"type\":\"string\",\"description\":\"What to shout\"}},\"required\":[\"text\"]}";
        }

        @Override public Class<Args> argsType() { return Args.class; }

        @Override public Set<Effect> effects() { return Set.of(); }

        /** Asked for as a whole: a rule "shout": "allow" lets it run without a question. */
        @Override public PermissionSource permission() { return PermissionSource.wholeTool(); }

        @Override public Truncation.Keep truncation() { return Truncation.Keep.HEAD; }

        @Override public ToolResult run(Args args, ToolContext ctx) {
            if (args.text().isBlank()) throw new ToolFailure("text must not be empty");
            return ToolResult.of("shout", args.text().toUpperCase(Locale.ROOT) + "!");
        }
    }
}
