package dev.lathe.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** Merge patches into a commented config file, validation before writing, and masking of secrets. */
class ConfigEditTest {
    @TempDir Path tmp;

    static ObjectNode json(String text) { return LocatedJson.parse("test", text).root(); }

    static String edit(String text, String patch) { return JsoncEdit.apply(text, json(patch)); }

    ConfigLoader loader() {
        Map<String, String> env = Map.of("HOME", tmp.toString(), "XDG_CONFIG_HOME", tmp.resolve("xdg").toString(), "SECRET_VAR", "from-env-123456");
        return new ConfigLoader(LathePaths.fromEnvironment(env), env, tmp.resolve("managed.json"));
    }

    @Test
    void editKeepsCommentsAndTouchesOnlyPatchedMembers() {
        String before = """
                // project settings
                {
                  "model": "a/one", // the usual model
                  /* providers we run */
                  "provider": {
                    "a": { "protocol": "openai-chat", "baseUrl": "http://127.0.0.1:1/v1" }
                  },
                  "instructions": ["a.md"],
                }
                """;

        String after = edit(before, """
                {"model": "a/two", "instructions": null, "smallModel": "a/small",
                 "provider": {"a": {"baseUrl": "http://127.0.0.1:2/v1"}, "b": {"protocol": "gemini", "apiKey": null}}}""");

        assertThat(after).isEqualTo("""
                // project settings
                {
                  "model": "a/two", // the usual model
                  /* providers we run */
                  "provider": {
                    "a": { "protocol": "openai-chat", "baseUrl": "http://127.0.0.1:2/v1" },
                    "b": {
                      "protocol": "gemini"
                    }
                  },
                  "smallModel": "a/small"
                }
                """);
        assertThat(json(after)).isEqualTo(MergePatch.apply(json(before), json("""
                {"model": "a/two", "instructions": null, "smallModel": "a/small",
                 "provider": {"a": {"baseUrl": "http://127.0.0.1:2/v1"}, "b": {"protocol": "gemini"}}}""")));
    }

    @Test
    void removingTheLastMemberDropsTheCommaBeforeItAndInlineObjectsStayInline() {
        assertThat(edit("{\n  \"a\": 1, // one\n  \"b\": 2 // two\n}\n", "{\"b\": null}")).isEqualTo("{\n  \"a\": 1 // one\n}\n");
        assertThat(edit("{\"a\": 1, \"b\": 2}", "{\"a\": null}")).isEqualTo("{\"b\": 2}");
        assertThat(edit("{\"a\": 1}", "{\"c\": [1, 2]}")).isEqualTo("{\"a\": 1, \"c\": [1, 2]}");
        assertThat(edit("{}", "{\"c\": true}")).isEqualTo("{\n  \"c\": true\n}");
        assertThat(edit("{\r\n\t\"a\": 1\r\n}\r\n", "{\"b\": {\"x\": 1}}")).isEqualTo("{\r\n\t\"a\": 1,\r\n\t\"b\": {\r\n\t\t\"x\": 1\r\n\t}\r\n}\r\n");
    }

    /** Random patches on a commented file: the edited text always reads back as the patched tree, without the fallback. */
    @Test
    void editedTextAlwaysParsesToThePatchedTree() {
        var random = new java.util.Random(42);
        String[] keys = {"a", "b", "c", "d"};
        String text = """
                # yaml-style comment
                {
                  "a": {"x": 1, /* inline */ "y": [1, {"z": 2}]},
                  // about b
                  "b": "text", // trailing
                  "c": {
                    "d": {},
                  },
                }
                """;
        for (int round = 0; round < 300; round++) {
            var built = JsonNodeFactory.instance.objectNode();
            randomPatch(built, random, keys, 0);
            ObjectNode patch = json(built.toString());  // numbers as the file reader makes them
            ObjectNode expected = MergePatch.apply(json(text), patch);
            String edited = JsoncEdit.apply(text, patch);
            assertThat(json(edited)).as("round %d: patch %s on\n%s\ngave\n%s", round, patch, text, edited).isEqualTo(expected);
            text = edited.isBlank() || random.nextInt(10) == 0 ? JsoncEdit.render(expected) : edited;
        }
    }

    private static void randomPatch(ObjectNode patch, java.util.Random random, String[] keys, int depth) {
        int members = 1 + random.nextInt(3);
        for (int i = 0; i < members; i++) {
            String key = keys[random.nextInt(keys.length)];
            switch (random.nextInt(depth < 2 ? 5 : 3)) {
                case 0 -> patch.putNull(key);
                case 1 -> patch.put(key, random.nextInt(100));
                case 2 -> patch.putArray(key).add("v" + random.nextInt(5)).add(random.nextBoolean());
                default -> randomPatch(patch.putObject(key), random, keys, depth + 1);
            }
        }
    }

    @Test
    void invalidResultIsRefusedWithFileLineAndKeyAndNothingIsWritten() throws Exception {
        Path file = ConfigEditor.projectFile(tmp);
        Files.createDirectories(file.getParent());
        String original = "// mine\n{\n  \"model\": \"a/b\"\n}\n";
        Files.writeString(file, original);

        assertThatThrownBy(() -> new ConfigEditor(loader()).apply(tmp, "{\"retry\": {\"maxAttempts\": \"many\"}}"))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file + ":5: retry.maxAttempts: expected a non-negative whole number");
        assertThat(Files.readString(file)).isEqualTo(original);
        assertThatThrownBy(() -> new ConfigEditor(loader()).apply(tmp, "[1]")).isInstanceOf(IllegalArgumentException.class);
        assertThat(Files.list(file.getParent())).containsExactly(file);
    }

    @Test
    void validPatchIsWrittenAtomicallyKeepingTheModeAndTheNextLoadSeesIt() throws Exception {
        Path file = ConfigEditor.projectFile(tmp);
        var editor = new ConfigEditor(loader());

        assertThat(editor.apply(tmp, "{\"model\": \"x/y\"}")).isTrue();
        assertThat(Files.readString(file)).isEqualTo("{\n  \"model\": \"x/y\"\n}\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        assertThat(editor.apply(tmp, "{\"model\": \"x/z\"}")).isTrue();
        assertThat(editor.apply(tmp, "{\"model\": \"x/z\"}")).as("no change").isFalse();

        assertThat(loader().load(tmp).model()).contains("x/z");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(Files.list(file.getParent())).containsExactly(file);
    }

    @Test
    void maskedConfigHidesEverySecretButKeepsPermissionsAndTemplates() throws Exception {
        Files.writeString(tmp.resolve("lathe.json"), """
                {
                  "provider": {
                    "a": {"protocol": "openai-chat", "baseUrl": "http://127.0.0.1:1/v1?key=sk-literal-123456", "apiKey": "sk-literal-123456",
                          "headers": {"Authorization": "Bearer tok-777777", "X-Trace": "on", "X-Custom": "Bearer other-888888"}},
                    "b": {"protocol": "openai-chat", "baseUrl": "http://127.0.0.1:2/v1", "apiKey": "{env:SECRET_VAR}"}
                  },
                  "mcp": {"github-auth": {"type": "local", "command": ["gh-mcp"], "env": {"GITHUB_PAT": "ghp_abcdef", "LEVEL": "debug"}}},
                  "permission": {"bash": {"git push --token*": "deny"}}
                }
                """);

        String masked = loader().maskedJson(tmp);

        assertThat(masked).doesNotContain("sk-literal-123456", "tok-777777", "other-888888", "ghp_abcdef", "from-env-123456", "debug");
        var tree = json(masked);
        assertThat(tree.path("provider").path("a").path("apiKey").asString()).isEqualTo("***");
        assertThat(tree.path("provider").path("a").path("baseUrl").asString()).isEqualTo("http://127.0.0.1:1/v1?key=***");
        assertThat(tree.path("provider").path("a").path("headers").path("X-Trace").asString()).isEqualTo("on");
        assertThat(tree.path("provider").path("b").path("apiKey").asString()).isEqualTo("***");
        assertThat(tree.path("mcp").path("github-auth").path("command").get(0).asString()).isEqualTo("gh-mcp");
        assertThat(tree.path("permission").path("bash").path("git push --token*").asString()).isEqualTo("deny");
        assertThat(tree.path("permission").path("read").path("*").asString()).as("defaults are merged in").isEqualTo("allow");
    }

    @Test
    void theStoreUrlIsReadExpandedAndShownMasked() throws Exception {
        // the server's own (global) layer: an untrusted project's layer would get no {env:…} expanded
        Path global = Files.createDirectories(tmp.resolve("xdg/lathe")).resolve("lathe.json");
        Files.writeString(global, "{\"store\": \"postgresql://lathe:{env:SECRET_VAR}@db:5432/team\"}");
        assertThat(loader().load(tmp).store()).contains("postgresql://lathe:from-env-123456@db:5432/team");
        assertThat(json(loader().maskedJson(tmp)).path("store").asString()).isEqualTo("***");
    }
}
