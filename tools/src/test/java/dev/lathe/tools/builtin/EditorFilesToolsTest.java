package dev.lathe.tools.builtin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.tools.EditorFiles;
import dev.lathe.tools.PermissionRejected;
import dev.lathe.tools.RecordingPermissions;
import dev.lathe.tools.ToolContext;
import dev.lathe.tools.ToolExecutor;
import dev.lathe.tools.ToolFailure;
import dev.lathe.tools.ToolRegistry;
import dev.lathe.tools.ToolResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/**
 * read, edit, write and apply_patch with an editor attached ({@link EditorFiles}): they see its buffer, not the disk,
 * and their writes go through it; the disk ends up holding what the tool reported either way.
 */
class EditorFilesToolsTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir Path tmp;
    Path project;
    RecordingPermissions permissions = RecordingPermissions.allowing();
    final ToolExecutor executor = new ToolExecutor(ToolRegistry.builtins());
    final Editor editor = new Editor();

    @BeforeEach
    void setUp() throws Exception {
        project = Files.createDirectories(tmp.resolve("project")).toRealPath();
    }

    /**
     * An editor as ACP clients behave: open buffers (unsaved text the disk does not have), a write replaces the buffer
     * and saves it unless {@code saves} is off; every request it got is recorded.
     */
    static final class Editor implements EditorFiles {
        final Map<Path, String> buffers = new ConcurrentHashMap<>();
        final List<String> requests = new CopyOnWriteArrayList<>();
        volatile boolean saves = true;
        volatile boolean answers = true;

        @Override
        public Read read(Path file) {
            requests.add("read " + file);
            if (!answers) return new Read.Failed("it did not answer within 10 s");
            String open = buffers.get(file);
            if (open != null) return new Read.Text(open);
            try {
                return new Read.Text(Files.readString(file));
            } catch (IOException e) {
                return new Read.Failed(e.toString());
            }
        }

        @Override
        public Write write(Path file, String content) {
            requests.add("write " + file);
            if (!answers) return new Write.Failed("it did not answer within 10 s");
            buffers.put(file, content);
            if (saves) {
                try {
                    Files.writeString(file, content);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return new Write.Written();
        }
    }

    ToolResult run(String tool, String argsJson) {
        var ctx = ToolContext.builder(project, permissions).session("ses_ed").call("call_1").output(tmp.resolve("out")).editorFiles(editor).build();
        return executor.execute(tool, argsJson, ctx);
    }

    ToolResult edit(String path, String oldString, String newString) {
        return run("edit", JSON.createObjectNode().put("path", path).put("oldString", oldString).put("newString", newString).toString());
    }

    @Test
    void readShowsTheEditorsUnsavedBufferNotTheDisk() throws Exception {
        Path f = Files.writeString(project.resolve("a.txt"), "saved line\n");
        editor.buffers.put(f, "unsaved line\nsecond\n");
        ToolResult r = run("read", "{\"path\":\"a.txt\"}");
        assertThat(r.output()).contains("1\tunsaved line", "2\tsecond").doesNotContain("\tsaved line");
        assertThat(editor.requests).containsExactly("read " + f);
    }

    @Test
    void imagesAndFoldersComeFromTheDiskWithoutAskingTheEditor() throws Exception {
        Files.createDirectories(project.resolve("dir"));
        Files.write(project.resolve("p.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0, 0});
        run("read", "{\"path\":\"dir\"}");
        assertThat(run("read", "{\"path\":\"p.png\"}").attachments()).hasSize(1);
        assertThat(editor.requests).isEmpty();
    }

    @Test
    void editAppliesToTheBufferAndSavesThroughTheEditor() throws Exception {
        Path f = Files.writeString(project.resolve("b.txt"), "one\ntwo\n");
        editor.buffers.put(f, "one\ntwo\nthree typed but not saved\n");
        ToolResult r = edit("b.txt", "two", "TWO");
        assertThat(editor.requests).containsExactly("read " + f, "write " + f);
        assertThat(editor.buffers.get(f)).isEqualTo("one\nTWO\nthree typed but not saved\n");
        // the disk holds what the editor saved: snapshots, undo and language servers see the edit
        assertThat(Files.readString(f)).isEqualTo("one\nTWO\nthree typed but not saved\n");
        assertThat(r.changedFiles()).containsExactly("b.txt");
        assertThat(r.metadata().get("diff")).contains("-two", "+TWO");
    }

    @Test
    void aWriteTheEditorDidNotSaveIsWrittenToDisk() throws Exception {
        Path f = Files.writeString(project.resolve("c.txt"), "alpha\n");
        editor.saves = false;
        edit("c.txt", "alpha", "beta");
        assertThat(editor.buffers.get(f)).isEqualTo("beta\n");
        assertThat(Files.readString(f)).isEqualTo("beta\n");
    }

    @Test
    void crlfAndByteOrderMarkSurviveAnEditorThatNormalisesToLf() throws Exception {
        Path f = project.resolve("w.txt");
        Files.write(f, ("\uFEFFhead\r\nmid\r\ntail\r\n").getBytes(StandardCharsets.UTF_8));
        editor.buffers.put(f, "head\nmid\ntail\n");
        editor.saves = false;
        edit("w.txt", "mid", "middle");
        assertThat(editor.buffers.get(f)).isEqualTo("head\r\nmiddle\r\ntail\r\n");
        assertThat(Files.readAllBytes(f)).isEqualTo("\uFEFFhead\r\nmiddle\r\ntail\r\n".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void writeCreatesThroughTheEditorAndDiffsAgainstItsBuffer() throws Exception {
        Path f = Files.writeString(project.resolve("d.txt"), "disk\n");
        editor.buffers.put(f, "buffer\n");
        ToolResult r = run("write", JSON.createObjectNode().put("path", "d.txt").put("content", "new\n").toString());
        assertThat(r.metadata().get("diff")).contains("-buffer", "+new").doesNotContain("-disk");
        assertThat(Files.readString(f)).isEqualTo("new\n");
        Path created = project.resolve("sub/new.txt");
        run("write", JSON.createObjectNode().put("path", "sub/new.txt").put("content", "fresh\n").toString());
        assertThat(editor.requests).contains("write " + created);
        assertThat(Files.readString(created)).isEqualTo("fresh\n");
    }

    @Test
    void applyPatchReadsBuffersAndWritesThroughTheEditor() throws Exception {
        Path f = Files.writeString(project.resolve("e.txt"), "x\ny\n");
        editor.buffers.put(f, "x\ny\nz\n");
        String patch = "*** Begin Patch\n*** Update File: e.txt\n@@\n x\n-y\n+Y\n z\n*** Add File: g.txt\n+added\n*** End Patch";
        ToolResult r = run("apply_patch", JSON.createObjectNode().put("patchText", patch).toString());
        assertThat(r.changedFiles()).containsExactly("e.txt", "g.txt");
        assertThat(Files.readString(f)).isEqualTo("x\nY\nz\n");
        assertThat(Files.readString(project.resolve("g.txt"))).isEqualTo("added\n");
        assertThat(editor.requests).contains("write " + f, "write " + project.resolve("g.txt"));
        // no staged file is left beside them
        try (var files = Files.list(project)) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted()).containsExactly("e.txt", "g.txt");
        }
    }

    @Test
    void aDeniedPathNeverReachesTheEditor() throws Exception {
        Files.writeString(project.resolve("secret.txt"), "s\n");
        permissions = RecordingPermissions.rejecting();
        assertThatThrownBy(() -> run("read", "{\"path\":\"secret.txt\"}")).isInstanceOf(PermissionRejected.class);
        assertThatThrownBy(() -> run("write", JSON.createObjectNode().put("path", "secret.txt").put("content", "x").toString()))
                .isInstanceOf(PermissionRejected.class);
        assertThat(editor.requests).noneMatch(r -> r.startsWith("write")).noneMatch(r -> r.startsWith("read"));
        assertThat(Files.readString(project.resolve("secret.txt"))).isEqualTo("s\n");
    }

    @Test
    void anEditorThatDoesNotAnswerFallsBackToDiskForReadsAndFailsWrites() throws Exception {
        Path f = Files.writeString(project.resolve("h.txt"), "on disk\n");
        editor.answers = false;
        ToolResult r = run("read", "{\"path\":\"h.txt\"}");
        assertThat(r.output()).contains("1\ton disk", "did not answer within 10 s", "this is the file on disk");
        assertThatThrownBy(() -> edit("h.txt", "on disk", "changed")).isInstanceOf(ToolFailure.class)
                .hasMessageContaining("The editor did not save h.txt").hasMessageContaining("nothing was written");
        assertThat(Files.readString(f)).isEqualTo("on disk\n");
    }

    @Test
    void aFileTooLargeForOneMessageStaysOnDisk() throws Exception {
        Path f = Files.writeString(project.resolve("big.txt"), "head\n" + "line\n".repeat((int) (EditorText.MAX_BYTES / 5) + 10));
        assertThat(run("read", "{\"path\":\"big.txt\",\"limit\":1}").output()).contains("1\thead");
        edit("big.txt", "head", "first");
        assertThat(editor.requests).isEmpty();
        assertThat(Files.readString(f)).startsWith("first\nline\nline\n");
    }

    @Test
    void withoutAnEditorNothingChanges() throws Exception {
        Path f = Files.writeString(project.resolve("i.txt"), "plain\n");
        var ctx = ToolContext.builder(project, permissions).session("ses_ed").call("call_1").output(tmp.resolve("out")).build();
        assertThat(ctx.session().editorFiles()).isSameAs(EditorFiles.NONE);
        executor.execute("edit", JSON.createObjectNode().put("path", "i.txt").put("oldString", "plain").put("newString", "fancy").toString(), ctx);
        assertThat(Files.readString(f)).isEqualTo("fancy\n");
    }
}
