package dev.lathe.acp;

import tools.jackson.databind.JsonNode;

/**
 * What the editor offers in {@code initialize}: reading its buffers ({@code fs/read_text_file}) and writing through it
 * ({@code fs/write_text_file}). Its {@code terminal} is not used: a command run by the editor would run outside
 * Lathe's OS sandbox and past its deny rules (docs/decisions.md), so commands run in Lathe and their output is shown in
 * the tool call.
 */
record EditorCapabilities(boolean readTextFile, boolean writeTextFile) {
    static final EditorCapabilities NONE = new EditorCapabilities(false, false);

    static EditorCapabilities of(JsonNode clientCapabilities) {
        JsonNode fs = clientCapabilities.path("fs");
        return new EditorCapabilities(fs.path("readTextFile").asBoolean(false), fs.path("writeTextFile").asBoolean(false));
    }

    boolean anyFiles() { return readTextFile || writeTextFile; }
}
