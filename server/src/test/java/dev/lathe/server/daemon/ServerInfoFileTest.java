package dev.lathe.server.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.protocol.wire.WireJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerInfoFileTest {
    @TempDir Path tmp;

    @Test
    void writesMode0600InsideA0700FolderAndReadsBack() throws Exception {
        Path file = tmp.resolve("state/lathe/server.json");
        var info = ServerInfo.of("http://127.0.0.1:4096", "secret-token", "0.1.0", java.nio.file.Path.of("/etc/lathe/managed.json"));
        try (var written = ServerInfoFile.write(file, info)) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");
            assertThat(ServerInfo.read(file)).isEqualTo(info);
            assertThat(written.path()).isEqualTo(file);
            assertThat(WireJson.read(Files.readString(file), Map.class))
                    .containsOnlyKeys("url", "token", "pid", "version", "managed")
                    .containsEntry("managed", "/etc/lathe/managed.json")
                    .containsEntry("pid", (int) ProcessHandle.current().pid());
            try (var listing = Files.list(file.getParent())) {
                assertThat(listing).containsExactly(file);  // no temporary file left behind
            }
        }
        assertThat(file).doesNotExist();
    }

    @Test
    void replacesAnExistingFileAtomically() {
        Path file = tmp.resolve("server.json");
        ServerInfoFile.write(file, new ServerInfo("http://127.0.0.1:1", "old", 1, "0.0.1"));
        var info = ServerInfo.of("http://127.0.0.1:2", "new", "0.1.0", java.nio.file.Path.of("/etc/lathe/managed.json"));
        try (var written = ServerInfoFile.write(file, info)) {
            assertThat(ServerInfo.read(file)).isEqualTo(info);
        }
    }

    @Test
    void closeLeavesAFileWrittenByAnotherServer() {
        Path file = tmp.resolve("server.json");
        var mine = ServerInfoFile.write(file, ServerInfo.of("http://127.0.0.1:1", "a", "0.1.0", java.nio.file.Path.of("/etc/lathe/managed.json")));
        var theirs = new ServerInfo("http://127.0.0.1:2", "b", 999_999, "0.1.0");
        ServerInfoFile.write(file, theirs);
        mine.close();
        assertThat(ServerInfo.read(file)).isEqualTo(theirs);
    }

    @Test
    void readRejectsIncompleteFiles() throws Exception {
        Path file = tmp.resolve("server.json");
        Files.writeString(file, "{\"url\":\"http://127.0.0.1:1\",\"pid\":5}");
        assertThatThrownBy(() -> ServerInfo.read(file)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void toStringHidesTheToken() {
        assertThat(ServerInfo.of("http://x", "very-secret", "1", java.nio.file.Path.of("/etc/lathe/managed.json")).toString()).doesNotContain("very-secret");
    }
}
