package dev.lathe.tools.builtin;

import dev.lathe.tools.PermissionCheck;
import dev.lathe.tools.ProjectPaths;
import dev.lathe.tools.Tool;
import dev.lathe.tools.ToolContext;
import dev.lathe.tools.ToolFailure;
import dev.lathe.tools.ToolResult;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * {@code bash}: runs a command with {@code bash -c} in its own process group (started through {@code setsid}, so the
 * group id is the child's pid), streams its output as progress, and kills the whole group on timeout or abort.
 */
final class BashTool implements Tool<BashTool.Args> {
    record Args(String command, Optional<Integer> timeout, Optional<String> workdir, Optional<String> description) {}

    static final int DEFAULT_TIMEOUT_MS = 120_000;
    static final int MAX_TIMEOUT_MS = 600_000;
    private static final String DESCRIPTION = Builtins.description("bash");
    private static final String SCHEMA = """
            {"type":"object","properties":{\
            "command":{"type":"string","description":"The command to run with bash -c"},\
            "timeout":{"type":"integer","description":"Timeout in milliseconds (default 120000, at most 600000)","minimum":1},\
            "workdir":{"type":"string","description":"Folder to run in (default: the project folder)"},\
            "description":{"type":"string","description":"What the command does, in 5-10 words"}},\
            "required":["command"],"additionalProperties":false}""";

    @Override public String name() { return "bash"; }

    @Override public String description() { return DESCRIPTION; }

    @Override public String parametersSchema() { return SCHEMA; }

    @Override public Class<Args> argsType() { return Args.class; }

    @Override
    public ToolResult run(Args args, ToolContext ctx) {
        if (args.command().isBlank()) throw new ToolFailure("command must not be empty");
        Path dir = args.workdir().map(w -> ProjectPaths.resolve(ctx, w)).orElse(ctx.projectDir());
        if (!Files.isDirectory(dir)) throw new ToolFailure("workdir does not exist: " + dir);
        ProjectPaths.checkExternal(ctx, dir, true);
        String title = args.description().filter(d -> !d.isBlank()).orElse(args.command());
        ctx.permissions().require(new PermissionCheck("bash", List.of(args.command().strip()), List.of(prefixRule(args.command())),
                title, Map.of("command", args.command())));
        int timeout = Math.min(MAX_TIMEOUT_MS, Math.max(1, args.timeout().orElse(DEFAULT_TIMEOUT_MS)));
        return execute(args.command(), dir, timeout, title, ctx);
    }

    private static ToolResult execute(String command, Path dir, int timeoutMs, String title, ToolContext ctx) {
        var pb = new ProcessBuilder("setsid", "bash", "-c", command).directory(dir.toFile()).redirectErrorStream(true);
        ChildEnvironment.scrub(pb.environment(), ctx.secrets(), dir);
        Process process;
        try {
            process = pb.start();
            process.getOutputStream().close();
        } catch (IOException e) {
            throw new ToolFailure("cannot start bash: " + e.getMessage(), e);
        }
        var output = new OutputBuffer();
        Thread reader = Thread.ofVirtual().start(() -> pump(process.getInputStream(), output, title, ctx));
        boolean finished;
        boolean aborted = false;
        try (AutoCloseable _ = ctx.cancellation().onCancel(() -> killGroup(process))) {
            finished = process.waitFor(timeoutMs, TimeUnit.MILLISECONDS);
            aborted = ctx.cancellation().isCancelled();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            finished = false;
        } catch (Exception e) {
            finished = false;
        }
        if (!finished) killGroup(process);
        try {
            reader.join(TimeUnit.SECONDS.toMillis(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (aborted) throw new ToolFailure("Command aborted by the user.\n" + output.text());
        String text = output.text();
        var out = new StringBuilder(text);
        if (!text.isEmpty() && !text.endsWith("\n")) out.append('\n');
        if (!finished) {
            out.append("command timed out after ").append(timeoutMs).append(" ms and was killed\n");
            return new ToolResult(out.toString(), title, Map.of("exitCode", "timeout", "timedOut", "true"));
        }
        int exit = process.exitValue();
        out.append("exit code: ").append(exit);
        return new ToolResult(out.toString(), title, Map.of("exitCode", Integer.toString(exit)));
    }

    private static void pump(InputStream in, OutputBuffer output, String title, ToolContext ctx) {
        byte[] buf = new byte[8192];
        long lastProgress = 0;
        try (in) {
            int n;
            while ((n = in.read(buf)) > 0) {
                output.append(buf, n);
                long now = System.currentTimeMillis();
                if (now - lastProgress >= 100) {
                    ctx.progress().update(title, output.text());
                    lastProgress = now;
                }
            }
        } catch (IOException ignored) {
            // the process was killed; what was read so far is kept
        }
    }

    /** Kills the process group (pgid = pid thanks to setsid), then any descendant that escaped it. */
    static void killGroup(Process process) {
        long pid = process.pid();
        List<ProcessHandle> descendants = process.descendants().toList();
        try {
            new ProcessBuilder("kill", "-KILL", "--", "-" + pid).redirectErrorStream(true).start().waitFor(2, TimeUnit.SECONDS);
        } catch (IOException e) {
            // no kill binary: fall back to the handles below
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        descendants.forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    /** The "always" rule offered for a command: its first word, or first two when the second is a subcommand. */
    static String prefixRule(String command) {
        String[] words = command.strip().split("\\s+");
        if (words.length >= 2 && !words[1].startsWith("-") && words[1].matches("[A-Za-z][\\w:-]*")) return words[0] + " " + words[1] + " *";
        return words[0] + " *";
    }

    /** Output collected so far, capped in memory (the tail is what matters for commands). */
    private static final class OutputBuffer {
        private static final int MAX = 4 * 1024 * 1024;
        private final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        private boolean dropped;

        synchronized void append(byte[] buf, int n) {
            if (bytes.size() + n > MAX) {
                byte[] all = bytes.toByteArray();
                bytes.reset();
                int keep = MAX / 2;
                bytes.write(all, all.length - Math.min(all.length, keep), Math.min(all.length, keep));
                dropped = true;
            }
            bytes.write(buf, 0, n);
        }

        synchronized String text() {
            String s = bytes.toString(StandardCharsets.UTF_8);
            return dropped ? "(earlier output dropped)\n" + s : s;
        }
    }
}
