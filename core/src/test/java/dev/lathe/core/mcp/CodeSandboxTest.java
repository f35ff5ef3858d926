package dev.lathe.core.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.llm.Cancellation;
import dev.lathe.tools.ToolFailure;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Code Mode's engine, node under bubblewrap, for real: a script's tool calls reach the host and come back, and each
 * escape a script may try fails inside the sandbox — no module, no process, no network (a loopback listener opened here
 * is never reached), no host classes, no dynamic import — while a loop that never ends and an output without end are
 * stopped by the limits; nothing is written anywhere.
 */
class CodeSandboxTest {
    @TempDir static Path tmp;
    private static ServerSocket listener;
    private static final AtomicBoolean reached = new AtomicBoolean();
    private static final List<String> called = new CopyOnWriteArrayList<>();
    private static final CodeSandbox SANDBOX = new CodeSandbox(System.getenv(), new CodeSandbox.Limits(Duration.ofSeconds(10), 5, 100_000));
    /** For the scripts that run until a limit stops them: a short time limit keeps the test quick. */
    private static final CodeSandbox SHORT = new CodeSandbox(System.getenv(), new CodeSandbox.Limits(Duration.ofSeconds(1), 5, 100_000));
    private static final CodeSandbox.Host HOST = (tool, args) -> {
        called.add(tool + " " + args);
        return tool.equals("add") ? new CodeSandbox.Reply.Text("{\"sum\":5}", Optional.of("{\"sum\":5}"))
                : tool.equals("deny") ? new CodeSandbox.Reply.Error("permission denied for deny: a rule denies it")
                : new CodeSandbox.Reply.Text("Echo: " + args, Optional.empty());
    };

    @BeforeAll
    static void listen() throws IOException {
        listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            try {
                listener.accept().close();
                reached.set(true);
            } catch (IOException closed) {
                // the test ended
            }
        });
        assertThat(SANDBOX.problem()).as("node and bwrap are on this machine").isEmpty();
    }

    @AfterAll
    static void close() throws IOException {
        listener.close();
        assertThat(reached).as("no script reached the loopback listener").isFalse();
    }

    private static String run(String code) {
        return SANDBOX.run(code, List.of("echo", "add", "deny", "my-tool"), HOST, new Cancellation());
    }

    private static String shortRun(String code) {
        return SHORT.run(code, List.of(), HOST, new Cancellation());
    }

    @Test
    void toolsAreCalledThroughTheHostAndAStructuredResultIsAnObject() {
        String out = run("const e = await tools.echo({message: 'hi'}); const s = await tools.add({a: 2, b: 3});"
                + " const [x, y] = await Promise.all([tools.echo({n: 1}), tools['my-tool']({})]); return {e, sum: s.sum, both: [x, y]};");
        assertThat(out).contains("\"e\": \"Echo: {\\\"message\\\":\\\"hi\\\"}\"", "\"sum\": 5", "Echo: {\\\"n\\\":1}");
        assertThat(called).contains("add {\"a\":2,\"b\":3}", "my-tool {}");
    }

    @Test
    void aDeniedCallThrowsInsideTheScriptWithItsReason() {
        assertThat(run("try { await tools.deny({}); return 'ran'; } catch (e) { return 'caught ' + e.message; }"))
                .isEqualTo("caught permission denied for deny: a rule denies it");
        assertThatThrownBy(() -> run("await tools.deny({}); return 'ran';")).isInstanceOf(ToolFailure.class)
                .hasMessageContaining("permission denied for deny: a rule denies it");
    }

    @Test
    void callsPastTheLimitAreRefused() {
        assertThat(run("let n = 0; for (let i = 0; i < 8; i++) { try { await tools.echo({i}); n++; } catch (e) { return n + ' then ' + e.message; } } return n;"))
                .isEqualTo("5 then mcp_execute's limit of 5 tool calls is reached");
    }

    @Test
    void escapesFailInsideTheSandboxAndWriteNothing() throws IOException {
        Path canary = tmp.resolve("canary");
        String port = String.valueOf(listener.getLocalPort());
        // each a script that would write the canary, start a process or reach the listener if it got out
        Map<String, String> attempts = Map.of(
                "require('fs')", "require('fs').writeFileSync('" + canary + "', 'x');",
                "process", "process.binding('fs'); process.exit(3);",
                "fetch", "await fetch('http://127.0.0.1:" + port + "/');",
                "Java.type", "Java.type('java.lang.Runtime').getRuntime().exec('touch " + canary + "');",
                "Polyglot", "Polyglot.eval('js', '1');",
                "import()", "const fs = await import('fs'); fs.writeFileSync('" + canary + "', 'x');",
                "a Function from the host's realm", "const p = tools.echo.constructor.constructor('return process')(); p.mainModule.require('fs').writeFileSync('"
                        + canary + "', 'x');",
                "the global's constructor", "const p = this.constructor.constructor('return process')(); p.exit(1);",
                "a promise's constructor", "const p = tools.echo({}).constructor.constructor('return require')()('child_process').execSync('touch " + canary + "');");
        for (var attempt : attempts.entrySet()) {
            assertThatThrownBy(() -> run(attempt.getValue())).as(attempt.getKey()).isInstanceOf(ToolFailure.class)
                    .hasMessageStartingWith("The script failed:");
        }
        assertThat(canary).doesNotExist();
        try (Stream<Path> files = Files.walk(tmp)) {
            assertThat(files.filter(p -> !p.equals(tmp)).toList()).as("nothing was written").isEmpty();
        }
        // V8's stack frames hand out the functions of sloppy frames: each must be of the script's own realm
        assertThat(run("const seen = []; Error.prepareStackTrace = (e, frames) => { for (const f of frames) { const fn = f.getFunction();"
                + " if (fn) seen.push(fn.constructor.constructor('return typeof process')()); } return ''; };"
                + " await tools.echo({}); try { null.f(); } catch (e) { e.stack; } return seen.join(',');")).isNotEmpty().doesNotContain("object");
        assertThat(run("return typeof require + ' ' + typeof process + ' ' + typeof fetch + ' ' + typeof Java + ' ' + typeof globalThis.Deno"))
                .isEqualTo("undefined undefined undefined undefined undefined");
    }

    @Test
    void aLoopThatNeverEndsIsStoppedAtTheTimeLimit() {
        long started = System.nanoTime();
        assertThatThrownBy(() -> shortRun("while (true) {}")).isInstanceOf(ToolFailure.class).hasMessageContaining("time limit of 1 s");
        assertThatThrownBy(() -> shortRun("for (;;) { await null; }")).isInstanceOf(ToolFailure.class).hasMessageContaining("time limit");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        assertThat(run("return 'still works'")).isEqualTo("still works");
    }

    @Test
    void anOutputWithoutEndIsCutOff() {
        assertThatThrownBy(() -> run("return 'x'.repeat(20_000_000);")).isInstanceOf(ToolFailure.class)
                .hasMessageContaining("passed its limit of 100000 characters");
        assertThatThrownBy(() -> shortRun("const a = []; for (;;) a.push('x'.repeat(1_000_000) + a.length);")).isInstanceOf(ToolFailure.class);
        try (Stream<Path> files = Files.walk(tmp)) {
            assertThat(files.filter(p -> !p.equals(tmp)).toList()).isEmpty();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aSyntaxErrorIsTheScriptsFailure() {
        assertThatThrownBy(() -> run("return )")).isInstanceOf(ToolFailure.class).hasMessageContaining("SyntaxError");
    }

    @Test
    void withoutNodeOrBubblewrapTheProblemIsOneLine() {
        var none = new CodeSandbox(Map.of("PATH", tmp.resolve("empty").toString()), CodeSandbox.Limits.DEFAULT);
        assertThat(none.problem()).hasValueSatisfying(p -> assertThat(p).isEqualTo(
                "Code Mode (mcp.codeMode) needs node (20 or newer) and bubblewrap (bwrap) on the PATH; install it, or set \"codeMode\": false").doesNotContain("\n"));
        assertThatThrownBy(() -> none.run("return 1", List.of(), HOST, new Cancellation())).isInstanceOf(ToolFailure.class)
                .hasMessageStartingWith("Code Mode (mcp.codeMode) needs node");
    }
}
