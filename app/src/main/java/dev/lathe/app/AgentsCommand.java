package dev.lathe.app;

import dev.lathe.protocol.api.BackgroundTask;
import dev.lathe.protocol.api.ChildSession;
import dev.lathe.protocol.api.LatheApi;
import dev.lathe.protocol.session.Session;
import dev.lathe.run.console.ExitCode;
import dev.lathe.run.console.OutputFormat;
import dev.lathe.server.LatheServer;
import dev.lathe.term.Money;
import dev.lathe.term.VisibleControls;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code lathe agents [--format json]}: the background subagents running now in every session (DESIGN §18 "Background
 * subagents"), oldest first, with the session that started each, its status, cost and last activity. Asks the daemon
 * when one runs; without one nothing runs in the background, and the list is empty. A cost is micro-dollars (a whole
 * number, {@link Session#cost}): the text table prints it through the clients' one money rule, never a float format.
 */
@Command(name = "agents", mixinStandardHelpOptions = true, description = "List the background subagents running in every session.")
final class AgentsCommand implements Callable<Integer> {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

    @Spec CommandSpec spec;

    @Option(names = "--format", paramLabel = "text|json", description = "text (default) or json: one array of task objects")
    OutputFormat format = OutputFormat.text;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<ChildSession> running;
        try (LatheApi api = Backends.runningOrInProcess(Folders.project(Optional.empty()))) {
            running = api.backgroundTasks();
        } catch (LatheServer.StartupException e) {
            throw new UsageError(e.getMessage());
        }
        if (format == OutputFormat.json) {
            var json = JsonMapper.builder().build();
            ArrayNode array = json.createArrayNode();
            for (ChildSession c : running) row(array.addObject(), c);
            out.println(TerminalOutput.json(json.writeValueAsString(array)));
        } else if (running.isEmpty()) {
            spec.commandLine().getErr().println("lathe: no background subagents are running");
        } else {
            List<List<String>> rows = new ArrayList<>();
            for (ChildSession c : running) {
                Session s = c.session();
                // the description is the model's words: one field of one line, its controls shown (the exact text is in --format json)
                rows.add(List.of(s.id().value(), s.parentId().map(p -> p.value()).orElse("-"), VisibleControls.line(s.agent()), c.status(),
                        Money.cost(s.cost(), s.usage(), s.importedFrom().isPresent()), WHEN.format(Instant.ofEpochMilli(s.updatedAt())),
                        VisibleControls.line(c.task().map(BackgroundTask::description).orElse(s.title()))));
            }
            SessionTable.lines(List.of("ID", "PARENT", "AGENT", "STATUS", "COST", "ACTIVE", "DESCRIPTION"), rows).forEach(out::println);
        }
        out.flush();
        return ExitCode.FINISHED;
    }

    private static void row(ObjectNode o, ChildSession c) {
        Session s = c.session();
        o.put("id", s.id().value());
        o.put("parentId", s.parentId().map(p -> p.value()).orElse(null));
        o.put("agent", s.agent());
        o.put("status", c.status());
        o.put("description", c.task().map(BackgroundTask::description).orElse(""));
        o.put("title", s.title());
        o.put("directory", s.directory());
        o.put("startedAt", c.task().map(BackgroundTask::startedAt).orElse(s.createdAt()));
        o.put("updatedAt", s.updatedAt());
        o.put("cost", s.cost());
    }
}
