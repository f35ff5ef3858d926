package dev.lathe.core.config;

import dev.lathe.core.trust.RunPin;
import dev.lathe.core.trust.TrustGate;
import dev.lathe.core.trust.TrustItem;
import dev.lathe.core.trust.Withheld;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The status line's command (DESIGN §27): Claude Code's {@code "statusLine": {"type": "command", "command": …}} from
 * its settings files, or Lathe's own {@code statusLine} key of the same shape. {@code source} names the file,
 * {@code pin} what trust approved of the files a project's command runs ({@link RunPin#NONE} for the user's own),
 * checked again before every run as a hook's is.
 */
public record StatusLineCommand(String command, String source, RunPin pin) {
    static final String KEY = "statusLine";

    /** The trust item of a project's status line: the command is what the user approves (and the scripts it names). */
    static TrustItem item(String source, String command) {
        return new TrustItem(Withheld.Kind.STATUS_LINE, source, KEY, command);
    }

    /**
     * A layer's validated {@code statusLine}, removed from it: a project's ({@code projectSource} its file as trust
     * names it) pinned, the user's own not.
     */
    static Optional<StatusLineCommand> take(ObjectNode layer, String source, Optional<String> projectSource, Path projectRoot) {
        if (!(layer.remove(KEY) instanceof ObjectNode line)) return Optional.empty();
        String command = line.path("command").asString("");
        RunPin pin = projectSource.map(p -> RunPin.of(projectRoot, item(p, command))).orElse(RunPin.NONE);
        return Optional.of(new StatusLineCommand(command, projectSource.orElse(source), pin));
    }

    /**
     * Claude Code's {@code statusLine} in one of its settings files, or empty (with a log line naming the file, line
     * and key) when it is not a {@code command} one; a project's file's only as far as trust's {@code gate} admits it
     * (named in {@code withheld} otherwise).
     */
    static Optional<StatusLineCommand> claude(LocatedJson doc, String shown, Optional<Path> projectRoot,
            TrustGate gate, List<Withheld> withheld) {
        JsonNode line = doc.root().get(KEY);
        if (line == null) return Optional.empty();
        String command = line.path("command").asString("");
        if (!line.path("type").asString("").equals("command") || command.isBlank()) {
            LOG.log(System.Logger.Level.WARNING, "lathe: " + shown + ":" + doc.lineOf(KEY) + ": " + KEY
                    + ": expected {\"type\": \"command\", \"command\": …}; not shown");
            return Optional.empty();
        }
        if (projectRoot.isEmpty()) return Optional.of(new StatusLineCommand(command, shown, RunPin.NONE));
        if (!gate.admit(item(shown, command))) {
            withheld.add(new Withheld(Withheld.Kind.STATUS_LINE, shown, List.of(KEY), gate.reason()));
            return Optional.empty();
        }
        return Optional.of(new StatusLineCommand(command, shown, RunPin.of(projectRoot.get(), item(shown, command))));
    }

    private static final System.Logger LOG = System.getLogger(StatusLineCommand.class.getName());
}
