package dev.lathe.app;

import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.LatheApi;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.SessionStatus;
import dev.lathe.run.console.ExitCode;
import dev.lathe.run.console.OutputFormat;
import dev.lathe.server.LatheServer;
import dev.lathe.term.VisibleControls;
import dev.lathe.tui.view.WorktreeLabel;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code lathe sessions [--dir DIR] [--format json]}: the sessions of a folder, newest first, each followed by its
 * subagent sessions. Asks the daemon when one runs (so busy sessions show as busy), else reads the database in this
 * process; never starts a daemon just to list. On a team server (DESIGN §20) each session's owner is shown too.
 */
@Command(name = "sessions", mixinStandardHelpOptions = true, description = "List the sessions of a project folder.")
final class SessionsCommand implements Callable<Integer> {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneId.systemDefault());

    @Spec CommandSpec spec;

    @Option(names = "--dir", paramLabel = "DIR", description = "project folder (default: current folder)")
    Optional<Path> dir = Optional.empty();

    @Option(names = "--format", paramLabel = "text|json", description = "text (default) or json: one array of session objects")
    OutputFormat format = OutputFormat.text;

    @Option(names = "--attach", paramLabel = "URL", description = "list that server's sessions (a team node: as the user of LATHE_SERVER_TOKEN)")
    Optional<URI> attach = Optional.empty();

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        String directory = Folders.project(dir);
        List<Session> sessions;
        Map<SessionId, SessionStatus> statuses;
        // another server's, as lathe run --attach and lathe attach reach it (issue 71)
        try (LatheApi api = attach.isPresent() ? Backends.remote(attach.get(), directory).api() : Backends.runningOrInProcess(directory)) {
            sessions = inTreeOrder(api.sessions(directory));
            statuses = statuses(api, directory, sessions);
        } catch (LatheServer.StartupException e) {
            throw new UsageError(e.getMessage());
        }
        Optional<Map<SessionId, String>> owners = SessionOwnerColumn.owners(sessions);
        if (format == OutputFormat.json) {
            var json = JsonMapper.builder().build();
            ArrayNode array = json.createArrayNode();
            for (Session s : sessions) {
                ObjectNode o = array.addObject();
                row(o, s, statuses.getOrDefault(s.id(), SessionStatus.IDLE));
                owners.ifPresent(byId -> o.put("owner", byId.getOrDefault(s.id(), "")));
            }
            out.println(TerminalOutput.json(json.writeValueAsString(array)));
        } else if (sessions.isEmpty()) {
            spec.commandLine().getErr().println("lathe: no sessions in " + directory);
        } else {
            Set<SessionId> listed = sessions.stream().map(Session::id).collect(Collectors.toSet());
            // a title (the model's or an imported file's words) is one field of one line: its controls, newlines and tabs
            // included, are shown (the exact title is in --format json)
            // a repository's list holds its worktrees' sessions: each names its branch (DESIGN §19), the main checkout's "-"
            boolean trees = sessions.stream().anyMatch(s -> s.worktree().isPresent());
            List<String> header = new ArrayList<>(List.of("ID", "STATUS", "UPDATED"));
            if (owners.isPresent()) header.add("OWNER");
            if (trees) header.add("WORKTREE");
            header.add("TITLE");
            List<List<String>> rows = new ArrayList<>();
            for (Session s : sessions) {
                boolean child = s.parentId().filter(listed::contains).isPresent();
                List<String> row = new ArrayList<>(List.of((child ? "  " : "") + s.id().value(), SessionStatus.typeOf(statuses.getOrDefault(s.id(), SessionStatus.IDLE)),
                        WHEN.format(Instant.ofEpochMilli(s.updatedAt()))));
                owners.ifPresent(byId -> row.add(VisibleControls.line(byId.getOrDefault(s.id(), "-"))));
                if (trees) row.add(VisibleControls.line(s.worktree().map(WorktreeLabel::of).orElse("-")));
                row.add((child ? "↳ " : "") + VisibleControls.line(s.title()));
                rows.add(row);
            }
            SessionTable.lines(header, rows).forEach(out::println);
        }
        out.flush();
        return ExitCode.FINISHED;
    }

    private static void row(ObjectNode o, Session s, SessionStatus status) {
        o.put("id", s.id().value());
        if (s.parentId().isPresent()) o.put("parentId", s.parentId().get().value());
        else o.putNull("parentId");
        o.put("title", s.title());
        o.put("status", SessionStatus.typeOf(status));
        o.put("directory", s.directory());
        o.put("agent", s.agent());
        o.put("model", s.model());
        o.put("createdAt", s.createdAt());
        o.put("updatedAt", s.updatedAt());
        if (s.archivedAt().isPresent()) o.put("archivedAt", s.archivedAt().get());
        else o.putNull("archivedAt");
        o.put("cost", s.cost());
        // its tokens were billed by the harness it was imported from, not by Lathe (issue 71)
        s.importedFrom().ifPresent(h -> o.put("importedFrom", h));
        // the worktree the session runs in (DESIGN §19): what a script needs to merge or remove it; a hook's has no branch
        if (s.worktree().isPresent()) {
            o.putObject("worktree").put("name", s.worktree().get().name()).put("branch", s.worktree().get().branch())
                    .put("mainCheckout", s.worktree().get().mainCheckout()).put("removed", s.worktree().get().removedAt().isPresent());
        } else {
            o.putNull("worktree");
        }
        var usage = o.putObject("usage");
        usage.put("input", s.usage().input()).put("output", s.usage().output()).put("reasoning", s.usage().reasoning())
                .put("cacheRead", s.usage().cacheRead()).put("cacheWrite", s.usage().cacheWrite());
    }

    /** One request for all when the server answers it; else one per session (an older daemon answers 501). */
    private static Map<SessionId, SessionStatus> statuses(LatheApi api, String directory, List<Session> sessions) {
        try {
            return api.statuses(directory);
        } catch (LatheException e) {
            Map<SessionId, SessionStatus> each = new HashMap<>();
            for (Session s : sessions) each.put(s.id(), api.status(s.id()));
            return each;
        }
    }

    /** Newest first as the server lists them, each session followed by its children (oldest first). */
    static List<Session> inTreeOrder(List<Session> newestFirst) {
        Set<SessionId> present = newestFirst.stream().map(Session::id).collect(Collectors.toSet());
        Map<SessionId, List<Session>> children = new HashMap<>();
        for (Session s : newestFirst.reversed()) {
            s.parentId().filter(present::contains).ifPresent(p -> children.computeIfAbsent(p, _ -> new ArrayList<>()).add(s));
        }
        List<Session> ordered = new ArrayList<>();
        for (Session s : newestFirst) {
            if (s.parentId().filter(present::contains).isPresent()) continue;
            add(ordered, s, children);
        }
        return ordered;
    }

    private static void add(List<Session> ordered, Session s, Map<SessionId, List<Session>> children) {
        ordered.add(s);
        for (Session c : children.getOrDefault(s.id(), List.of())) add(ordered, c, children);
    }
}
