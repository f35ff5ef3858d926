package dev.lathe.core.info;

import dev.lathe.core.LatheCore;
import dev.lathe.core.config.ConfigLoader;
import dev.lathe.core.config.LathePaths;
import dev.lathe.protocol.api.LatheApi;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The real core on temp folders (XDG folders, SQLite file, a git repository as the project) with a global config
 * naming a local provider, so sessions can be created without any network.
 */
final class InfoFixture implements AutoCloseable {
    static final String GLOBAL_CONFIG = """
            {"model": "local/m",
             "provider": {"local": {"protocol": "openai-chat", "baseUrl": "http://127.0.0.1:9/v1",
                                    "models": {"m": {"context": 1000, "output": 100}}}}}
            """;

    final Path tmp;
    final Path project;
    final Map<String, String> env = new HashMap<>();
    final LathePaths paths;
    final LatheCore core;
    final LatheApi api;

    InfoFixture(Path tmp, Map<String, String> extraEnv) throws IOException, InterruptedException {
        this.tmp = tmp.toRealPath();
        project = Files.createDirectories(this.tmp.resolve("project"));
        git(project, "init", "-q");
        env.put("HOME", this.tmp.toString());
        env.put("XDG_DATA_HOME", this.tmp.resolve("data").toString());
        env.put("XDG_CONFIG_HOME", this.tmp.resolve("config").toString());
        env.put("XDG_STATE_HOME", this.tmp.resolve("state").toString());
        env.put("XDG_CACHE_HOME", this.tmp.resolve("cache").toString());
        env.put("LATHE_DISABLE_MODELS_FETCH", "1");
        env.putAll(extraEnv);
        paths = LathePaths.fromEnvironment(env);
        Files.createDirectories(paths.globalConfig().getParent());
        Files.writeString(paths.globalConfig(), GLOBAL_CONFIG);
        core = LatheCore.open(paths, env, new ConfigLoader(paths, env, this.tmp.resolve("managed.json")));
        api = core.api();
    }

    String dir() { return project.toString(); }

    Path write(String relative, String content) throws IOException {
        Path file = project.resolve(relative);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, content);
    }

    static void git(Path dir, String... args) throws IOException, InterruptedException {
        var command = new java.util.ArrayList<>(List.of("git", "-c", "user.name=t", "-c", "user.email=t@example.com"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) throw new IOException("git " + String.join(" ", args) + ": " + out);
    }

    @Override
    public void close() {
        core.close();
    }
}
