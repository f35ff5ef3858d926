package dev.lathe.tools.builtin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

/** apply_patch on real files in a temporary project. */
class ApplyPatchToolTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir Path tmp;
    Path project;
    RecordingPermissions permissions = RecordingPermissions.allowing();
    final ToolExecutor executor = new ToolExecutor(ToolRegistry.builtins());

    @BeforeEach
    void setUp() throws Exception {
        project = Files.createDirectories(tmp.resolve("project")).toRealPath();
    }

    ToolResult patch(String... lines) {
        String text = "*** Begin Patch\n" + String.join("\n", lines) + "\n*** End Patch";
        var ctx = ToolContext.builder(project, permissions).session("ses_x").call("call_1").output(tmp.resolve("out")).build();
        return executor.execute("apply_patch", JSON.createObjectNode().put("patchText", text).toString(), ctx);
    }

    Path file(String name, String content) throws Exception {
        Path f = project.resolve(name);
        Files.createDirectories(f.getParent());
        Files.writeString(f, content);
        return f;
    }

    @Test
    void addsDeletesUpdatesAndMovesInOneCallAskingOnceForEveryPath() throws Exception {
        Path gone = file("old.txt", "bye\n");
        Path app = file("src/App.java", "class App {\n    void run() {\n        old();\n    }\n}\n");
        ToolResult r = patch("*** Add File: docs/new.md", "+# Title", "+text",
                "*** Delete File: old.txt",
                "*** Update File: src/App.java", "*** Move to: src/Main.java", "@@ class App {", "     void run() {", "-        old();", "+        fresh();", "     }");
        assertThat(r.output()).contains("A docs/new.md", "D old.txt", "M src/Main.java");
        assertThat(Files.readString(project.resolve("docs/new.md"))).isEqualTo("# Title\ntext\n");
        assertThat(gone).doesNotExist();
        assertThat(app).doesNotExist();
        assertThat(Files.readString(project.resolve("src/Main.java"))).isEqualTo("class App {\n    void run() {\n        fresh();\n    }\n}\n");
        assertThat(permissions.checks).hasSize(1);
        var check = permissions.checks.getFirst();
        assertThat(check.permission()).isEqualTo("edit");
        assertThat(check.patterns()).containsExactly("docs/new.md", "old.txt", "src/App.java", "src/Main.java");
        assertThat(check.metadata().get("diff")).contains("+# Title").contains("-bye").contains("+        fresh();");
    }

    @Test
    void multipleHunksApplyInOrderSearchingForward() throws Exception {
        // the same context appears twice: the second hunk must bind to the occurrence after the first hunk
        Path f = file("m.txt", "a\nx = 1\nb\nc\nx = 1\nd\n");
        patch("*** Update File: m.txt", "@@", " a", "-x = 1", "+x = 2", "@@", " c", "-x = 1", "+x = 3");
        assertThat(Files.readString(f)).isEqualTo("a\nx = 2\nb\nc\nx = 3\nd\n");
        file("r.txt", "k\nv\nk\nv\n");
        patch("*** Update File: r.txt", "@@", " k", "-v", "+v1", "@@", " k", "-v", "+v2");
        assertThat(Files.readString(project.resolve("r.txt"))).isEqualTo("k\nv1\nk\nv2\n");
    }

    @Test
    void contextMatchesExactThenRstripThenTrimThenUnicode() throws Exception {
        Path exact = file("e.txt", "one\ntwo  \nthree\n");
        patch("*** Update File: e.txt", "@@", " one", "-two  ", "+TWO");
        assertThat(Files.readString(exact)).isEqualTo("one\nTWO\nthree\n");
        Path rstrip = file("r.txt", "one  \ntwo\t\nthree\n");
        patch("*** Update File: r.txt", "@@", " one", "-two", "+TWO");
        assertThat(Files.readString(rstrip)).isEqualTo("one  \nTWO\nthree\n");
        Path trim = file("t.txt", "    one\n\ttwo\nthree\n");
        patch("*** Update File: t.txt", "@@", " one", "-two", "+\tTWO");
        assertThat(Files.readString(trim)).isEqualTo("    one\n\tTWO\nthree\n");
        Path unicode = file("u.txt", "say(\u201Chello\u201D) \u2014 it\u2019s\u00A0done\nnext\n");
        patch("*** Update File: u.txt", "@@", "-say(\"hello\") - it's done", "+say(\"hi\")", " next");
        assertThat(Files.readString(unicode)).isEqualTo("say(\"hi\")\nnext\n");
    }

    @Test
    void endOfFileBindsTheContextToTheLastLines() throws Exception {
        Path f = file("eof.txt", "end\nmiddle\nend\n");
        patch("*** Update File: eof.txt", "@@", "-end", "+END", "*** End of File");
        assertThat(Files.readString(f)).isEqualTo("end\nmiddle\nEND\n");
        Path g = file("add.txt", "first\n");
        patch("*** Update File: add.txt", "@@", "+appended", "*** End of File");
        assertThat(Files.readString(g)).isEqualTo("first\nappended\n");
    }

    @Test
    void aBadSecondFileLeavesTheFirstUntouchedAndNamesTheFileAndHunk() throws Exception {
        Path first = file("first.txt", "alpha\n");
        Path second = file("second.txt", "beta\n");
        assertThatThrownBy(() -> patch("*** Update File: first.txt", "@@", "-alpha", "+ALPHA",
                "*** Add File: brand-new.txt", "+x",
                "*** Update File: second.txt", "@@", " no such context", "-beta", "+BETA"))
                .isInstanceOf(ToolFailure.class)
                .hasMessageContaining("hunk 1 of 1 for second.txt").hasMessageContaining("no such context").hasMessageContaining("nothing was changed");
        assertThat(Files.readString(first)).isEqualTo("alpha\n");
        assertThat(Files.readString(second)).isEqualTo("beta\n");
        assertThat(project.resolve("brand-new.txt")).doesNotExist();
        assertThat(permissions.checks).isEmpty();
    }

    @Test
    void malformedPatchesAndImpossibleChangesFailWithReasons() throws Exception {
        file("here.txt", "x\n");
        var ctx = ToolContext.builder(project, permissions).session("s").call("c").output(tmp.resolve("out")).build();
        assertThatThrownBy(() -> executor.execute("apply_patch", "{\"patchText\":\"*** Update File: here.txt\"}", ctx)).hasMessageContaining("*** Begin Patch");
        assertThatThrownBy(() -> executor.execute("apply_patch", "{\"patchText\":\"*** Begin Patch\\n*** Delete File: here.txt\"}", ctx))
                .hasMessageContaining("*** End Patch");
        assertThat(project.resolve("here.txt")).exists();
        assertThatThrownBy(() -> patch("*** Delete File: nope.txt")).hasMessageContaining("nope.txt does not exist");
        assertThatThrownBy(() -> patch("*** Add File: here.txt", "+y")).hasMessageContaining("already exists");
        assertThatThrownBy(() -> patch("*** Update File: here.txt", "@@", "?x")).hasMessageContaining("must start with ' ', '-' or '+'");
        assertThat(Files.readString(project.resolve("here.txt"))).isEqualTo("x\n");
    }

    @Test
    void crlfAndBomAreKept() throws Exception {
        Path f = project.resolve("w.txt");
        Files.write(f, new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, 'a', '\r', '\n', 'b', '\r', '\n'});
        patch("*** Update File: w.txt", "@@", " a", "-b", "+c");
        assertThat(Files.readAllBytes(f)).containsExactly(0xEF, 0xBB, 0xBF, 'a', '\r', '\n', 'c', '\r', '\n');
    }

    @Test
    void aPathOutsideTheProjectAsksExternalDirectoryFirst() throws Exception {
        Path outside = Files.createDirectories(tmp.resolve("elsewhere")).toRealPath();
        patch("*** Add File: " + outside.resolve("x.txt"), "+hi", "*** Add File: inside.txt", "+ok");
        assertThat(Files.readString(outside.resolve("x.txt"))).isEqualTo("hi\n");
        assertThat(permissions.checks).extracting(c -> c.permission()).containsExactly("external_directory", "edit");
        assertThat(permissions.checks.getFirst().patterns()).containsExactly(outside + "/*");
        assertThat(permissions.checks.getLast().patterns()).containsExactly(outside.resolve("x.txt").toString(), "inside.txt");
    }

    @Test
    void aRejectedPermissionWritesNothing() throws Exception {
        Path f = file("keep.txt", "keep\n");
        permissions = RecordingPermissions.rejecting();
        assertThatThrownBy(() -> patch("*** Update File: keep.txt", "@@", "-keep", "+lost")).isInstanceOf(dev.lathe.tools.PermissionRejected.class);
        assertThat(Files.readString(f)).isEqualTo("keep\n");
    }
}
