package dev.lathe.core.mcp;

import dev.lathe.core.toolcall.ExtensionTools;
import dev.lathe.tools.Tool;
import dev.lathe.tools.ToolContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The MCP tools a session is offered, with Code Mode (DESIGN §28): where a project's config puts servers in Code Mode
 * ({@code "mcp": {"codeMode": true}}, or a server's own {@code codeMode}), {@code mcp_search} and {@code mcp_execute}
 * come first, from the first request on (the config decides, not the servers' start), and those servers' tools are
 * not offered one each ({@link McpExtensionTools} leaves them out): their schemas stay out of the prefix. The other
 * servers' tools follow as {@code inner} offers them.
 */
public final class CodeModeTools implements ExtensionTools {
    private static final System.Logger LOG = System.getLogger(CodeModeTools.class.getName());

    private final ExtensionTools inner;
    private final McpExtensionTools project;
    private final McpSearch search;
    private final McpExecute execute;
    private final CodeSandbox sandbox;
    private volatile boolean warned;

    private CodeModeTools(ExtensionTools inner, McpExtensionTools project, CodeSandbox sandbox) {
        this.inner = inner;
        this.project = project;
        this.sandbox = sandbox;
        Function<ToolContext, List<Tool<?>>> tools = ctx -> project.codeModeTools(ctx.folders().project());
        this.search = new McpSearch(tools);
        this.execute = new McpExecute(sandbox, tools);
    }

    /** {@code inner}'s tools, with Code Mode's pair where {@code project}'s servers use it; node and bwrap found on {@code env}'s PATH. */
    public static ExtensionTools over(ExtensionTools inner, McpExtensionTools project, Map<String, String> env) {
        return new CodeModeTools(inner, project, new CodeSandbox(env, CodeSandbox.Limits.DEFAULT));
    }

    /**
     * Why Code Mode cannot run on this machine, in one line (node or bubblewrap missing, node too old); empty when it
     * can. For {@code lathe doctor} where config turns Code Mode on.
     */
    public static Optional<String> engineProblem(Map<String, String> env) {
        return new CodeSandbox(env, CodeSandbox.Limits.DEFAULT).problem();
    }

    @Override
    public List<Tool<?>> offered(Path projectDir, String sessionId) {
        List<Tool<?>> rest = inner.offered(projectDir, sessionId);
        if (!project.codeModeOn(projectDir)) return rest;
        warnOnce();
        var out = new ArrayList<Tool<?>>(rest.size() + 2);
        out.add(search);
        out.add(execute);
        out.addAll(rest);
        return List.copyOf(out);
    }

    @Override
    public Optional<Tool<?>> find(Path projectDir, String name) {
        return own(projectDir, name).or(() -> inner.find(projectDir, name));
    }

    @Override
    public Optional<Tool<?>> find(Path projectDir, String sessionId, String name) {
        return own(projectDir, name).or(() -> inner.find(projectDir, sessionId, name));
    }

    private Optional<Tool<?>> own(Path projectDir, String name) {
        if (!name.equals(McpSearch.NAME) && !name.equals(McpExecute.NAME) || !project.codeModeOn(projectDir)) return Optional.empty();
        return Optional.of(name.equals(McpSearch.NAME) ? search : execute);
    }

    /** The log says once why Code Mode cannot run here (each mcp_execute says it to the model too). */
    private void warnOnce() {
        if (warned) return;
        warned = true;
        sandbox.problem().ifPresent(p -> LOG.log(System.Logger.Level.WARNING, p));
    }
}
