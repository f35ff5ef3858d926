package dev.lathe.core.command;

import dev.lathe.core.mcp.McpContent;
import dev.lathe.core.project.Project;
import dev.lathe.mcp.bridge.ServerPrompts;
import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.api.CommandInfo;
import dev.lathe.protocol.api.CommandResult;
import dev.lathe.protocol.api.InputPart;
import dev.lathe.protocol.api.PromptRequest;
import dev.lathe.protocol.session.Session;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The prompts of a project's MCP servers as slash commands {@code /NAME:prompt ARGS} (DESIGN §14). Running one fetches
 * the prompt with its arguments ({@code ServerPrompts} reads them: by position, or {@code name=value}) and sends its
 * messages as the user's prompt, with the session's agent and model: the text, and an embedded image or PDF as a file
 * part. A missing required argument (listed by name), a server that is not connected or a prompt the server refuses is
 * refused before anything is sent. {@link #listed} never waits on a server; {@link #find} waits for one that is still
 * starting, so {@code lathe run "/NAME:prompt"} works right after the project opened.
 */
public final class McpPromptCommands {
    private final Function<Session, Project> projects;
    private final McpContent mcp;
    private final PromptCommand.Prompter prompter;

    public McpPromptCommands(Function<Session, Project> projects, McpContent mcp, PromptCommand.Prompter prompter) {
        this.projects = projects;
        this.mcp = mcp;
        this.prompter = prompter;
    }

    /** What connected servers offer now, as commands. */
    public List<SlashCommand> listed(Session session) {
        Project project = projects.apply(session);
        return mcp.prompts(project.directory(), project.config().mcp()).stream().map(this::command).toList();
    }

    /** The command {@code name} when it is {@code NAME:prompt} of a configured server; empty otherwise. */
    public Optional<SlashCommand> find(Session session, String name) {
        Project project = projects.apply(session);
        return mcp.prompt(project.directory(), project.config().mcp(), name).map(this::command);
    }

    /** The servers' prompts for command lists ({@code GET /commands}), with their arguments. */
    public static List<CommandInfo> info(McpContent mcp, Project project) {
        return mcp.prompts(project.directory(), project.config().mcp()).stream().map(McpPromptCommands::info).toList();
    }

    static CommandInfo info(ServerPrompts.PromptCommand p) {
        String server = p.command().substring(0, p.command().indexOf(':'));
        String usage = p.usage().isEmpty() ? "" : " (" + p.usage() + ")";
        return new CommandInfo(p.command(), (p.description().isBlank() ? "Prompt of MCP server " + server : p.description()) + usage, "mcp:" + server,
                p.arguments().stream().map(a -> new CommandInfo.Argument(a.name(), a.description(), a.required())).toList());
    }

    private SlashCommand command(ServerPrompts.PromptCommand prompt) {
        return new SlashCommand() {
            @Override public String name() { return prompt.command(); }

            @Override public String description() { return info(prompt).description(); }

            @Override public CommandResult run(Session session, String arguments) { return McpPromptCommands.this.run(prompt, session, arguments); }
        };
    }

    private CommandResult run(ServerPrompts.PromptCommand prompt, Session session, String arguments) {
        Project project = projects.apply(session);
        ServerPrompts.Expanded expanded = mcp.expand(project.directory(), project.config().mcp(), prompt, arguments);
        var parts = new ArrayList<InputPart>();
        parts.add(new InputPart.Text(expanded.text()));
        expanded.attachments().forEach(a -> parts.add(new InputPart.File(a.mime(), a.name(), a.url())));
        MessageId id = prompter.prompt(session.id(), new PromptRequest(parts, Optional.empty(), Optional.empty())).messageId();
        return new CommandResult(prompt.command(), Optional.of(id), Optional.empty());
    }
}
