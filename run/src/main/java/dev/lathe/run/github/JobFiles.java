package dev.lathe.run.github;

import dev.lathe.run.console.ExitCode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * The files an Actions step hands on: the gate's outputs ({@code GITHUB_OUTPUT}), the step summary
 * ({@code GITHUB_STEP_SUMMARY}), and the agent's result with its git bundle in {@code RUNNER_TEMP/lathe/} (the folder the
 * workflow uploads as the {@code lathe-session} artifact and downloads in the publish job). The publish step reads the
 * result as untrusted: the session's commands could write that folder.
 */
final class JobFiles {
    /** A result larger than this is no result of ours. */
    private static final long MAX_RESULT = 8L << 20;

    private final ActionsContext context;
    private final PrintStream log;

    JobFiles(ActionsContext context, PrintStream log) {
        this.context = context;
        this.log = log;
    }

    /** Where the session export, the result and the bundle go: {@code RUNNER_TEMP/lathe/}. */
    Path folder() { return context.artifactDir().map(Path::of).orElse(Path.of(System.getProperty("java.io.tmpdir"))).resolve("lathe"); }

    /** One {@code name=value} line of the step's outputs; a value is one line (the handoff is compact JSON). */
    void output(String name, String value) {
        if (context.outputFile().isEmpty()) return;
        append(Path.of(context.outputFile().get()), name + "=" + value.replaceAll("[\\r\\n]", " ") + "\n");
    }

    void summary(String markdown) {
        if (context.summaryFile().isEmpty()) return;
        append(Path.of(context.summaryFile().get()), markdown.endsWith("\n") ? markdown : markdown + "\n");
    }

    private void append(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            log.println("lathe: could not write " + file + ": " + e.getMessage());
        }
    }

    /** The agent's result and, when it made commits, their bundle; answers the session's exit code. */
    int write(AgentResult result, Checkout git) {
        Path folder = folder();
        try {
            if (Files.isSymbolicLink(folder)) throw new IOException(folder + " is a link (made during the session), not a folder of the job's");
            Files.createDirectories(folder);
            Path bundle = folder.resolve(AgentResult.BUNDLE);
            Path file = folder.resolve(AgentResult.FILE);
            // a file or link the session planted under these names is removed, never written through
            Files.deleteIfExists(bundle);
            Files.deleteIfExists(file);
            if (result.refused().isEmpty() && !result.head().equals(result.start())) git.bundle(bundle, result.start());
            Files.writeString(file, result.json(), StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            log.println("lathe: the result is in " + folder + " for the publish step");
            return result.exit();
        } catch (IOException | Checkout.GitFailure e) {
            log.println("lathe: could not leave the result for the publish step: " + e.getMessage());
            return ExitCode.MODEL_ERROR;
        }
    }

    /**
     * The agent's result read from the downloaded artifact, its commits fetched from the bundle and checked out (on the
     * handoff's branch when it names one), after checking they start where this checkout is; empty, said on the log, when
     * that cannot be.
     */
    Optional<AgentResult> land(Handoff handoff, Checkout git) {
        Path file = folder().resolve(AgentResult.FILE);
        try {
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) || Files.size(file) > MAX_RESULT) {
                log.println("lathe: no result from the agent's step in " + folder());
                return Optional.empty();
            }
            Optional<AgentResult> result = AgentResult.of(Files.readString(file, StandardCharsets.UTF_8));
            if (result.isEmpty()) {
                log.println("lathe: the agent's result is not one Lathe wrote");
                return Optional.empty();
            }
            AgentResult r = result.get();
            if (r.refused().isPresent() || r.head().equals(r.start())) return result;
            String here = git.head();
            if (!here.equals(r.start()) || (!handoff.start().isEmpty() && !handoff.start().equals(r.start()))) {
                log.println("lathe: the agent started from " + r.start() + ", this checkout is at " + here + " (did the branch move during the run?)");
                return Optional.empty();
            }
            Path bundle = folder().resolve(AgentResult.BUNDLE);
            if (!Files.isRegularFile(bundle, LinkOption.NOFOLLOW_LINKS)) {
                log.println("lathe: the agent's commits (" + AgentResult.BUNDLE + ") are missing");
                return Optional.empty();
            }
            String fetched = git.fetchBundle(bundle);
            if (!fetched.equals(r.head())) {
                log.println("lathe: the agent's bundle holds " + fetched + ", its result names " + r.head());
                return Optional.empty();
            }
            git.detach(r.head());
            if (!handoff.branch().isEmpty()) git.branchHere(handoff.branch());
            if (!git.descendsFrom(r.start())) {
                log.println("lathe: the agent's commits do not descend from the commit it started from");
                return Optional.empty();
            }
            return result;
        } catch (IOException | Checkout.GitFailure e) {
            log.println("lathe: could not read the agent's result: " + e.getMessage());
            return Optional.empty();
        }
    }
}
