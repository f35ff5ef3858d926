package dev.lathe.core.plugin;

import dev.lathe.core.trust.ExtensionPins;
import dev.lathe.core.trust.RunPin;
import dev.lathe.core.trust.TrustItem;
import dev.lathe.core.trust.Withheld;
import dev.lathe.tools.Effect;
import dev.lathe.tools.PermissionSource;
import dev.lathe.tools.Tool;
import dev.lathe.tools.ToolContext;
import dev.lathe.tools.ToolFailure;
import dev.lathe.tools.ToolResult;
import dev.lathe.tools.Truncation;
import dev.lathe.tools.builtin.ChildEnvironment;
import dev.lathe.tools.builtin.ProcessGroups;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A script tool: the executable {@code file}, described by its {@link ScriptHeader}. A call starts it in its own
 * process group through {@code ctx.guards().launcher()} (so the session's sandbox wraps it, as it wraps {@code bash}), in the
 * project folder, with the scrubbed child environment plus {@code LATHE_PROJECT_DIR}, {@code LATHE_SESSION_ID},
 * {@code LATHE_CALL_ID}; writes the call's arguments as one JSON object to its stdin and closes it; and reads stdout as
 * the result: a JSON object with a string {@code output} (and optionally {@code title}) gives those, anything else is
 * the text itself. A non-zero exit is an error the model reads (stderr, then stdout); so is running past the header's
 * timeout, after which the whole group is killed, as it is on abort and when the script ends, and having more
 * processes at once than the launcher's {@code processLimit} ({@code sandbox.maxProcesses}), as for {@code bash}.
 */
final class ScriptTool implements Tool<ScriptArguments> {
    /** What is read of stdout and of stderr at most; the pipeline then truncates to the usual limits. */
    static final int MAX_OUTPUT = 8 * 1024 * 1024;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Path file;
    private final ScriptHeader header;
    /** What trust approved of the script (a project's; {@link RunPin#NONE} for the user's own), hashed again before each run. */
    private final RunPin pin;

    ScriptTool(Path file, ScriptHeader header, RunPin pin) {
        this.file = file;
        this.header = header;
        this.pin = pin;
    }

    /** A project's script as trust pins it at run time: the file, named from its folder, by content. */
    static RunPin pinOf(Path file) {
        String name = file.getFileName().toString();
        return RunPin.of(file.getParent(), new TrustItem(Withheld.Kind.SCRIPT_TOOLS, ExtensionPins.PROJECT_TOOLS, name, "./" + name));
    }

    Path file() { return file; }

    @Override public String name() { return header.name(); }

    @Override public String description() { return header.description(); }

    @Override public String parametersSchema() { return header.parametersSchema(); }

    @Override public Class<ScriptArguments> argsType() { return ScriptArguments.class; }

    @Override public Set<Effect> effects() { return header.effects(); }

    @Override public PermissionSource permission() { return header.permission(); }

    @Override public Truncation.Keep truncation() { return Truncation.Keep.TAIL; }

    @Override
    public ToolResult run(ScriptArguments args, ToolContext ctx) {
        // the tool list is looked at every few seconds: the script may have changed since it was admitted
        pin.refusal().ifPresent(refused -> {
            throw new ToolFailure("the script tool " + name() + " was " + refused);
        });
        ObjectNode input = JSON.createObjectNode();
        args.values().forEach(input::set);
        var command = new ProcessBuilder(file.toString()).directory(ctx.folders().project().toFile());
        ChildEnvironment.scrub(command.environment(), ctx.guards().secrets(), ctx.folders().project());
        command.environment().put("LATHE_PROJECT_DIR", ctx.folders().project().toString());
        command.environment().put("LATHE_SESSION_ID", ctx.call().sessionId());
        command.environment().put("LATHE_CALL_ID", ctx.call().id());
        ProcessGroups.Started started;
        try {
            // in a group of its own under the sandbox.maxProcesses cap, as for bash: a runaway script cannot fill the process table
            started = ProcessGroups.start(command, ctx.guards().launcher());
        } catch (IOException e) {
            throw new ToolFailure("cannot start the script tool " + name() + " (" + file + "): " + e.getMessage(), e);
        }
        Process process = started.process();
        var watchdog = started.watchdog();
        var stdout = new ByteArrayOutputStream();
        var stderr = new ByteArrayOutputStream();
        Thread out = Thread.ofVirtual().start(() -> drain(process.getInputStream(), stdout));
        Thread err = Thread.ofVirtual().start(() -> drain(process.getErrorStream(), stderr));
        Thread.ofVirtual().start(() -> feed(process.getOutputStream(), JSON.writeValueAsBytes(input)));
        boolean finished;
        try (AutoCloseable _ = ctx.call().cancellation().onCancel(() -> ProcessGroups.signal(process))) {
            finished = process.waitFor(header.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            finished = false;
        } catch (Exception e) {
            finished = false;
        }
        // a child the script left behind must not outlive the call (nor hold its pipes open)
        ProcessGroups.signal(process);
        join(out);
        join(err);
        process.destroyForcibly();
        watchdog.close();
        if (watchdog.tripped()) throw new ToolFailure("Script tool " + name() + ": " + watchdog.note().strip());
        if (ctx.call().cancellation().isCancelled()) throw new ToolFailure("Script tool " + name() + " aborted by the user.");
        String text = stdout.toString(StandardCharsets.UTF_8);
        String errors = stderr.toString(StandardCharsets.UTF_8);
        if (!finished) {
            throw new ToolFailure("Script tool " + name() + " did not finish within " + header.timeout().toSeconds() + " s and was killed."
                    + section("stderr", errors) + section("stdout", text));
        }
        int exit = process.exitValue();
        if (exit != 0) throw new ToolFailure("Script tool " + name() + " failed with exit code " + exit + "." + section("stderr", errors) + section("stdout", text));
        return result(text).withMetadata(Map.of("exitCode", "0"));
    }

    private ToolResult result(String text) {
        String trimmed = text.strip();
        if (trimmed.startsWith("{")) {
            try {
                JsonNode node = JSON.readTree(trimmed);
                JsonNode output = node.get("output");
                if (output != null && output.isString()) return ToolResult.of(node.path("title").asString(name()), output.asString());
            } catch (JacksonException e) {
                // not JSON after all: the text is the result
            }
        }
        return ToolResult.of(name(), text);
    }

    private static String section(String name, String text) {
        return text.isBlank() ? "" : "\n" + name + ":\n" + text.strip();
    }

    private static void drain(InputStream in, ByteArrayOutputStream into) {
        byte[] buf = new byte[8192];
        try (in) {
            int n;
            while ((n = in.read(buf)) > 0) {
                // read on past the cap so the script never blocks on a full pipe; what is beyond it is dropped
                if (into.size() < MAX_OUTPUT) into.write(buf, 0, Math.min(n, MAX_OUTPUT - into.size()));
            }
        } catch (IOException ignored) {
            // the process was killed; what was read so far is kept
        }
    }

    private static void feed(OutputStream in, byte[] json) {
        try (in) {
            in.write(json);
            in.write('\n');
        } catch (IOException ignored) {
            // the script exited without reading its arguments: its exit status says what happened
        }
    }

    private static void join(Thread t) {
        try {
            t.join(TimeUnit.SECONDS.toMillis(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
