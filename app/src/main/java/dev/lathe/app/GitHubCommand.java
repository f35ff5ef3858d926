package dev.lathe.app;

import dev.lathe.protocol.Version;
import dev.lathe.protocol.api.LatheApi;
import dev.lathe.protocol.api.TrustRequest;
import dev.lathe.run.console.ExitCode;
import dev.lathe.run.github.ActionsContext;
import dev.lathe.run.github.Checkout;
import dev.lathe.run.github.GitHubEvent;
import dev.lathe.run.github.GitHubPhase;
import dev.lathe.run.github.GitHubRest;
import dev.lathe.run.github.GitHubRun;
import dev.lathe.run.github.WorkflowFile;
import dev.lathe.server.LatheServer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code lathe github run | install} (DESIGN §18 "GitHub", §23): the agent in a GitHub Actions job, and the workflow
 * that runs it. The work is {@code run.github}'s; this reads the environment and the event file and wires the backend.
 */
@Command(name = "github", mixinStandardHelpOptions = true, description = "Lathe in GitHub Actions: run on an event, or install the workflow.",
        subcommands = {GitHubCommand.Run.class, GitHubCommand.Install.class})
final class GitHubCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCode.USAGE;
    }

    @Command(name = "run", mixinStandardHelpOptions = true,
            description = "Inside a GitHub Actions job: answer the event's /lathe request (permitted actors only, this repository only).")
    static final class Run implements Callable<Integer> {
        /** GitHub's own cap on a webhook payload; the runner's event file is no larger. */
        private static final long MAX_EVENT_BYTES = 25L << 20;
        /** The workflow's mark that the checkout's own config may apply in full (docs/github.md). */
        static final String TRUSTED_CHECKOUT = "LATHE_TRUSTED_CHECKOUT";

        @Option(names = "--dir", paramLabel = "DIR", description = "the checkout (default: current folder)")
        Optional<Path> dir = Optional.empty();

        @Option(names = "--phase", paramLabel = "all|gate|agent|publish", description = "the part to run: all (default, one process), or the"
                + " installed workflow's three jobs: gate (token, no model), agent (no token), publish (token, after the agent)")
        String phase = "all";

        @Option(names = "--key-file", paramLabel = "FILE", description = "read the provider key from FILE and delete it before the session: the key"
                + " is then in Lathe's memory only, never in an environment a command can read")
        Optional<Path> keyFile = Optional.empty();

        @Option(names = "--key-variable", paramLabel = "NAME", description = "the variable the key of --key-file stands for (default: ANTHROPIC_API_KEY)")
        String keyVariable = "ANTHROPIC_API_KEY";

        @Override
        public Integer call() throws InterruptedException {
            PrintStream log = TerminalOutput.errStream();
            GitHubPhase part;
            try {
                part = GitHubPhase.valueOf(phase.strip().toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                log.println("lathe: --phase is all, gate, agent or publish, not " + phase.replaceAll("\\p{Cntrl}", "?"));
                return ExitCode.USAGE;
            }
            Map<String, String> env = new HashMap<>(Backends.env());
            ActionsContext context;
            try {
                context = part.needsToken() ? ActionsContext.of(env) : ActionsContext.withoutToken(env);
            } catch (ActionsContext.Missing e) {
                log.println("lathe: " + e.getMessage());
                return ExitCode.USAGE;
            }
            if (keyFile.isPresent()) {
                if (!keyVariable.matches("[A-Z][A-Z0-9_]*")) {
                    log.println("lathe: --key-variable is a name like ANTHROPIC_API_KEY");
                    return ExitCode.USAGE;
                }
                try {
                    // read once and removed before anything runs: the session's commands find neither the file nor the variable
                    String key = Files.readString(keyFile.get(), StandardCharsets.UTF_8).strip();
                    Files.delete(keyFile.get());
                    if (key.isEmpty()) throw new IOException("it is empty");
                    env.put(keyVariable, key);
                } catch (IOException e) {
                    log.println("lathe: cannot read the key file " + keyFile.get() + ": " + e.getMessage());
                    return ExitCode.USAGE;
                }
            }
            GitHubEvent event;
            try {
                Path file = Path.of(context.eventPath());
                if (Files.size(file) > MAX_EVENT_BYTES) {
                    log.println("lathe: the event file is larger than GitHub's 25 MB: nothing done");
                    return ExitCode.USAGE;
                }
                event = GitHubEvent.of(context.eventName(), Files.readString(file, StandardCharsets.UTF_8));
            } catch (IOException | RuntimeException e) {
                log.println("lathe: cannot read the event file GITHUB_EVENT_PATH: " + e.getClass().getSimpleName());
                return ExitCode.USAGE;
            }
            // the one repository it may act on is the job's; an event about another one is refused before anything is sent
            if (!event.repository().equalsIgnoreCase(context.repository())) {
                log.println("lathe: the event is about " + event.repository() + ", this job's repository is " + context.repository()
                        + ": nothing done");
                return ExitCode.USAGE;
            }
            Path directory = dir.orElse(Path.of("")).toAbsolutePath().normalize();
            try (LatheApi api = LatheServer.embedded(env)) {
                // what the project's own lathe.json needs trust for (hooks, MCP servers, allow rules) applies only where the
                // workflow says the checkout is trusted, and only in the parts that run the model
                boolean trusted = "true".equalsIgnoreCase(env.getOrDefault(TRUSTED_CHECKOUT, "").strip())
                        && (part == GitHubPhase.AGENT || part == GitHubPhase.ALL);
                if (api.trust(directory.toString()).trusted() != trusted) api.setTrust(directory.toString(), new TrustRequest(trusted));
                GitHubRest rest = new GitHubRest(context.apiUrl(), context.repository(), context.token());
                return new GitHubRun(api, context, event, new Checkout(directory), rest, log).run(part,
                        Optional.ofNullable(env.get("LATHE_HANDOFF")).filter(h -> !h.isBlank()));
            } catch (LatheServer.StartupException e) {
                log.println("lathe: " + e.getMessage());
                return ExitCode.USAGE;
            }
        }
    }

    @Command(name = "install", mixinStandardHelpOptions = true,
            description = "Write .github/workflows/lathe.yml and print the secrets and settings to set.")
    static final class Install implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Option(names = "--dir", paramLabel = "DIR", description = "the repository (default: current folder)")
        Optional<Path> dir = Optional.empty();

        @Option(names = "--dry-run", description = "print the workflow instead of writing it")
        boolean dryRun;

        @Option(names = "--trigger", paramLabel = "WORD", description = "what a comment must hold (default: /lathe; set the same as \"github\": {\"trigger\"})")
        String trigger = "/lathe";

        @Option(names = "--key-variable", paramLabel = "NAME", description = "the provider key's variable and secret (default: ANTHROPIC_API_KEY)")
        String keyVariable = "ANTHROPIC_API_KEY";

        @Option(names = "--lathe-version", paramLabel = "VERSION", description = "the Lathe release the workflow installs (default: this Lathe's own)")
        Optional<String> latheVersion = Optional.empty();

        @Override
        public Integer call() throws IOException {
            String version = latheVersion.orElse(Version.current());
            // a development build has no release for the Action to install: the user names one instead of getting a
            // workflow that fails on its first comment
            if (latheVersion.isEmpty() && !version.matches(WorkflowFile.RELEASE_VERSION)) {
                throw new UsageError("this Lathe (" + version + ") is a development build with no release to install: pass"
                        + " --lathe-version with a released version, e.g. --lathe-version 1.2.3");
            }
            WorkflowFile workflow;
            try {
                workflow = new WorkflowFile(trigger, keyVariable, version);
            } catch (IllegalArgumentException e) {
                throw new UsageError(e.getMessage());
            }
            var out = spec.commandLine().getOut();
            if (dryRun) {
                out.print(workflow.text());
            } else {
                Path root = ReviewCommand.repositoryRoot(dir.orElse(Path.of("")));
                Path file = root.resolve(WorkflowFile.PATH);
                if (Files.exists(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    throw new UsageError(file + " exists; remove it first, or print the new one with --dry-run");
                }
                Files.createDirectories(file.getParent());
                Files.writeString(file, workflow.text(), StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE_NEW);
                out.println("wrote " + file);
            }
            // with --dry-run stdout is the workflow alone (to redirect into a file); what to set goes to stderr
            var notes = dryRun ? spec.commandLine().getErr() : out;
            out.flush();
            notes.println();
            notes.println("Set in the repository's settings:");
            for (String line : workflow.settings()) notes.println("  " + line);
            notes.println("Then comment \"" + trigger + " what to do\" on an issue or pull request.");
            notes.flush();
            return ExitCode.FINISHED;
        }
    }
}
