package dev.lathe.core.plugin;

import dev.lathe.protocol.session.ToolDisplay;
import dev.lathe.tools.Effect;
import dev.lathe.tools.PermissionRejected;
import dev.lathe.tools.PermissionSource;
import dev.lathe.tools.Tool;
import dev.lathe.tools.ToolContext;
import dev.lathe.tools.ToolFailure;
import dev.lathe.tools.ToolResult;
import dev.lathe.tools.Truncation;
import java.util.Optional;
import java.util.Set;

/**
 * A plugin's tool as Lathe offers it: everything it declares, read once when the plugin loads (a plugin that answers
 * differently later cannot change what was offered), and its calls run with the plugin's class loader as the thread's
 * context loader. Whatever it throws besides {@link ToolFailure} and {@link PermissionRejected} — a bug, a missing
 * class — becomes an error result naming the plugin, logged, so the turn goes on. A tool that declares effects but
 * checks nothing is asked for as a whole tool ({@link PermissionSource#wholeTool}).
 */
final class GuardedTool<A extends Record> implements Tool<A> {
    private static final System.Logger LOG = System.getLogger(GuardedTool.class.getName());

    private final Tool<A> tool;
    private final String plugin;
    private final ClassLoader loader;
    private final String name;
    private final String description;
    private final String schema;
    private final Set<Effect> effects;
    private final PermissionSource permission;
    private final Truncation.Keep truncation;

    private GuardedTool(Tool<A> tool, String plugin, ClassLoader loader) {
        this.tool = tool;
        this.plugin = plugin;
        this.loader = loader;
        this.name = tool.name();
        this.description = tool.description();
        this.schema = tool.parametersSchema();
        this.effects = Set.copyOf(tool.effects());
        PermissionSource declared = tool.permission();
        this.permission = declared.equals(PermissionSource.notChecked()) && !effects.isEmpty() ? PermissionSource.wholeTool() : declared;
        this.truncation = tool.truncation();
        tool.argsType();
    }

    /** {@code tool} of the plugin {@code plugin} loaded by {@code loader}; throws what the tool throws while describing itself. */
    static <A extends Record> GuardedTool<A> of(Tool<A> tool, String plugin, ClassLoader loader) {
        return new GuardedTool<>(tool, plugin, loader);
    }

    String plugin() { return plugin; }

    @Override public String name() { return name; }

    @Override public String description() { return description; }

    @Override public String parametersSchema() { return schema; }

    @Override public Class<A> argsType() { return tool.argsType(); }

    @Override public Set<Effect> effects() { return effects; }

    @Override public PermissionSource permission() { return permission; }

    @Override public Truncation.Keep truncation() { return truncation; }

    @Override
    public Optional<ToolDisplay> announce(A args) {
        try {
            return tool.announce(args);
        } catch (RuntimeException | LinkageError e) {
            return Optional.empty();
        }
    }

    @Override
    public ToolResult run(A args, ToolContext ctx) {
        Thread thread = Thread.currentThread();
        ClassLoader before = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            ToolResult result = tool.run(args, ctx);
            if (result == null) throw new ToolFailure("The tool " + name + " of plugin " + plugin + " returned no result.");
            return result;
        } catch (ToolFailure | PermissionRejected e) {
            throw e;
        } catch (RuntimeException | LinkageError | AssertionError | StackOverflowError e) {
            LOG.log(System.Logger.Level.WARNING, "tool " + name + " of plugin " + plugin + " failed", e);
            throw new ToolFailure("The tool " + name + " of plugin " + plugin + " failed: " + e + ". This is a bug in the plugin, not in"
                    + " the arguments; do not retry the same call.", e);
        } finally {
            thread.setContextClassLoader(before);
        }
    }
}
