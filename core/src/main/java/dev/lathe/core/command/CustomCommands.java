package dev.lathe.core.command;

import dev.lathe.core.commandfile.CommandFile;
import dev.lathe.core.commandfile.CommandTemplate;
import dev.lathe.core.commandfile.CommandFiles;
import dev.lathe.core.commandfile.CommandShell;
import dev.lathe.core.trust.TrustGate;
import dev.lathe.core.model.ModelException;
import dev.lathe.core.project.Project;
import dev.lathe.core.project.Projects;
import dev.lathe.core.trust.Withheld;
import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.api.CommandResult;
import dev.lathe.protocol.api.InputPart;
import dev.lathe.protocol.api.PromptRequest;
import dev.lathe.protocol.session.Session;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Optional;
import java.util.function.Function;

/**
 * The project's custom commands as {@link SlashCommand}s (read from their files each time, so an edit counts at once).
 * Running one is a prompt like a typed one, with the command's agent and model when it sets them: the arguments go into
 * the template ({@link PromptCommand#expand}), then {@code !`cmd`} and {@code @path} are resolved
 * ({@link Expansion}), then the text is sent. A command whose file is broken answers 422 with the problem. In an
 * untrusted folder a project command's {@code !`cmd`} is not run ({@link #withoutShell}); the user's own commands run
 * theirs everywhere.
 */
public final class CustomCommands {
    private final Function<Session, Project> projects;
    /** Where a project's command files are read from ({@link Projects#commands}). */
    private final Projects files;
    private final Expansion expansion;
    private final PromptCommand.Prompter prompter;

    /**
     * Resolves a command's {@code !`cmd`} and {@code @path} pieces into the text to send, running them as the session's
     * tools would (implemented by core.session's {@code CommandExpansion}, which owns the session's runner and tools).
     */
    @FunctionalInterface
    public interface Expansion {
        String expand(Session session, Project project, String agent, String command, List<CommandTemplate.Piece> pieces);
    }

    public CustomCommands(Function<Session, Project> projects, Projects files, Expansion expansion,
            PromptCommand.Prompter prompter) {
        this.projects = projects;
        this.files = files;
        this.expansion = expansion;
        this.prompter = prompter;
    }

    public List<SlashCommand> of(Session session) {
        return files.commands(projects.apply(session)).stream().map(this::command).toList();
    }

    private SlashCommand command(CommandFile file) {
        return new SlashCommand() {
            @Override public String name() { return file.name(); }

            @Override public String description() { return file.description(); }

            @Override public CommandResult run(Session session, String arguments) { return CustomCommands.this.run(file, session, arguments); }
        };
    }

    private CommandResult run(CommandFile file, Session session, String arguments) {
        if (file.problem().isPresent()) throw new LatheException.InvalidConfig("command_invalid", "/" + file.name() + " cannot run: " + file.problem().get());
        Project project = projects.apply(session);
        // checked before anything runs: a command that cannot be sent must not have run its shell commands
        file.agent().ifPresent(agent -> {
            if (project.agents().find(agent).isEmpty()) {
                throw new LatheException.InvalidInput("/" + file.name() + " names the agent '" + agent + "' (" + file.file() + "); available: "
                        + String.join(", ", project.agents().names()));
            }
        });
        file.model().ifPresent(model -> {
            try {
                project.models().resolve(model);
            } catch (ModelException e) {
                throw new LatheException.InvalidInput("/" + file.name() + " names the model '" + model + "' (" + file.file() + "): " + e.getMessage());
            }
        });
        String expanded = PromptCommand.expand(file.template(), arguments);
        List<CommandTemplate.Piece> pieces = CommandTemplate.parse(expanded);
        // a command written in config runs no shell: trust pins command files, not a config entry's text
        if (file.inConfig()) pieces = withoutShell(pieces, "a command defined in " + file.file().getFileName()
                + " runs no shell commands (a command file in .lathe/commands or .opencode/commands can)");
        else if (file.scope() == CommandFile.Scope.PROJECT && !project.trust().trusted()) pieces = withoutShell(pieces, "");
        // a trusted folder runs the shell commands of the text its trust pinned, the file as it is now compared
        else if (CommandShell.runsShell(file) && !project.config().approvedFiles().contains(
                TrustGate.hashOf(project.repoRoot(), CommandShell.item(file, project.repoRoot())))) pieces = withoutShell(pieces, CHANGED);
        String text = CommandTemplate.isPlain(pieces) ? CommandTemplate.joined(pieces) : expansion.expand(session, project, file.agent().orElse(session.agent()), file.name(), pieces);
        // the user's message reads as they typed it (/name args); the expansion goes with it as Lathe's own text, which the
        // model reads and the clients do not show as the user's words (issue 82, as Claude Code shows a command)
        String typed = ("/" + file.name() + " " + arguments).strip();
        MessageId id = prompter.prompt(session.id(), new PromptRequest(List.of(new InputPart.Text(typed, false), new InputPart.Text(text, true)),
                file.agent(), file.model())).messageId();
        return new CommandResult(file.name(), Optional.of(id), Optional.empty());
    }

    /**
     * An untrusted folder's command, its {@code !`cmd`} not run (DESIGN §14 "Trust"): each is replaced by a note saying
     * so, and the rest is sent, so the model and the user see what is missing and why.
     */
    static List<CommandTemplate.Piece> withoutShell(List<CommandTemplate.Piece> pieces, String why) {
        return pieces.stream().map(p -> p instanceof CommandTemplate.Piece.Shell s
                ? (CommandTemplate.Piece) new CommandTemplate.Piece.Literal(why.isEmpty() ? notRun(s.command()) : "[!`" + s.command() + "` was not run: " + why + "]")
                : p).toList();
    }

    /** Why a trusted folder's command ran none of its shell commands: its text is not the one trust pinned. */
    static final String CHANGED = "this command changed since the folder was trusted (run lathe trust --show to review, lathe trust to allow it)";

    /**
     * The project commands among {@code files} whose {@code !`cmd`} an untrusted folder does not run, grouped by the
     * command folder they are in (relative to {@code projectRoot}), for the warning.
     */
    public static List<Withheld> withheldShell(List<CommandFile> files, Path projectRoot) {
        Map<String, List<String>> byFolder = new TreeMap<>();
        for (CommandFile f : files) {
            if (f.scope() != CommandFile.Scope.PROJECT || CommandTemplate.parse(f.template()).stream().noneMatch(CommandTemplate.Piece.Shell.class::isInstance)) continue;
            byFolder.computeIfAbsent(CommandFiles.folderOf(f.file(), projectRoot), k -> new ArrayList<>()).add("/" + f.name());
        }
        return byFolder.entrySet().stream().map(e -> new Withheld(Withheld.Kind.COMMAND_SHELL, e.getKey(), e.getValue())).toList();
    }

    /** The note that stands for a shell command an untrusted folder defined. */
    public static String notRun(String command) {
        return "[!`" + command + "` was not run: this folder is not trusted (run lathe trust to allow its commands' shell commands)]";
    }
}
