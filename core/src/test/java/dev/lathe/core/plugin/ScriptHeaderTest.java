package dev.lathe.core.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.tools.Effect;
import dev.lathe.tools.PermissionSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScriptHeaderTest {
    @TempDir Path tmp;

    private Path file(String text) throws Exception {
        return Files.writeString(tmp.resolve("t"), text);
    }

    @Test void readsAHeaderContinuedOverCommentLinesWithAnyPrefix() throws Exception {
        var h = ScriptHeader.read(file("#!/usr/bin/env node\n// lathe-tool: {\"name\": \"js_tool\",\n//   \"description\": \"d\", \"timeout\": 5,\n"
                + "//   \"parameters\": {\"type\": \"object\", \"properties\": {\"x\": {\"type\": \"string\"}}}}\nconsole.log(1)\n")).orElseThrow();
        assertThat(h).isEqualTo(new ScriptHeader("js_tool", "d", "{\"type\":\"object\",\"properties\":{\"x\":{\"type\":\"string\"}}}",
                ScriptHeader.ANYTHING, PermissionSource.wholeTool(), Duration.ofSeconds(5)));
        var sql = ScriptHeader.read(file("-- lathe-tool: {\"name\": \"q\", \"description\": \"d\", \"effects\": [\"reads_files\"],"
                + " \"permission\": {\"kind\": \"path\", \"argument\": \"file\"}}\n")).orElseThrow();
        assertThat(sql.effects()).isEqualTo(Set.of(Effect.READS_FILES));
        assertThat(sql.permission()).isEqualTo(PermissionSource.path("file"));
        assertThat(sql.parametersSchema()).isEqualTo("{\"type\":\"object\",\"properties\":{}}");
    }

    @Test void aFileWithoutAHeaderIsNoTool() throws Exception {
        assertThat(ScriptHeader.read(file("#!/bin/sh\necho hi\n"))).isEmpty();
    }

    @Test void badHeadersNameTheFileLineAndKey() throws Exception {
        assertThatThrownBy(() -> ScriptHeader.read(file("#!/bin/sh\n# lathe-tool: {\"name\": \"a b\", \"description\": \"d\"}\n")))
                .hasMessageContaining("t:2: key 'name'");
        assertThatThrownBy(() -> ScriptHeader.read(file("# lathe-tool: {\"name\": \"a\", \"description\": \"d\", \"effects\": [\"writes_files\"]}\n")))
                .hasMessageContaining("t:1: key 'effects': 'writes_files' is not one of");
        assertThatThrownBy(() -> ScriptHeader.read(file("# lathe-tool: {\"name\": \"a\", \"description\": \"d\", \"colour\": 1}\n")))
                .hasMessageContaining("key 'colour' is not a lathe-tool key");
        assertThatThrownBy(() -> ScriptHeader.read(file("# lathe-tool: {\"name\": \"a\",\necho\n")))
                .hasMessageContaining("t:1: the lathe-tool header is not a complete JSON object");
        assertThatThrownBy(() -> ScriptHeader.read(file("# lathe-tool: {\"name\": \"a\", \"description\": \"d\", \"timeout\": 0}\n")))
                .hasMessageContaining("key 'timeout'");
    }
}
