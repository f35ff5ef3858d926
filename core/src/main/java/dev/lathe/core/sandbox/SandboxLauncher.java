package dev.lathe.core.sandbox;

import dev.lathe.core.config.Config;
import dev.lathe.core.config.LathePaths;
import dev.lathe.core.config.SandboxConfig;
import dev.lathe.core.config.ServerEnvironment;
import dev.lathe.core.permission.Action;
import dev.lathe.core.permission.DecisionLog;
import dev.lathe.core.permission.ProtectedPaths;
import dev.lathe.core.permission.Ruleset;
import dev.lathe.tools.ProcessLauncher;
import dev.lathe.tools.ToolContext;
import dev.lathe.tools.ToolFailure;
import dev.lathe.tools.WrappingLauncher;
import dev.lathe.tools.builtin.ProcessCap;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Runs every command of one session's calls under bubblewrap (DESIGN §10, §18 "Sandbox"), then hands the rewritten
 * command to {@code next} (the core's own launcher seam). {@code layout} says what is writable, read-only and hidden;
 * {@code rules} are the session's effective rule sets, asked at each launch which project paths {@code read} denies.
 * With {@code sandbox: on} and no working bubblewrap, a launch fails with a {@link ToolFailure} saying why, and
 * {@code refusals} (the audit log) is told what was refused; with {@code auto} the command runs unsandboxed and the
 * session is told once ({@link #takeNotice}).
 */
public final class SandboxLauncher implements WrappingLauncher {
    private static final System.Logger LOG = System.getLogger(SandboxLauncher.class.getName());
    /** Sessions already told their commands run unsandboxed (once per session and daemon). */
    private static final Set<String> TOLD = ConcurrentHashMap.newKeySet();
    private static final Set<String> LOGGED = ConcurrentHashMap.newKeySet();

    private final SandboxConfig config;
    /** Made at the first launch of the step, then kept for it ({@link Layout}): a step that runs no command makes none. */
    private final Layout layout;
    private final Supplier<List<Ruleset>> rules;
    private final String sessionId;
    private final ProcessLauncher next;
    /** Empty when bubblewrap works, else why not ({@link Bubblewrap#problem}; a test states it). */
    private final Supplier<Optional<String>> availability;
    private final AtomicReference<String> notice = new AtomicReference<>();
    private final DecisionLog refusals;
    private final Call call;
    /** How many project entries the walk for denied files may visit ({@link SandboxLayout#MAX_WALK}; a test makes it small). */
    private final int walkLimit;

    /** The call a launcher serves: its id (empty for none) and the credential values to keep out of what is reported. */
    private record Call(String id, Set<String> secrets) {
        static final Call NONE = new Call("", Set.of());
    }

    public SandboxLauncher(SandboxConfig config, SandboxLayout layout, Supplier<List<Ruleset>> rules, String sessionId, DecisionLog refusals) {
        this(config, new Layout(() -> layout), rules, sessionId, ProcessLauncher.DIRECT, Bubblewrap::problem, refusals, Call.NONE, SandboxLayout.MAX_WALK);
    }

    SandboxLauncher(SandboxConfig config, SandboxLayout layout, Supplier<List<Ruleset>> rules, String sessionId, ProcessLauncher next,
            Supplier<Optional<String>> availability) {
        this(config, new Layout(() -> layout), rules, sessionId, next, availability, DecisionLog.NONE, Call.NONE, SandboxLayout.MAX_WALK);
    }

    SandboxLauncher(SandboxConfig config, SandboxLayout layout, Supplier<List<Ruleset>> rules, String sessionId, ProcessLauncher next,
            Supplier<Optional<String>> availability, DecisionLog refusals) {
        this(config, new Layout(() -> layout), rules, sessionId, next, availability, refusals, Call.NONE, SandboxLayout.MAX_WALK);
    }

    private SandboxLauncher(SandboxConfig config, Layout layout, Supplier<List<Ruleset>> rules, String sessionId, ProcessLauncher next,
            Supplier<Optional<String>> availability, DecisionLog refusals, Call call, int walkLimit) {
        this.walkLimit = walkLimit;
        this.availability = availability;
        this.config = config;
        this.layout = layout;
        this.rules = rules;
        this.sessionId = sessionId;
        this.next = next;
        this.refusals = refusals;
        this.call = call;
    }

    /**
     * The launcher for a session's calls in the project at {@code project} (in the repository at {@code repoRoot}),
     * configured by {@code projectConfig} (its sandbox settings and the plugin folders it names), hiding what {@code rules} deny to {@code read}, telling {@code refusals} (the
     * audit log) every command it refuses; the user's folders, socket folders and Lathe's secrets are where
     * {@code host} (the server's environment) places them.
     */
    public static SandboxLauncher forSession(Config projectConfig, ServerEnvironment host, Path project,
            Path repoRoot, Supplier<List<Ruleset>> rules, String sessionId, DecisionLog refusals) {
        // the plugin folders the configuration names run code wherever they are: read-only like the project's own config
        Layout layout = new Layout(() -> SandboxLayout.of(project, repoRoot, ProtectedPaths.userFolders(host.variables()),
                projectConfig.plugins(), host.variables()));
        return new SandboxLauncher(projectConfig.sandbox(), layout, rules, sessionId, ProcessLauncher.DIRECT, Bubblewrap::problem, refusals, Call.NONE,
                SandboxLayout.MAX_WALK);
    }

    /**
     * A step's layout, looked at (the git folder's kind, the folders on the way to a plugin folder) when the step's
     * first command launches rather than when the step starts: later, so never staler than before, and a step that
     * runs no command (a read) pays nothing. Kept for the rest of the step, as the layout made at its start was; the
     * launchers derived for its calls share it.
     */
    static final class Layout {
        private final Supplier<SandboxLayout> make;
        private volatile SandboxLayout made;

        Layout(Supplier<SandboxLayout> make) {
            this.make = make;
        }

        SandboxLayout get() {
            SandboxLayout out = made;
            if (out != null) return out;
            synchronized (this) {
                if (made == null) made = make.get();
                return made;
            }
        }

        /** Whether the layout was made (a test's view of "a step that launches nothing makes none"). */
        boolean made() { return made != null; }
    }

    /** Whether this launcher's layout has been made yet (tests). */
    boolean layoutMade() { return layout.made(); }

    /** The layout its commands run in, made now if no command made it yet (tests). */
    SandboxLayout layout() { return layout.get(); }

    /** This sandbox handing its wrapped commands to {@code launcher} (the seam installed where the core is built). */
    @Override
    public SandboxLauncher over(ProcessLauncher launcher) {
        return new SandboxLauncher(config, layout, rules, sessionId, launcher, availability, refusals, call, walkLimit);
    }

    /** This sandbox for the call {@code ctx} runs: a refusal names it and blanks its secrets. */
    @Override
    public SandboxLauncher forCall(ToolContext ctx) {
        return new SandboxLauncher(config, layout, rules, sessionId, next, availability, refusals, new Call(ctx.call().id(), ctx.guards().secrets()), walkLimit);
    }

    /** This sandbox walking at most {@code limit} project entries for denied files (a test of the fail-closed cut). */
    SandboxLauncher withWalkLimit(int limit) {
        return new SandboxLauncher(config, layout, rules, sessionId, next, availability, refusals, call, limit);
    }

    @Override
    public Process launch(ProcessBuilder command) throws IOException {
        return launch(command, DeniedFiles.HIDDEN);
    }

    /** Sandboxed as any command, but the files {@code read} rules deny are left to the caller, which filters by rule. */
    @Override
    public Process launchFilteredByCaller(ProcessBuilder command) throws IOException {
        return launch(command, DeniedFiles.LEFT_TO_CALLER);
    }

    /** Whether the sandbox hides the files {@code read} rules deny (a walk of the project) or the caller filters them. */
    private enum DeniedFiles { HIDDEN, LEFT_TO_CALLER }

    private Process launch(ProcessBuilder command, DeniedFiles denied) throws IOException {
        switch (SandboxState.of(config, availability)) {
            case SandboxState.Off _ -> { return next.launch(command); }
            case SandboxState.Refused r -> {
                refuse(command, r.problem());
                throw new ToolFailure("The sandbox is \"on\" but cannot run: " + r.problem()
                        + ". Commands are not run unsandboxed; fix bubblewrap, or set \"sandbox\": \"auto\" (run unsandboxed where it does not"
                        + " work) or \"off\" in lathe.json.");
            }
            case SandboxState.Unsandboxed u -> {
                String text = "Note: commands run WITHOUT the OS sandbox: " + u.problem()
                        + ". Set \"sandbox\": \"off\" in lathe.json to silence this, or \"on\" to refuse running unsandboxed.";
                if (LOGGED.add(layout.get().project().toString())) LOG.log(Level.WARNING, text + " (project " + layout.get().project() + ")");
                if (TOLD.add(sessionId)) notice.set(text);
                return next.launch(command);
            }
            case SandboxState.Sandboxed _ -> { }
        }
        if (config.network() instanceof SandboxConfig.Network.Hosts h && TOLD.add(sessionId + "\0hosts")) {
            notice.set("Note: the sandbox's network host list " + h.hosts() + " is not filtered yet: the network is open to every host.");
        }
        // before the arguments: a placeholder exists, so the layout binds it read-only like the guarded path it stands for
        Placeholders.Lease placeholders = Placeholders.take(layout.get().inWritableFolders(config));
        List<Path> absent = layout.get().createdAfterwards(config);
        CreatedConfigWatch watch = null;
        try {
            List<String> shown = ProcessCap.withoutGate(command.command()).stream().map(this::withoutSecrets).toList();
            command.command(wrap(command, denied));
            command.environment().put("TMPDIR", layout.get().temporaryFolder(config));
            // the sockets these name are hidden and cannot be reached; a client that tries would only wait or complain
            if (config.network() instanceof SandboxConfig.Network.Off) SocketFolders.VARIABLES.forEach(command.environment()::remove);
            // watched from before the command starts: one it creates is moved aside at once, not only when it ends
            CreatedConfigWatch running = CreatedConfigWatch.start(absent, created -> moveAsideCreated(List.of(created), shown));
            watch = running;
            // from a thread that outlives every command: bubblewrap's --die-with-parent follows the starting thread
            Process p = StartingThread.start(next, command);
            // bwrap exits last (its pid namespace takes every process inside down with it): then no mount uses them
            p.onExit().whenComplete((_, _) -> {
                running.close();
                placeholders.release();
                moveAsideCreated(absent, shown);
            });
            return p;
        } catch (SandboxLayout.WalkCut e) {
            if (watch != null) watch.close();
            placeholders.release();
            refuse(command, e.getMessage());
            throw new ToolFailure("The sandbox cannot run this command: " + e.getMessage() + ".");
        } catch (IOException | RuntimeException e) {
            if (watch != null) watch.close();
            placeholders.release();
            throw e;
        }
    }

    /**
     * Moves aside each guarded work-tree path of {@code absent} that exists now: the command (or something meanwhile)
     * created project config that runs code, which a sandboxed command may not; it becomes {@code NAME.sandbox-refused} and the
     * audit says so.
     */
    private void moveAsideCreated(List<Path> absent, List<String> shown) {
        // the watch of a running command and the sweep after another may see the same path at once: one moves it
        synchronized (MOVING) {
            moveAsideNow(absent, shown);
        }
    }

    private static final Object MOVING = new Object();

    private void moveAsideNow(List<Path> absent, List<String> shown) {
        for (Path created : absent) {
            if (!exists(created)) continue;
            Path aside = created.resolveSibling(created.getFileName() + ".sandbox-refused");
            for (int n = 2; exists(aside); n++) aside = created.resolveSibling(created.getFileName() + ".sandbox-refused-" + n);
            try {
                Files.move(created, aside);
                String why = "the command created " + layout.get().project().relativize(created) + ", which a sandboxed command may not; moved to "
                        + layout.get().project().relativize(aside);
                LOG.log(Level.WARNING, why + " (project " + layout.get().project() + ")");
                tellRefused(shown, why);
            } catch (IOException e) {
                LOG.log(Level.WARNING, "could not move aside " + created + ", which a sandboxed command created", e);
            }
        }
    }

    /** Tells the audit what was refused: the command as it would have run, credential values blanked. */
    private void refuse(ProcessBuilder command, String why) {
        tellRefused(ProcessCap.withoutGate(command.command()).stream().map(this::withoutSecrets).toList(), why);
    }

    private void tellRefused(List<String> shown, String why) {
        try {
            refusals.refused(new DecisionLog.Refused(sessionId, layout.get().project().toString(), call.id(), shown, why));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "the audit of a sandbox refusal failed", e);
        }
    }

    private String withoutSecrets(String word) {
        String out = word;
        for (String secret : call.secrets()) if (!secret.isEmpty()) out = out.replace(secret, "***");
        return out;
    }

    /** The configured {@code sandbox.maxProcesses}: it holds whether or not this launcher sandboxes. */
    @Override
    public int processLimit() {
        return config.maxProcesses();
    }

    /** A note the session has not yet been shown about how its commands run (once), for the call's result. */
    @Override
    public Optional<String> takeNotice() {
        return Optional.ofNullable(notice.getAndSet(null));
    }

    private List<String> wrap(ProcessBuilder command, DeniedFiles denied) throws SandboxLayout.WalkCut {
        List<String> original = command.command();
        List<String> out = new ArrayList<>();
        List<String> rest = original;
        // the process cap's gate and setsid outside bwrap: the cap holds the sandbox's own processes, and bwrap leads the
        // process group the caller kills, so the whole sandbox goes with it
        int outer = ProcessCap.outerWords(original);
        out.addAll(original.subList(0, outer));
        rest = original.subList(outer, original.size());
        if (config.network() instanceof SandboxConfig.Network.Off) {
            // bubblewrap reads the seccomp program from a descriptor, and a Java child inherits none but 0-2: a shell opens
            // it and execs bwrap in its place (same process, same group); a program that cannot be opened stops the launch
            out.addAll(List.of("sh", "-c", "exec " + SandboxLayout.SECCOMP_FD + "<\"$0\" && exec \"$@\"", UnixSocketFilter.path().toString()));
        }
        out.add(Bubblewrap.PROGRAM);
        List<SandboxLayout.Hidden> hidden = new ArrayList<>(denied == DeniedFiles.HIDDEN ? denied() : List.of());
        // Lathe's own secrets: the audit key would let a command forge the chain that records it, the saved provider keys
        // would reach the model, and the server's token (in server.json) would let a command with network answer its own asks
        for (Path secret : layout.get().secrets()) if (exists(secret)) hidden.add(new SandboxLayout.Hidden(secret, false));
        out.addAll(layout.get().arguments(config, hidden));
        Path dir = command.directory() == null ? layout.get().project() : command.directory().toPath().toAbsolutePath();
        out.add("--chdir");
        out.add(dir.toString());
        out.add("--");
        out.addAll(rest);
        return out;
    }

    /** The audit chain's key, the saved provider keys and the server's token file, as {@code paths} places them. */
    static List<Path> secrets(LathePaths paths) {
        return List.of(paths.auditKey(), paths.authFile(), paths.serverInfo());
    }

    /** Project paths the session's {@code read} rules deny, to hide. */
    private List<SandboxLayout.Hidden> denied() throws SandboxLayout.WalkCut {
        List<Ruleset> sets = rules.get();
        // without a rule that can deny a read there is nothing to hide: no walk of the project on every command
        if (sets.stream().noneMatch(SandboxLauncher::mayDenyReads)) return List.of();
        return layout.get().hidden(rel -> sets.stream().anyMatch(r -> r.evaluate("read", rel) == Action.DENY), walkLimit);
    }

    private static boolean mayDenyReads(Ruleset set) {
        return java.util.stream.Stream.concat(set.rules().stream(), set.managed().stream())
                .anyMatch(r -> r.action() == Action.DENY && (r.permission().equals("read") || r.permission().equals("*")));
    }

    static boolean exists(Path p) {
        return Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS);
    }
}
