package dev.lathe.tools.builtin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.tools.PermissionRejected;
import dev.lathe.tools.RecordingPermissions;
import dev.lathe.tools.ToolContext;
import dev.lathe.tools.ToolExecutor;
import dev.lathe.tools.ToolFailure;
import dev.lathe.tools.ToolRegistry;
import dev.lathe.tools.ToolResult;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/** The edit tool on real files: line endings, BOM, messages, permissions. */
class EditToolTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir Path tmp;
    Path project;
    RecordingPermissions permissions = RecordingPermissions.allowing();
    final ToolExecutor executor = new ToolExecutor(ToolRegistry.builtins());

    @BeforeEach
    void setUp() throws Exception {
        project = Files.createDirectories(tmp.resolve("project")).toRealPath();
    }

    ToolResult edit(String path, String oldString, String newString, boolean replaceAll) {
        var args = JSON.createObjectNode().put("path", path).put("oldString", oldString).put("newString", newString).put("replaceAll", replaceAll);
        var ctx = ToolContext.builder(project, permissions).session("ses_x").call("call_1").output(tmp.resolve("out")).build();
        return executor.execute("edit", args.toString(), ctx);
    }

    ToolResult edit(String path, String oldString, String newString) { return edit(path, oldString, newString, false); }

    @Test
    void crlfFilesStayCrlfThroughATolerantMatch() throws Exception {
        Path f = project.resolve("w.txt");
        Files.writeString(f, "head\r\n    alpha  \r\n    beta\r\ntail\r\n");
        ToolResult r = edit("w.txt", "alpha\nbeta", "alpha\ngamma\ndelta");
        assertThat(r.output()).contains("matched trimmed-lines");
        assertThat(Files.readString(f)).isEqualTo("head\r\n    alpha\r\n    gamma\r\n    delta\r\ntail\r\n");
    }

    @Test
    void aByteOrderMarkIsKept() throws Exception {
        Path f = project.resolve("bom.txt");
        Files.write(f, new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, 'o', 'n', 'e', '\n'});
        edit("bom.txt", "one", "two");
        assertThat(Files.readAllBytes(f)).containsExactly(0xEF, 0xBB, 0xBF, 't', 'w', 'o', '\n');
    }

    @Test
    void ambiguityAsksForContextOrReplaceAll() throws Exception {
        Path f = project.resolve("d.txt");
        Files.writeString(f, "call();\nother();\ncall();\n");
        assertThatThrownBy(() -> edit("d.txt", "call();", "done();")).isInstanceOf(ToolFailure.class)
                .hasMessageContaining("Found 2 matches").hasMessageContaining("more surrounding lines").hasMessageContaining("replaceAll");
        assertThat(Files.readString(f)).isEqualTo("call();\nother();\ncall();\n");
        assertThat(edit("d.txt", "call();", "done();", true).output()).contains("2 replacement(s)");
        assertThat(Files.readString(f)).isEqualTo("done();\nother();\ndone();\n");
    }

    @Test
    void notFoundSaysSoAndShowsTheClosestLines() throws Exception {
        Files.writeString(project.resolve("n.txt"), "alpha\nreturn total + 1;\nomega\n");
        assertThatThrownBy(() -> edit("n.txt", "return totl + 2;", "x")).isInstanceOf(ToolFailure.class)
                .hasMessageContaining("oldString was not found in n.txt").hasMessageContaining("most similar lines")
                .hasMessageContaining("     2\treturn total + 1;");
        assertThatThrownBy(() -> edit("n.txt", "qqqqqqqqqqqqqqqqqqqq", "x")).hasMessageContaining("not found").hasMessageNotContaining("most similar");
    }

    @Test
    void sameOldAndNewIsAnErrorAndEmptyOldCreatesAMissingFile() throws Exception {
        Files.writeString(project.resolve("s.txt"), "same\n");
        assertThatThrownBy(() -> edit("s.txt", "same", "same")).isInstanceOf(ToolFailure.class).hasMessageContaining("the same");
        edit("sub/new.txt", "", "hello\n");
        assertThat(Files.readString(project.resolve("sub/new.txt"))).isEqualTo("hello\n");
        assertThatThrownBy(() -> edit("missing.txt", "x", "y")).hasMessageContaining("File not found");
    }

    @Test
    void indentationIsReappliedToTheReplacement() throws Exception {
        Path f = project.resolve("A.java");
        Files.writeString(f, "class A {\n    void a() {\n        int x = 3;\n        return;\n    }\n}\n");
        edit("A.java", "int x = 3;\nreturn;", "int y = 4;\nlog(y);\nreturn;");
        assertThat(Files.readString(f)).isEqualTo("class A {\n    void a() {\n        int y = 4;\n        log(y);\n        return;\n    }\n}\n");
    }

    @Test
    void theDiffIsShownInThePermissionAskAndARejectionWritesNothing() throws Exception {
        Path f = project.resolve("p.txt");
        Files.writeString(f, "keep\n");
        permissions = RecordingPermissions.rejecting();
        assertThatThrownBy(() -> edit("p.txt", "keep", "changed")).isInstanceOf(PermissionRejected.class);
        assertThat(Files.readString(f)).isEqualTo("keep\n");
        var check = permissions.checks.getLast();
        assertThat(check.permission()).isEqualTo("edit");
        assertThat(check.patterns()).containsExactly("p.txt");
        assertThat(check.metadata().get("diff")).contains("-keep").contains("+changed");
    }
}
