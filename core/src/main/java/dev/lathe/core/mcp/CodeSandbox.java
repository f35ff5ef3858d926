package dev.lathe.core.mcp;

import dev.lathe.llm.Cancellation;
import dev.lathe.tools.ToolFailure;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Code Mode's engine (DESIGN §28, decision 500): the model's JavaScript runs in node's {@code vm} inside bubblewrap —
 * no network namespace of its own but loopback with nothing on it, the root empty but {@code /usr} (and node's own
 * folder) read-only, a private {@code /tmp} that vanishes, no environment — with node's permission model on (no file
 * read or write, no child process, no worker). Its one way out is a line on stdout asking for a tool call, which
 * {@link Host} answers; the script is stopped at {@link Limits#time}, its calls past {@link Limits#calls} are refused,
 * and a message or result past {@link Limits#outputChars} ends it. Nothing is loaded into Lathe's JVM: a session
 * without Code Mode never starts node, and one with it starts one short process per {@code mcp_execute}.
 */
final class CodeSandbox {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String RUNNER = runner();

    /** How long a script may run, how many tool calls it may make, and how long a message or its result may be. */
    record Limits(Duration time, int calls, int outputChars) {
        static final Limits DEFAULT = new Limits(Duration.ofSeconds(60), 50, 200_000);
    }

    /** Runs one tool call a script asked for, through the tool pipeline. */
    @FunctionalInterface
    interface Host {
        Reply call(String tool, String argsJson);
    }

    /** A tool call's answer to the script: its text (and structured content as JSON, when it has some), or an error. */
    sealed interface Reply {
        record Text(String text, Optional<String> structured) implements Reply {}

        record Error(String message) implements Reply {}
    }

    /** Where node and bubblewrap are, found on the {@code PATH} Lathe was started with. */
    record Engine(Path node, Path bwrap, int nodeMajor) {}

    private final Map<String, String> env;
    private final Limits limits;
    private volatile Optional<Engine> engine;
    private volatile String missing = "";

    CodeSandbox(Map<String, String> env, Limits limits) {
        this.env = Map.copyOf(env);
        this.limits = limits;
    }

    /** Why Code Mode cannot run here, in one line; empty when it can. Found once, at the first use. */
    Optional<String> problem() {
        engine();
        return missing.isEmpty() ? Optional.empty() : Optional.of(missing);
    }

    /** Runs {@code code} (an async function body) with {@code tools} callable; its result as text, or a failure for the model. */
    String run(String code, List<String> tools, Host host, Cancellation cancellation) {
        Engine e = engine().orElseThrow(() -> new ToolFailure(missing));
        Process p;
        try {
            var builder = new ProcessBuilder(command(e)).redirectError(ProcessBuilder.Redirect.DISCARD);
            // bubblewrap is named by its full path and clears what it passes on anyway: it gets no environment at all,
            // so no provider key reaches even the sandbox's own launcher (DESIGN: keys never in a child's environment)
            builder.environment().clear();
            p = builder.start();
        } catch (IOException ex) {
            throw new ToolFailure("Code Mode could not start its sandbox: " + ex.getMessage());
        }
        try {
            return talk(p, code, tools, host, cancellation);
        } finally {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    private String talk(Process p, String code, List<String> tools, Host host, Cancellation cancellation) {
        Writer in = new java.io.OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8);
        ObjectNode start = JSON.createObjectNode().put("code", code);
        tools.forEach(start.putArray("tools")::add);
        CompletableFuture<String> result = new CompletableFuture<>();
        var calls = new AtomicInteger();
        try {
            line(in, start);
        } catch (UncheckedIOException ex) {
            throw new ToolFailure("Code Mode's sandbox did not start (its process ended at once)");
        }
        Thread reader = Thread.ofVirtual().name("mcp-execute").start(() -> read(p.getInputStream(), in, host, calls, result));
        long deadline = System.nanoTime() + limits.time().toNanos();
        try {
            while (true) {
                if (cancellation.isCancelled()) throw new ToolFailure("Tool execution aborted");
                long left = deadline - System.nanoTime();
                if (left <= 0) throw new ToolFailure("mcp_execute stopped: the script ran past its time limit of " + limits.time().toSeconds() + " s");
                try {
                    return result.get(Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)), TimeUnit.NANOSECONDS);
                } catch (TimeoutException again) {
                    // the cancellation and the deadline are looked at again
                }
            }
        } catch (ExecutionException ex) {
            throw ex.getCause() instanceof ToolFailure f ? f : new ToolFailure("mcp_execute failed: " + ex.getCause().getMessage());
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new ToolFailure("Tool execution aborted");
        } finally {
            reader.interrupt();
        }
    }

    /** Reads the script's lines: calls are run (each on its own thread) and answered; the end completes {@code result}. */
    private void read(InputStream out, Writer in, Host host, AtomicInteger calls, CompletableFuture<String> result) {
        try (Reader r = new java.io.InputStreamReader(out, StandardCharsets.UTF_8)) {
            while (!result.isDone()) {
                Optional<String> line = boundedLine(r);
                if (line.isEmpty()) {
                    result.completeExceptionally(new ToolFailure("mcp_execute failed: the script's sandbox ended without a result"
                            + " (out of memory, or it exited)"));
                    return;
                }
                JsonNode m = JSON.readTree(line.get());
                switch (m.path("t").asString("")) {
                    case "call" -> {
                        long id = m.path("id").asLong();
                        String tool = m.path("tool").asString("");
                        String args = m.path("args").asString("{}");
                        if (calls.incrementAndGet() > limits.calls()) {
                            answer(in, id, new Reply.Error("mcp_execute's limit of " + limits.calls() + " tool calls is reached"));
                            continue;
                        }
                        Thread.ofVirtual().name("mcp-execute-call").start(() -> answer(in, id, safely(host, tool, args)));
                    }
                    case "done" -> result.complete(m.path("result").asString(""));
                    case "error" -> result.completeExceptionally(new ToolFailure("The script failed: " + m.path("message").asString("")));
                    default -> { }
                }
            }
        } catch (IOException | RuntimeException ex) {
            result.completeExceptionally(ex instanceof ToolFailure f ? f : new ToolFailure("mcp_execute failed: " + ex.getMessage()));
        }
    }

    private static Reply safely(Host host, String tool, String args) {
        try {
            return host.call(tool, args);
        } catch (RuntimeException ex) {
            return new Reply.Error("tools." + tool + " failed: " + ex.getMessage());
        }
    }

    private void answer(Writer in, long id, Reply reply) {
        ObjectNode m = JSON.createObjectNode().put("id", id);
        switch (reply) {
            case Reply.Text t -> {
                m.put("ok", true).put("text", t.text());
                t.structured().ifPresentOrElse(s -> m.put("structured", s), () -> m.putNull("structured"));
            }
            case Reply.Error err -> m.put("ok", false).put("error", err.message());
        }
        try {
            line(in, m);
        } catch (UncheckedIOException gone) {
            // the script ended (or was stopped) before the answer: nobody waits for it
        }
    }

    private static void line(Writer in, JsonNode m) {
        try {
            synchronized (in) {
                in.write(JSON.writeValueAsString(m));
                in.write('\n');
                in.flush();
            }
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** One line of at most {@link Limits#outputChars} characters; empty at the end of the stream. */
    private Optional<String> boundedLine(Reader r) throws IOException {
        var sb = new StringBuilder();
        int c;
        while ((c = r.read()) != -1) {
            if (c == '\n') return Optional.of(sb.toString());
            // a JSON line's escapes make it longer than what it carries: twice the limit is room enough
            if (sb.length() >= 2L * limits.outputChars() + 1_000) {
                throw new ToolFailure("mcp_execute stopped: the script's output passed its limit of " + limits.outputChars() + " characters");
            }
            sb.append((char) c);
        }
        return Optional.empty();
    }

    /** bubblewrap around node, which reads its runner from the command line and the script from stdin. */
    private List<String> command(Engine e) {
        var cmd = new ArrayList<>(List.of(e.bwrap().toString(), "--unshare-all", "--die-with-parent", "--new-session", "--clearenv",
                "--ro-bind", "/usr", "/usr", "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp", "--chdir", "/tmp"));
        for (String top : List.of("/bin", "/lib", "/lib64", "/lib32", "/sbin")) {
            Path path = Path.of(top);
            try {
                if (Files.isSymbolicLink(path)) cmd.addAll(List.of("--symlink", Files.readSymbolicLink(path).toString(), top));
                else if (Files.isDirectory(path)) cmd.addAll(List.of("--ro-bind", top, top));
            } catch (IOException ignored) {
                // a top folder that cannot be read is left out: node's libraries are under /usr
            }
        }
        // node installed outside /usr (a version manager under the home folder): its own folder only, read-only
        Path home = e.node().getParent().getParent();
        if (!e.node().startsWith("/usr/")) cmd.addAll(List.of("--ro-bind", home.toString(), home.toString()));
        cmd.addAll(List.of(e.node().toString(), e.nodeMajor() >= 23 ? "--permission" : "--experimental-permission", "--no-warnings",
                "--max-old-space-size=256", "-e", RUNNER));
        return cmd;
    }

    private Optional<Engine> engine() {
        Optional<Engine> known = engine;
        if (known != null) return known;
        synchronized (this) {
            if (engine == null) engine = find();
            return engine;
        }
    }

    private Optional<Engine> find() {
        Optional<Path> node = onPath("node");
        Optional<Path> bwrap = onPath("bwrap");
        if (node.isEmpty() || bwrap.isEmpty()) {
            missing = "Code Mode (mcp.codeMode) needs " + (node.isEmpty() ? "node (20 or newer)" : "") + (node.isEmpty() && bwrap.isEmpty() ? " and " : "")
                    + (bwrap.isEmpty() ? "bubblewrap (bwrap)" : "") + " on the PATH; install it, or set \"codeMode\": false";
            return Optional.empty();
        }
        int major = nodeMajor(node.get());
        if (major < 20) {
            missing = "Code Mode (mcp.codeMode) needs node 20 or newer (its permission model); " + node.get() + " is "
                    + (major < 0 ? "not a node that answers --version" : "node " + major);
            return Optional.empty();
        }
        return Optional.of(new Engine(node.get(), bwrap.get(), major));
    }

    private static int nodeMajor(Path node) {
        try {
            Process p = new ProcessBuilder(node.toString(), "--version").redirectErrorStream(true).start();
            p.getOutputStream().close();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return -1;
            }
            String v = new String(p.getInputStream().readNBytes(64), StandardCharsets.UTF_8).strip();
            return v.matches("v\\d+\\..*") ? Integer.parseInt(v.substring(1, v.indexOf('.'))) : -1;
        } catch (IOException | NumberFormatException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** {@code program}'s real path on the {@code PATH} Lathe was given. */
    private Optional<Path> onPath(String program) {
        for (String dir : env.getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (dir.isBlank()) continue;
            Path p = Path.of(dir, program);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                try {
                    return Optional.of(p.toRealPath());
                } catch (IOException e) {
                    return Optional.of(p.toAbsolutePath());
                }
            }
        }
        return Optional.empty();
    }

    private static String runner() {
        try (InputStream in = CodeSandbox.class.getResourceAsStream("code-mode.js")) {
            if (in == null) throw new IllegalStateException("code-mode.js is missing from Lathe's jar");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
