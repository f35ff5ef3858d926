package dev.lathe.core.session.runner;

import dev.lathe.core.ask.AskHooks;
import dev.lathe.core.sandbox.SandboxLauncher;
import dev.lathe.core.ask.PermissionGate;
import dev.lathe.core.commandfile.CommandTemplate;

import dev.lathe.core.model.ModelException;
import dev.lathe.core.model.ResolvedModel;
import dev.lathe.core.project.Project;
import dev.lathe.core.session.context.Secrets;
import dev.lathe.core.session.turn.TurnServices;
import dev.lathe.core.toolcall.Origin;
import dev.lathe.core.toolcall.PartRecorder;
import dev.lathe.core.toolcall.ToolCall;
import dev.lathe.llm.Cancellation;
import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.PartId;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.ToolDisplay;
import dev.lathe.protocol.session.Wrapper;
import dev.lathe.protocol.wire.WireJson;
import dev.lathe.tools.PermissionRejected;
import dev.lathe.tools.ToolContext;
import dev.lathe.tools.ToolFailure;
import dev.lathe.tools.ToolResult;
import dev.lathe.tools.builtin.Builtins;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Resolves a custom command's {@code !`cmd`} and {@code @path} pieces before its text is sent, on the session's runner
 * (busy meanwhile, an abort stops it; 409 while a turn runs), the way the model's own tools would do it — through the
 * same tool-call pipeline, as {@link Origin#COMMAND} calls that store no part:
 *
 * <ul>
 *   <li>{@code !`cmd`} runs through the {@code bash} tool in the project folder under the session's permission rules
 *       (a {@code bash} ask blocks until a client answers; a deny or a rejection refuses the whole command with 403
 *       and nothing is sent), with a {@value #SHELL_TIMEOUT_MS} ms timeout and the tool's output cap (the last 2,000
 *       lines / 50 KB, the full output saved). Its output replaces it; a failing command's output ends with its exit
 *       code, a command that times out refuses the command (422).
 *   <li>{@code @path} is read through the {@code read} tool (its permission rules, numbered lines, its 2,000-line /
 *       50 KB window): the reference stays in the text and the file follows the text in a {@code <file path="…">}
 *       block, each file once. The path is relative to the project folder and must stay inside it (400 otherwise); a
 *       missing path is a 400, except a word without {@code /} or {@code .} that names no file ({@code @Override},
 *       {@code @alice}), which stays text. Images and PDFs cannot be included.
 * </ul>
 */
public final class CommandExpansion {
    static final int SHELL_TIMEOUT_MS = 60_000;
    private static final String EXIT_OK = "exit code: 0";

    private final TurnServices services;
    private final Runners runners;

    public CommandExpansion(TurnServices services, Runners runners) {
        this.services = services;
        this.runners = runners;
    }

    /** The text to send for {@code pieces}. @param command the command's name, for messages; @param agent whose rules apply */
    public String expand(Session session, Project project, String agent, String command, List<CommandTemplate.Piece> pieces) {
        return runners.of(session.id()).run(new SessionTask.Expansion((_, cancel) -> render(session, project, agent, command, pieces, cancel)))
                .orElseThrow(() -> new LatheException.Conflict("session " + session.id() + " is busy; /" + command
                        + " runs commands or reads files before it is sent, so it waits until the session is idle"));
    }

    private String render(Session session, Project project, String agent, String command, List<CommandTemplate.Piece> pieces, Cancellation cancel) {
        String callId = "command_" + PartId.next().value().substring(PartId.PREFIX.length());
        var gate = services.gates(session, project, services.approvals(project.id(), session.id()), cancel)
                .gate(MessageId.next(), callId, () -> List.of(project.rulesFor(agent)), PermissionGate.Asks.CLIENT_ANSWERS, AskHooks.NONE);
        var ctx = ToolContext.builder(project.directory(), gate).session(session.id().value()).call(callId).cancellation(cancel)
                .output(services.toolOutputDir()).secrets(secrets(session, project)).background(services.background())
                .launcher(SandboxLauncher.forSession(project.config(), project.host(), project.directory(), project.repoRoot(),
                        () -> List.of(project.rulesFor(agent)), session.id().value(), services.decisions()))
                .build();
        var text = new StringBuilder();
        Map<String, ToolResult> files = new LinkedHashMap<>();
        for (CommandTemplate.Piece piece : pieces) {
            switch (piece) {
                case CommandTemplate.Piece.Literal l -> text.append(l.text());
                case CommandTemplate.Piece.Shell s -> text.append(shell(s.command(), command, ctx, cancel));
                case CommandTemplate.Piece.Include f -> {
                    text.append('@').append(f.path());
                    include(f.path(), command, ctx, cancel).ifPresent(r -> files.putIfAbsent(r.title(), r));
                }
            }
        }
        var out = new StringBuilder(text.toString().strip());
        // the file is the project's text, not the user's: escaped, it cannot end its block and write on as the user
        files.forEach((shown, r) -> out.append("\n\n").append(Wrapper.FILE.wrap(r.output().stripTrailing(), shown)));
        return out.toString();
    }

    private String shell(String line, String command, ToolContext ctx, Cancellation cancel) {
        ToolResult r = run(Builtins.RUN_COMMAND, WireJson.write(new BashArgs(line, SHELL_TIMEOUT_MS)), command, "!`" + line + "`", ctx, cancel);
        Optional<ToolDisplay.CommandRun> ran = r.display().filter(ToolDisplay.CommandRun.class::isInstance).map(ToolDisplay.CommandRun.class::cast);
        if (ran.filter(ToolDisplay.CommandRun::timedOut).isPresent()) {
            throw new LatheException.CommandFailed("/" + command + " was not sent: `" + line + "` did not finish within "
                    + SHELL_TIMEOUT_MS / 1000 + " s");
        }
        String output = r.output().stripTrailing();
        if (ran.flatMap(ToolDisplay.CommandRun::exitCode).filter(code -> code == 0).isPresent() && output.endsWith(EXIT_OK)) output = output.substring(0, output.length() - EXIT_OK.length());
        // leading spaces are output (wc -l, aligned columns); surrounding blank lines are not
        return output.stripTrailing().replaceFirst("^(?:[ \t]*\n)+", "");
    }

    /** The read result for {@code path}, or empty when it is a word that names no file and is not meant as one. */
    private Optional<ToolResult> include(String path, String command, ToolContext ctx, Cancellation cancel) {
        Path root = ctx.folders().project();
        if (path.startsWith("~")) throw outside(command, path);
        Path file;
        try {
            file = root.resolve(path).normalize();
        } catch (java.nio.file.InvalidPathException e) {
            throw new LatheException.InvalidInput("/" + command + " was not sent: @" + path + " is not a valid path");
        }
        if (!Files.exists(file) && !path.contains("/") && !path.contains(".")) return Optional.empty();
        if (!file.startsWith(root) || !real(file).startsWith(real(root))) throw outside(command, path);
        ToolResult r = run(Builtins.READ_FILE, WireJson.write(new ReadArgs(path)), command, "@" + path, ctx, cancel);
        if (!r.attachments().isEmpty()) {
            throw new LatheException.InvalidInput("/" + command + " was not sent: @" + path + " is an image or PDF; a command includes text files only");
        }
        return Optional.of(r);
    }

    private ToolResult run(String tool, String args, String command, String what, ToolContext ctx, Cancellation cancel) {
        try {
            return services.tools().run(ToolCall.of(tool, args, ctx, Origin.COMMAND), PartRecorder.NONE);
        } catch (PermissionRejected e) {
            if (cancel.isCancelled()) throw aborted(command);
            throw new LatheException.Forbidden("permission_denied", "/" + command + " was not sent: " + what + " is not allowed. " + e.getMessage());
        } catch (ToolFailure e) {
            if (cancel.isCancelled()) throw aborted(command);
            throw new LatheException.InvalidInput("/" + command + " was not sent: " + what + ": " + e.getMessage());
        }
    }

    private static LatheException outside(String command, String path) {
        return new LatheException.InvalidInput("/" + command + " was not sent: @" + path + " is outside the project; commands include project files only");
    }

    private static LatheException aborted(String command) {
        return new LatheException.Conflict("/" + command + " was aborted before it was sent");
    }

    private static Set<String> secrets(Session session, Project project) {
        Optional<ResolvedModel> model;
        try {
            model = Optional.of(project.models().resolve(session.model()));
        } catch (ModelException e) {
            model = Optional.empty();
        }
        return Secrets.of(project, model);
    }

    private static Path real(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            return p;
        }
    }

    private record BashArgs(String command, int timeout) {}

    private record ReadArgs(String path) {}
}
