package dev.lathe.core.hooks;

import dev.lathe.tools.ProcessLauncher;
import dev.lathe.tools.builtin.ProcessGroups;
import dev.lathe.tools.builtin.ProcessWatchdog;
import dev.lathe.tools.plugin.PluginHook;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs one handler with the event's JSON: a command in the project folder with the child environment (provider keys
 * removed, {@code CLAUDE_PROJECT_DIR} and {@code LATHE_PROJECT_DIR} set) and the JSON on stdin, or a POST to an HTTP
 * hook. Never throws: what happened is a {@link Raw} result. A command starts as the model's bash does ({@link
 * ProcessGroups#start}: a process group of its own, under the process cap, through the launcher it is given) and
 * its whole tree ends at its timeout, without waiting on pipes a left-behind child holds open.
 */
final class HandlerRunner {
    /** More output than this is not read: a hook's answer is short, and a runaway one must not fill the heap. */
    private static final int MAX_OUTPUT = 1 << 20;
    private static final Pattern VARIABLE = Pattern.compile("\\$(?:\\{([A-Za-z_][A-Za-z0-9_]*)}|([A-Za-z_][A-Za-z0-9_]*))");

    /** What a handler produced before it is interpreted. */
    sealed interface Raw {
        /** {@code code}: the exit code, or the HTTP status (a 2xx body is read as stdout with exit 0). */
        record Finished(int code, String stdout, String stderr) implements Raw {}

        record TimedOut() implements Raw {}

        record Failed(String message) implements Raw {}
    }

    private final Path projectDir;
    private final Map<String, String> childEnv;
    private final Map<String, String> processEnv;
    private final Set<String> secrets;
    private final HttpClient http;
    /** Where commands start: the session's sandbox for a status line, none for hooks (decision 556). */
    private final ProcessLauncher launcher;
    /** The node's bash rules: a command they deny never starts (decision 563). */
    private final CommandRules rules;

    /**
     * @param processEnv the server's environment, for {@code allowedEnvVars} in HTTP headers
     * @param childEnv the environment commands get, provider keys already removed
     * @param secrets provider key values: never sent, whatever variable holds them
     * @param launcher what commands start through (the session's sandbox for a status line)
     * @param rules the bash rules of the session the command runs for, asked before it starts
     */
    HandlerRunner(Path projectDir, Map<String, String> processEnv, Map<String, String> childEnv, Set<String> secrets, HttpClient http,
            ProcessLauncher launcher, CommandRules rules) {
        this.projectDir = projectDir;
        this.launcher = launcher;
        this.rules = rules;
        this.processEnv = Map.copyOf(processEnv);
        this.secrets = Set.copyOf(secrets);
        this.http = http;
        Map<String, String> env = new HashMap<>(childEnv);
        env.put("CLAUDE_PROJECT_DIR", projectDir.toString());
        env.put("LATHE_PROJECT_DIR", projectDir.toString());
        this.childEnv = Map.copyOf(env);
    }

    /**
     * Runs {@code hook}'s handler, unless a file it runs changed since trust approved it ({@link
     * dev.lathe.core.trust.RunPin}, hashed now: a script changed after the configuration was read never runs).
     */
    Raw run(Hook hook, String inputJson) {
        Optional<String> refused = hook.pin().refusal();
        if (refused.isPresent()) return new Raw.Failed(refused.get());
        HookHandler handler = hook.handler();
        Optional<Path> pluginRoot = hook.source().pluginRoot();
        return switch (handler) {
            case HookHandler.Command c -> command(c, pluginRoot, inputJson);
            case HookHandler.Java j -> java(j, inputJson);
            case HookHandler.Http h -> post(h, inputJson);
        };
    }

    private Raw command(HookHandler.Command c, Optional<Path> pluginRoot, String input) {
        List<String> line = new ArrayList<>();
        switch (c.form()) {
            case SHELL -> line.addAll(List.of("bash", "-c", c.command()));
            case EXEC -> {
                line.add(expand(c.command(), pluginRoot));
                c.args().forEach(a -> line.add(expand(a, pluginRoot)));
            }
        }
        // setsid goes in front of it: a program that is not there would be setsid's exit 127, no longer "could not start"
        if (c.form() == HookHandler.Command.Form.EXEC && !runnable(line.getFirst())) return new Raw.Failed("cannot start: " + line.getFirst()
                + ": no such executable file");
        // decided as the model's bash would be: the command line as bash reads it (decision 563)
        Optional<String> denied = rules.denial(switch (c.form()) {
            case SHELL -> c.command();
            case EXEC -> String.join(" ", line.stream().map(HandlerRunner::shellWord).toList());
        });
        if (denied.isPresent()) return new Raw.Failed("not run: " + denied.get());
        var pb = new ProcessBuilder(line).directory(projectDir.toFile());
        pb.environment().clear();
        pb.environment().putAll(childEnv);
        pluginRoot.ifPresent(root -> pb.environment().put("CLAUDE_PLUGIN_ROOT", root.toString()));
        long deadline = System.nanoTime() + c.timeout().toNanos();
        ProcessGroups.Started started;
        try {
            // where the model's bash starts: a group of its own (so the limit ends the whole tree), under the process
            // cap, through the launcher the caller gave (decision 556)
            started = ProcessGroups.start(pb, launcher);
        } catch (IOException | RuntimeException e) {
            return new Raw.Failed("cannot start: " + e.getMessage());
        }
        Process process = started.process();
        Thread.ofVirtual().name("hook-stdin").start(() -> feed(process.getOutputStream(), input));
        var out = Capture.of(process.getInputStream());
        var err = Capture.of(process.getErrorStream());
        try (ProcessWatchdog _ = started.watchdog()) {
            boolean exited = process.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            // done when its output closed too; a child it left behind holding stdout open may keep it only until the limit
            if (exited && out.closedBy(deadline) && err.closedBy(deadline)) return new Raw.Finished(process.exitValue(), out.text(), err.text());
            end(process);
            return exited ? new Raw.Finished(process.exitValue(), out.text(), err.text()) : new Raw.TimedOut();
        } catch (InterruptedException e) {
            end(process);
            Thread.currentThread().interrupt();
            return new Raw.Failed("interrupted");
        }
    }

    /** {@code word} as bash would read it back as one word: quoted unless it is plain. */
    private static String shellWord(String word) {
        return word.matches("[A-Za-z0-9_./@%+=:,-]+") ? word : "'" + word.replace("'", "'\\''") + "'";
    }

    /** Whether {@code program} names an executable file, as the exec of the command's own environment would find it. */
    private boolean runnable(String program) {
        if (program.contains("/")) return java.nio.file.Files.isExecutable(projectDir.resolve(program));
        for (String dir : childEnv.getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && java.nio.file.Files.isExecutable(Path.of(dir, program))) return true;
        }
        return false;
    }

    /**
     * At the limit (or an abort): the process group and every descendant go, and nothing waits on the pipes (issue 79:
     * a status line's {@code sleep} grandchild held stdout open and the request waited for it). A reader still blocked
     * ends when the last holder of the pipe is gone.
     */
    private static void end(Process process) {
        ProcessGroups.signal(process);
        process.destroyForcibly();
    }

    /** One output of a command, read on a thread of its own up to {@link #MAX_OUTPUT}; what was read is there at any time. */
    private static final class Capture {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final java.util.concurrent.CountDownLatch closed = new java.util.concurrent.CountDownLatch(1);

        static Capture of(InputStream in) {
            var capture = new Capture();
            Thread.ofVirtual().name("hook-output").start(() -> capture.drain(in));
            return capture;
        }

        private void drain(InputStream in) {
            byte[] buf = new byte[8192];
            try (in) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    synchronized (bytes) {
                        if (bytes.size() < MAX_OUTPUT) bytes.write(buf, 0, Math.min(n, MAX_OUTPUT - bytes.size()));
                    }
                }
            } catch (IOException e) {
                // closed under it when the command was ended: what was read stays
            } finally {
                closed.countDown();
            }
        }

        /** Whether the pipe closed (every process holding it ended or closed it) before {@code deadline}, a nanoTime. */
        boolean closedBy(long deadline) throws InterruptedException {
            return closed.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }

        String text() {
            synchronized (bytes) {
                return bytes.toString(StandardCharsets.UTF_8);
            }
        }
    }

    /** A plugin's hook: its return is a command's stdout on exit 0, {@code Block} its exit 2, anything else a failure. */
    private static Raw java(HookHandler.Java j, String input) {
        var result = new java.util.concurrent.CompletableFuture<Raw>();
        Thread runner = Thread.ofVirtual().name("hook-" + j.plugin()).start(() -> {
            try {
                String out = j.hook().run(input);
                result.complete(new Raw.Finished(0, out == null ? "" : out, ""));
            } catch (PluginHook.Block b) {
                result.complete(new Raw.Finished(2, "", b.getMessage() == null ? "" : b.getMessage()));
            } catch (Throwable e) {
                result.complete(new Raw.Failed("plugin " + j.plugin() + " threw " + e));
            }
        });
        try {
            return result.get(j.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            runner.interrupt();
            return new Raw.TimedOut();
        } catch (InterruptedException e) {
            runner.interrupt();
            Thread.currentThread().interrupt();
            return new Raw.Failed("interrupted");
        } catch (java.util.concurrent.ExecutionException e) {
            return new Raw.Failed("plugin " + j.plugin() + " threw " + e.getCause());
        }
    }

    /** Claude Code expands these itself in the exec form, where no shell does. */
    private String expand(String s, Optional<Path> pluginRoot) {
        String out = s.replace("${CLAUDE_PROJECT_DIR}", projectDir.toString()).replace("$CLAUDE_PROJECT_DIR", projectDir.toString())
                .replace("${LATHE_PROJECT_DIR}", projectDir.toString()).replace("$LATHE_PROJECT_DIR", projectDir.toString());
        if (pluginRoot.isEmpty()) return out;
        return out.replace("${CLAUDE_PLUGIN_ROOT}", pluginRoot.get().toString()).replace("$CLAUDE_PLUGIN_ROOT", pluginRoot.get().toString());
    }

    private static Void feed(OutputStream stdin, String input) {
        try (stdin) {
            stdin.write(input.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // the hook did not read its input (it may not need it): not an error
        }
        return null;
    }

    private Raw post(HookHandler.Http h, String input) {
        var request = HttpRequest.newBuilder(h.url()).timeout(h.timeout()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(input));
        for (Map.Entry<String, String> e : h.headers().entrySet()) request.header(e.getKey(), expandHeader(e.getValue(), h.allowedEnvVars()));
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) return new Raw.Failed("HTTP " + response.statusCode());
            return new Raw.Finished(0, response.body(), "");
        } catch (HttpTimeoutException e) {
            return new Raw.TimedOut();
        } catch (IOException e) {
            return new Raw.Failed("request failed: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            return new Raw.Failed("bad header: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Raw.Failed("interrupted");
        }
    }

    /** {@code $VAR}/{@code ${VAR}} from the environment for allowed names only; others, and provider keys, become empty. */
    String expandHeader(String value, List<String> allowed) {
        Matcher m = VARIABLE.matcher(value);
        var out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1) != null ? m.group(1) : m.group(2);
            String v = allowed.contains(name) ? processEnv.getOrDefault(name, "") : "";
            if (secrets.contains(v)) v = "";
            m.appendReplacement(out, Matcher.quoteReplacement(v));
        }
        m.appendTail(out);
        return out.toString();
    }

    static Duration elapsedSince(long startNanos) { return Duration.ofNanos(System.nanoTime() - startNanos); }
}
