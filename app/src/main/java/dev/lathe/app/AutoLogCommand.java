package dev.lathe.app;

import dev.lathe.run.console.ExitCode;
import dev.lathe.run.console.OutputFormat;
import dev.lathe.server.local.LocalCommands;
import dev.lathe.term.VisibleControls;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code lathe permissions auto-log [--dir DIR] [--session ID] [--limit N] [--format text|json]}: auto-approval's recent
 * decisions with their reasons (DESIGN §31), newest last, read from the project's audit log without a server (as
 * {@code lathe audit}). A line: time, session, decision, what was asked, the classifier's reason, its model, tokens and
 * milliseconds; the command lines and reasons are the model's and the classifier's words, so their control characters
 * are shown, never sent to the terminal. JSON is the audit's own entry lines.
 */
@Command(name = "auto-log", mixinStandardHelpOptions = true, description = "List auto-approval's recent decisions with their reasons.")
final class AutoLogCommand implements Callable<Integer> {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Spec CommandSpec spec;

    @Option(names = "--dir", paramLabel = "DIR", description = "project folder (default: current folder)")
    Path dir = Path.of("");

    @Option(names = "--session", paramLabel = "ID", description = "only this session's decisions")
    Optional<String> session = Optional.empty();

    @Option(names = "--limit", paramLabel = "N", description = "at most the N newest decisions (default: 50)")
    int limit = 50;

    @Option(names = "--format", paramLabel = "text|json", description = "text (default) or json (the audit's entry lines)")
    OutputFormat format = OutputFormat.text;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path project = dir.toAbsolutePath().normalize();
        if (!Files.isDirectory(project)) {
            err.println("lathe: --dir " + dir + " is not a folder");
            return ExitCode.USAGE;
        }
        List<String> lines;
        try {
            lines = LocalCommands.of(System.getenv()).audit(project).entries(session, LocalCommands.AuditForm.JSON);
        } catch (LocalCommands.Failure e) {
            err.println("lathe: " + e.getMessage());
            return ExitCode.USAGE;
        }
        List<JsonNode> decisions = new ArrayList<>();
        List<String> raw = new ArrayList<>();
        for (String line : lines) {
            JsonNode node = JSON.readTree(line);
            if (!node.path("kind").asString("").equals("auto")) continue;
            decisions.add(node);
            raw.add(line);
        }
        int from = Math.max(0, decisions.size() - Math.max(1, limit));
        if (decisions.isEmpty()) {
            err.println("lathe: no auto-approval decisions in " + project);
        } else if (format == OutputFormat.json) {
            raw.subList(from, raw.size()).forEach(l -> out.println(TerminalOutput.json(l)));
        } else {
            decisions.subList(from, decisions.size()).forEach(d -> out.println(line(d)));
        }
        out.flush();
        return ExitCode.FINISHED;
    }

    /** {@code 2026-11-29T09:00:00Z ses_… allow bash `git diff` — REASON (judge/j, 120 tokens, 840 ms)} */
    static String line(JsonNode entry) {
        JsonNode f = entry;
        List<String> patterns = new ArrayList<>();
        f.path("patterns").forEach(p -> patterns.add(p.asString("")));
        String text = java.time.Instant.ofEpochMilli(entry.path("time").asLong(0)) + " " + entry.path("session").asString("") + " "
                + f.path("decision").asString("") + " " + f.path("permission").asString("") + " `" + String.join("`, `", patterns) + "` — "
                + f.path("reason").asString("") + " (" + f.path("model").asString("") + ", " + f.path("tokens").asString("0") + " tokens, "
                + f.path("ms").asString("0") + " ms)";
        return VisibleControls.line(text);
    }
}
