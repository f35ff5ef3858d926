package dev.lathe.core.session;

import static dev.lathe.core.session.ScriptedProtocol.call;
import static dev.lathe.core.session.ScriptedProtocol.finish;
import static dev.lathe.core.session.ScriptedProtocol.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.core.hooks.HookRunLog;
import dev.lathe.llm.Content;
import dev.lathe.llm.LlmEvent;
import dev.lathe.llm.StopReason;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Local-only mode ({@code "network": "local"}) puts the network policy in front of a call's permissions; the hooks
 * around a call must not notice. For every {@code PreToolUse} outcome (allow, ask, deny, none), one step calls a tool
 * the rules allow ({@code read}), one they ask for ({@code bash echo}) and one they deny ({@code bash rm}); real command
 * hooks write what they are given to files. Under the default and under local-only mode the same calls are asked, run
 * and refused, and the {@code PreToolUse}, {@code PermissionRequest} and {@code PermissionDenied} hooks see the same
 * tools and arguments. (Before the caller travelled on the check, local-only mode lost it: a hook's ask was not asked,
 * its allow was ignored and the ask hooks saw tool {@code ""}.)
 */
class LocalOnlyHooksTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir Path tmp;

    /** What one run shows: each hook input (event, tool, arguments) and each call's result, in a stable order. */
    private record Seen(TreeSet<String> hookInputs, List<String> results, boolean made, boolean kept) {}

    @ParameterizedTest
    @ValueSource(strings = {"allow", "ask", "deny", "none"})
    void everyHookOutcomeDecidesTheSameUnderLocalOnlyMode(String outcome) throws Exception {
        Seen open = run(tmp.resolve("default"), outcome, "");
        Seen local = run(tmp.resolve("local"), outcome, ", \"network\": \"local\"");

        assertThat(local).isEqualTo(open);
        // and what each outcome means, so two equally wrong runs cannot pass
        TreeSet<String> asked = new TreeSet<>(open.hookInputs().stream().filter(s -> s.startsWith("PermissionRequest ")).toList());
        switch (outcome) {
            case "ask" -> assertThat(asked).as("a hook's ask asks where the rules allow").containsExactly(
                    "PermissionRequest bash {\"command\":\"echo made > made.txt\",\"description\":\"make\"}",
                    "PermissionRequest read {\"path\":\"a.txt\"}");
            case "allow" -> assertThat(asked).as("a hook's allow answers what the rules ask").isEmpty();
            case "none" -> assertThat(asked).containsExactly("PermissionRequest bash {\"command\":\"echo made > made.txt\",\"description\":\"make\"}");
            case "deny" -> assertThat(asked).isEmpty();
            default -> throw new AssertionError(outcome);
        }
        assertThat(open.made()).isEqualTo(!outcome.equals("deny"));
        assertThat(open.kept()).as("the deny rule denies whatever the hook said").isTrue();
        if (!outcome.equals("deny")) {
            assertThat(open.hookInputs()).contains("PermissionDenied bash {\"command\":\"rm keep.txt\",\"description\":\"remove\"}");
        }
        assertThat(open.hookInputs()).contains("PreToolUse read {\"path\":\"a.txt\"}");
    }

    private Seen run(Path dir, String outcome, String network) throws Exception {
        Path seen = Files.createDirectories(dir.resolve("seen"));
        List<String> groups = new ArrayList<>();
        String decision = outcome.equals("none") ? "" : "; echo '{\"hookSpecificOutput\": {\"hookEventName\": \"PreToolUse\", \"permissionDecision\": \""
                + outcome + "\", \"permissionDecisionReason\": \"the hook said " + outcome + "\"}}'";
        groups.add(group(dir, "PreToolUse", "cat > " + seen + "/pre-$$.json" + decision));
        groups.add(group(dir, "PermissionRequest", "cat > " + seen + "/request-$$.json"
                + "; echo '{\"hookSpecificOutput\": {\"hookEventName\": \"PermissionRequest\", \"decision\": {\"behavior\": \"allow\"}}}'"));
        groups.add(group(dir, "PermissionDenied", "cat > " + seen + "/denied-$$.json"
                + "; echo '{\"hookSpecificOutput\": {\"hookEventName\": \"PermissionDenied\", \"retry\": true}}'"));
        String config = ", \"permission\": {\"read\": \"allow\", \"bash\": {\"*\": \"ask\", \"rm *\": \"deny\"}}" + network
                + ", \"hooks\": {" + String.join(", ", groups) + "}";
        try (var h = Harness.withHooks(dir, config, 10, HookRunLog.NONE).trustProject()) {
            Files.writeString(h.project.resolve("a.txt"), "ALPHA");
            Files.writeString(h.project.resolve("keep.txt"), "keep");
            var session = h.session();
            h.llm.then(Stream.of(call(0, "c1", "read", "{\"path\":\"a.txt\"}"),
                    call(1, "c2", "bash", "{\"command\":\"echo made > made.txt\",\"description\":\"make\"}"),
                    call(2, "c3", "bash", "{\"command\":\"rm keep.txt\",\"description\":\"remove\"}"),
                    new LlmEvent[] {finish(StopReason.TOOL_CALLS)}).flatMap(Stream::of).toArray(LlmEvent[]::new));
            h.llm.then(text("done"), finish(StopReason.STOP));
            h.promptAndWait(session.id(), "go");

            assertThat(h.llm.requests).hasSize(2);
            List<String> results = h.llm.requests.get(1).messages().stream().flatMap(m -> m.content().stream())
                    .filter(Content.ToolResult.class::isInstance).map(Content.ToolResult.class::cast)
                    .map(r -> r.callId() + (r.isError() ? " error: " : " ok: ") + firstLine(r.output())).toList();
            TreeSet<String> inputs = new TreeSet<>();
            try (var files = Files.list(seen)) {
                for (Path f : files.toList()) {
                    JsonNode in = JSON.readTree(Files.readString(f));
                    inputs.add(in.path("hook_event_name").asString() + " " + in.path("tool_name").asString() + " " + in.path("tool_input"));
                }
            }
            return new Seen(inputs, results, Files.exists(h.project.resolve("made.txt")), Files.exists(h.project.resolve("keep.txt")));
        }
    }

    private static String firstLine(String output) { return output.lines().findFirst().orElse(""); }

    private static String group(Path dir, String event, String body) throws Exception {
        Path script = Files.createDirectories(dir.resolve("hooks")).resolve(event + ".sh");
        Files.writeString(script, "#!/bin/bash\n" + body + "\n");
        script.toFile().setExecutable(true);
        return "\"" + event + "\": [{\"hooks\": [{\"type\": \"command\", \"command\": \"" + script + "\", \"timeout\": 20}]}]";
    }
}
