package dev.lathe.tools.builtin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.protocol.session.ToolDisplay;
import dev.lathe.tools.Effect;
import dev.lathe.tools.PermissionSource;
import dev.lathe.tools.PermissionCheck;
import dev.lathe.tools.Permissions;
import dev.lathe.tools.RecordingPermissions;
import dev.lathe.tools.Skills;
import dev.lathe.tools.ToolFailure;
import dev.lathe.tools.Tool;
import dev.lathe.tools.ToolContext;
import dev.lathe.tools.ToolExecutor;
import dev.lathe.tools.ToolRegistry;
import dev.lathe.tools.ToolResult;
import dev.lathe.tools.Truncation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/** What the built-ins declare is coherent, and their results keep the promises the declarations make. */
class BuiltinDeclarationsTest {
    @TempDir Path tmp;

    final ToolExecutor executor = new ToolExecutor(ToolRegistry.builtins());

    ToolContext ctx() {
        return ToolContext.builder(tmp, Permissions.ALLOW_ALL).session("ses_d").call("call_d").output(tmp.resolve("out")).build();
    }

    @Test
    void everyDeclaredPermissionArgumentIsInTheSchemaAndNoToolIsBothKindsOfWriter() {
        var json = JsonMapper.builder().build();
        for (Tool<?> tool : Builtins.all()) {
            PermissionSource source = tool.permission();
            if (!source.argument().isEmpty()) {
                assertThat(json.readTree(tool.parametersSchema()).path("properties").has(source.argument()))
                        .as(tool.name() + " declares its pattern from " + source.argument()).isTrue();
            }
            assertThat(tool.effects().containsAll(Set.of(Effect.WRITES_FILES, Effect.MAY_CHANGE_ANY_FILE))).as(tool.name()).isFalse();
            // the built-ins ask richly themselves: the pipeline must never ask for them a second time
            assertThat(source.checker()).as(tool.name()).isEqualTo(PermissionSource.Checker.BY_TOOL);
        }
    }

    @Test
    void aToolThatDeclaresWritingReportsTheFilesItChangedAndItsDiff() throws Exception {
        ToolResult written = executor.execute("write", "{\"path\":\"a.txt\",\"content\":\"one\\n\"}", ctx());
        ToolResult edited = executor.execute("edit", "{\"path\":\"a.txt\",\"oldString\":\"one\",\"newString\":\"two\"}", ctx());
        ToolResult patched = executor.execute("apply_patch", "{\"patchText\":\"*** Begin Patch\\n*** Add File: b.txt\\n+bee\\n*** End Patch\"}", ctx());

        assertThat(List.of(written, edited, patched)).extracting(ToolResult::changedFiles)
                .containsExactly(List.of("a.txt"), List.of("a.txt"), List.of("b.txt"));
        assertThat(edited.display()).get().isInstanceOfSatisfying(ToolDisplay.FileChange.class, c -> assertThat(c.diff()).contains("+two"));
        assertThat(Files.readString(tmp.resolve("b.txt"))).isEqualTo("bee\n");
        for (String name : List.of("write", "edit", "apply_patch")) {
            assertThat(ToolRegistry.builtins().find(name).orElseThrow().effects()).contains(Effect.WRITES_FILES);
        }
    }

    @Test
    void aCommandShowsItsLineAndExitAndKeepsTheTailOfItsOutput() {
        Tool<?> bash = ToolRegistry.builtins().find(Builtins.RUN_COMMAND).orElseThrow();
        assertThat(bash.truncation()).isEqualTo(Truncation.Keep.TAIL);
        assertThat(bash.effects()).contains(Effect.RUNS_PROCESSES, Effect.MAY_CHANGE_ANY_FILE);

        ToolResult r = executor.execute("bash", "{\"command\":\"exit 3\"}", ctx());
        assertThat(r.display()).contains(ToolDisplay.CommandRun.exited("exit 3", 3));
        assertThat(r.changedFiles()).isEmpty();
    }

    @Test
    void onlyBashKeepsTheTailOfItsOutputAsBeforeToolsDeclaredIt() {
        // before the declarations the executor kept the tail for "bash" and the head for every other tool
        // (bash_output included): a script reading the head of a long bash_output must keep seeing it
        for (Tool<?> tool : Builtins.all()) {
            assertThat(tool.truncation()).as(tool.name())
                    .isEqualTo(tool.name().equals("bash") ? Truncation.Keep.TAIL : Truncation.Keep.HEAD);
        }
    }

    /** A valid call of every built-in, in this temp project (creating what it needs). */
    Map<String, String> sampleCalls() throws Exception {
        Files.writeString(tmp.resolve("a.txt"), "one\n");
        Files.createDirectories(tmp.resolve("sub"));
        return Map.ofEntries(Map.entry("read", "{\"path\":\"a.txt\"}"),
                Map.entry("write", "{\"path\":\"w.txt\",\"content\":\"x\\n\"}"),
                Map.entry("edit", "{\"path\":\"a.txt\",\"oldString\":\"one\",\"newString\":\"two\"}"),
                Map.entry("apply_patch", "{\"patchText\":\"*** Begin Patch\\n*** Add File: sub/b.txt\\n+bee\\n*** End Patch\"}"),
                Map.entry("list", "{\"path\":\"sub\"}"),
                Map.entry("glob", "{\"pattern\":\"**/*.txt\"}"),
                Map.entry("grep", "{\"pattern\":\"on+e\"}"),
                Map.entry("bash", "{\"command\":\" echo hi \"}"),
                Map.entry("webfetch", "{\"url\":\"http://127.0.0.1:9/page\"}"),
                Map.entry("skill", "{\"name\":\"release\"}"),
                Map.entry("todo", "{\"todos\":[]}"),
                Map.entry("todoread", "{}"),
                Map.entry("budget", "{}"),
                Map.entry("question", "{\"questions\":[]}"),
                Map.entry("task", "{\"description\":\"d\",\"prompt\":\"p\",\"subagent_type\":\"general\"}"),
                Map.entry("bash_output", "{\"id\":\"nosuch\"}"),
                Map.entry("bash_kill", "{\"id\":\"nosuch\"}"),
                Map.entry("task_status", "{}"),
                Map.entry("task_cancel", "{\"id\":\"nosuch\"}"),
                Map.entry("team_create", "{\"name\":\"t\",\"members\":[{\"name\":\"a\",\"prompt\":\"p\"}]}"),
                Map.entry("send_message", "{\"to\":\"lead\",\"text\":\"hi\"}"),
                Map.entry("team_tasks", "{\"op\":\"list\"}"),
                Map.entry("report_findings", "{\"findings\":[{\"priority\":1,\"file\":\"a.txt\",\"line\":1,\"title\":\"t\",\"body\":\"b\"}],\"summary\":\"s\"}"));
    }

    @Test
    void everyBuiltinAsksWithTheKindOfPatternItDeclaresTakenFromTheArgumentItNames() throws Exception {
        Map<String, String> calls = sampleCalls();
        Skills skills = name -> new Skills.Loaded(name, "Tag the version.", Path.of("/skills/" + name));
        var json = JsonMapper.builder().build();
        for (Tool<?> tool : Builtins.all()) {
            assertThat(calls).as("a sample call of " + tool.name()).containsKey(tool.name());
            var permissions = RecordingPermissions.allowing();
            var ctx = ToolContext.builder(tmp, permissions).session("ses_d").call("call_d").output(tmp.resolve("out")).skills(skills).build();
            try {
                executor.execute(tool.name(), calls.get(tool.name()), ctx);
            } catch (ToolFailure e) {
                // an unreachable page, no such process, no subagents here: what it asked before is what counts
            }
            PermissionSource declared = tool.permission();
            List<PermissionCheck> own = permissions.checks.stream().filter(c -> !c.permission().equals("external_directory")).toList();
            if (declared.pattern() == PermissionSource.Pattern.NONE) {
                assertThat(own).as(tool.name() + " declares it asks nothing").isEmpty();
                continue;
            }
            String value = json.readTree(calls.get(tool.name())).path(declared.argument()).asString();
            // a tool that reports the files it writes asks under edit, as the rules for file changes are written
            String key = tool.effects().contains(Effect.WRITES_FILES) ? "edit" : tool.name();
            PermissionSource.Pattern kind = declared.pattern() == PermissionSource.Pattern.PATCH ? PermissionSource.Pattern.PATH : declared.pattern();
            List<String> expected = switch (declared.pattern()) {
                case PATH -> List.of(value);
                case PATCH -> List.of("sub/b.txt");
                case COMMAND, URL, VALUE -> List.of(value.strip());
                case NONE -> List.of();
            };
            assertThat(own).as(tool.name() + " asks as it declares").singleElement().satisfies(c -> {
                assertThat(c.permission()).isEqualTo(key);
                assertThat(c.subject()).isEqualTo(kind);
                assertThat(c.patterns()).isEqualTo(expected);
            });
        }
    }
}
