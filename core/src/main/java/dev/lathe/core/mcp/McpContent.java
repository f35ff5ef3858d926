package dev.lathe.core.mcp;

import dev.lathe.mcp.McpServerSpec;
import dev.lathe.mcp.bridge.ResourceMention;
import dev.lathe.mcp.bridge.ServerPrompts;
import dev.lathe.protocol.api.McpResourceInfo;
import dev.lathe.protocol.session.Attachment;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a project's MCP servers offer besides tools (DESIGN §14): resources a prompt attaches with {@code @NAME:uri}
 * ({@link ResourceMention} has the grammar) and prompts run as slash commands {@code /NAME:prompt}. {@code configured}
 * is always the project's {@code Config.mcp}: a name not in it is not a server, whatever its status.
 *
 * <p>Contract: listing ({@link #resources}, {@link #prompts}) never waits on a server: it answers what connected servers
 * listed last (fetched in the background when they connect). Using one ({@link #attach}, {@link #prompt},
 * {@link #expand}) waits for a server that is still starting, up to its {@code timeout}, then refuses with a
 * {@code LatheException} that says what is wrong for the user: {@code InvalidInput} for an unknown server, an unreadable
 * resource or a missing argument, {@code Unavailable} for a server that is not connected (failed, disabled, needs a
 * sign-in, or did not start in time).
 */
public interface McpContent {
    /** A resource read for a prompt: the text the model gets and its images and PDFs. */
    record Attached(ResourceMention mention, String text, List<Attachment> files) {
        public Attached {
            files = List.copyOf(files);
        }
    }

    /** The resources {@code text} mentions, read now, in order; none when it mentions none. */
    List<Attached> attach(Path root, Map<String, McpServerSpec> configured, String text);

    /** Connected servers' resources and resource templates, in configuration order. */
    List<McpResourceInfo> resources(Path root, Map<String, McpServerSpec> configured);

    /** Connected servers' prompts as commands ({@code NAME:prompt}), in configuration order. */
    List<ServerPrompts.PromptCommand> prompts(Path root, Map<String, McpServerSpec> configured);

    /**
     * The prompt {@code command} ({@code NAME:prompt}) names; empty when NAME is no configured server (so it is not an
     * MCP command at all); waits for a starting server.
     */
    Optional<ServerPrompts.PromptCommand> prompt(Path root, Map<String, McpServerSpec> configured, String command);

    /** What {@code command} run with {@code arguments} puts in the user's message. */
    ServerPrompts.Expanded expand(Path root, Map<String, McpServerSpec> configured, ServerPrompts.PromptCommand command, String arguments);

    /** No MCP servers: nothing is attached ({@code @NAME:uri} stays text) and there are no prompt commands. */
    McpContent NONE = new McpContent() {
        @Override public List<Attached> attach(Path root, Map<String, McpServerSpec> configured, String text) { return List.of(); }

        @Override public List<McpResourceInfo> resources(Path root, Map<String, McpServerSpec> configured) { return List.of(); }

        @Override public List<ServerPrompts.PromptCommand> prompts(Path root, Map<String, McpServerSpec> configured) { return List.of(); }

        @Override
        public Optional<ServerPrompts.PromptCommand> prompt(Path root, Map<String, McpServerSpec> configured, String command) { return Optional.empty(); }

        @Override
        public ServerPrompts.Expanded expand(Path root, Map<String, McpServerSpec> configured, ServerPrompts.PromptCommand command, String arguments) {
            throw new IllegalStateException("no MCP servers");
        }
    };
}
