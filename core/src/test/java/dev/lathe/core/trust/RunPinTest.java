package dev.lathe.core.trust;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.core.config.Config;
import dev.lathe.core.config.ConfigLoader;
import dev.lathe.core.config.LathePaths;
import dev.lathe.core.hooks.ClaudeToolNames;
import dev.lathe.core.hooks.HookEngine;
import dev.lathe.core.hooks.HookInput;
import dev.lathe.core.hooks.HookOutcome;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pins checked at the moment of execution (DESIGN §24), on real files: a trusted folder's hook runs its script; the
 * script changed after the configuration was read (no reload, as on a running server) is refused at the next run,
 * with one line naming the file, and the marker the new content would write never appears. Written from the
 * mechanism — the shell resolves the script — so each way of naming it is a case: {@code ./scripts/h.sh},
 * {@code cd scripts && ./h.sh}, {@code bash h.sh} after {@code cd}, and a script reached through a link to a folder
 * outside the project.
 */
class RunPinTest {
    @TempDir Path tmp;

    private Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("XDG_CONFIG_HOME", tmp.resolve("xdg-config").toString());
        env.put("XDG_DATA_HOME", tmp.resolve("data").toString());
        env.put("HOME", tmp.toString());
        env.put("PATH", System.getenv("PATH"));
        return env;
    }

    private ConfigLoader loader() {
        var env = env();
        return new ConfigLoader(LathePaths.fromEnvironment(env), env, tmp.resolve("managed.json"));
    }

    private static void script(Path file, Path marker) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, "#!/bin/sh\ntouch " + marker + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private HookOutcome fire(Config config, Path project) {
        HookEngine engine = HookEngine.create(config.hooks(), new ClaudeToolNames(Set.of()), project, env(), Set.of(), HttpClient.newHttpClient(), line -> Optional.empty());
        return engine.fire(new HookInput(new HookInput.Common("ses_1", Optional.empty(), project, "default"), new HookInput.UserPromptSubmit("hi")));
    }

    /** Trusts {@code project} as it is, reads its config once, then changes the script and fires again. */
    private void changedScriptIsRefused(Path project, String command, Path script) throws IOException {
        Path approved = tmp.resolve("approved"), evil = tmp.resolve("evil");
        script(script, approved);
        Files.createDirectories(project.resolve(".claude"));
        Files.writeString(project.resolve(".claude/settings.json"),
                "{\"hooks\": {\"UserPromptSubmit\": [{\"hooks\": [{\"type\": \"command\", \"command\": \"" + command + "\"}]}]}}");
        dev.lathe.core.info.TrustReview.approve(loader(), project);
        Config config = loader().load(project);
        assertThat(config.hooks()).hasSize(1);

        fire(config, project);
        assertThat(approved).as("the approved script runs").exists();

        script(script, evil);
        HookOutcome second = fire(config, project);
        assertThat(evil).as("the script changed after trust does not run").doesNotExist();
        assertThat(second.runs()).singleElement().satisfies(run -> assertThat(run.describe()).contains("not run: ")
                .contains(" changed since trust").contains("lathe trust"));

        // approved again: the configuration read afresh pins the new content, which runs
        dev.lathe.core.info.TrustReview.approve(loader(), project);
        fire(loader().load(project), project);
        assertThat(evil).exists();
    }

    @Test
    void aScriptNamedFromTheProjectRoot() throws IOException {
        Path project = Files.createDirectories(tmp.resolve("p"));
        changedScriptIsRefused(project, "./scripts/h.sh", project.resolve("scripts/h.sh"));
    }

    @Test
    void aScriptRunAfterCdIntoItsFolder() throws IOException {
        Path project = Files.createDirectories(tmp.resolve("p"));
        changedScriptIsRefused(project, "cd scripts && ./h.sh", project.resolve("scripts/h.sh"));
    }

    @Test
    void aScriptHandedToAnInterpreterAfterCd() throws IOException {
        Path project = Files.createDirectories(tmp.resolve("p"));
        changedScriptIsRefused(project, "cd scripts; sh h.sh", project.resolve("scripts/h.sh"));
    }

    @Test
    void aScriptThroughALinkToAFolderOutsideTheProject() throws IOException {
        Path project = Files.createDirectories(tmp.resolve("p"));
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.createSymbolicLink(project.resolve("scripts"), outside);
        changedScriptIsRefused(project, "./scripts/h.sh", outside.resolve("h.sh"));
    }

    @Test
    void aScriptThroughALinkedFolderAfterCd() throws IOException {
        Path project = Files.createDirectories(tmp.resolve("p"));
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.createSymbolicLink(project.resolve("scripts"), outside);
        changedScriptIsRefused(project, "cd scripts && ./h.sh", outside.resolve("h.sh"));
    }

    @Test
    void aHookWhoseScriptIsGoneOrReplacedByALinkIsRefused() throws IOException {
        Path project = Files.createDirectories(tmp.resolve("p"));
        Path approved = tmp.resolve("approved");
        script(project.resolve("scripts/h.sh"), approved);
        Files.createDirectories(project.resolve(".claude"));
        Files.writeString(project.resolve(".claude/settings.json"),
                "{\"hooks\": {\"UserPromptSubmit\": [{\"hooks\": [{\"type\": \"command\", \"command\": \"./scripts/h.sh\"}]}]}}");
        dev.lathe.core.info.TrustReview.approve(loader(), project);
        Config config = loader().load(project);
        Path evil = tmp.resolve("evil");
        script(tmp.resolve("elsewhere/x.sh"), evil);
        Files.delete(project.resolve("scripts/h.sh"));
        Files.createSymbolicLink(project.resolve("scripts/h.sh"), tmp.resolve("elsewhere/x.sh"));
        assertThat(fire(config, project).runs()).singleElement().satisfies(run -> assertThat(run.describe()).contains("scripts/h.sh changed since trust"));
        assertThat(evil).doesNotExist();
    }

    // Files the command runs by itself, never named on its line (issue 52): each is written to touch the marker, so
    // what runs is seen; changed after trust, the next run is refused and the new content never runs.

    /** A file that touches {@code marker} in {@code language}. */
    private static String touching(String language, Path marker) {
        return switch (language) {
            case "sh" -> "touch " + marker + "\n";
            case "python" -> "open(" + '"' + marker + '"' + ", 'w').close()\n";
            case "make" -> "hook:\n\t@touch " + marker + "\n";
            case "npm" -> "{\"name\": \"p\", \"scripts\": {\"hook\": \"touch " + marker + "\"}}\n";
            default -> throw new IllegalArgumentException(language);
        };
    }

    /**
     * Trusts {@code project} (whose {@code fixed} files are written as given) with a hook running {@code command},
     * where {@code loaded} (in {@code language}) touches the marker; an unchanged run runs again, a changed one is refused.
     */
    private void changedLoadedFileIsRefused(Path project, String command, Map<Path, String> fixed, Path loaded, String language) throws IOException {
        Path approved = tmp.resolve("approved"), evil = tmp.resolve("evil");
        for (var e : fixed.entrySet()) script(e.getKey(), approved);
        for (var e : fixed.entrySet()) Files.writeString(e.getKey(), e.getValue());
        Files.createDirectories(loaded.getParent());
        Files.writeString(loaded, touching(language, approved));
        Files.createDirectories(project.resolve(".claude"));
        Files.writeString(project.resolve(".claude/settings.json"),
                "{\"hooks\": {\"UserPromptSubmit\": [{\"hooks\": [{\"type\": \"command\", \"command\": \"" + command.replace("\"", "\\\"") + "\"}]}]}}");
        dev.lathe.core.info.TrustReview.approve(loader(), project);
        Config config = loader().load(project);
        assertThat(config.hooks()).hasSize(1);

        fire(config, project);
        assertThat(approved).as("the approved file runs").exists();
        Files.delete(approved);
        fire(config, project);
        assertThat(approved).as("unchanged, it runs again").exists();

        Files.writeString(loaded, touching(language, evil));
        HookOutcome second = fire(config, project);
        assertThat(evil).as("the file changed after trust does not run").doesNotExist();
        assertThat(second.runs()).singleElement().satisfies(run -> assertThat(run.describe()).contains("not run: ")
                .contains(" changed since trust"));
    }

    @Test
    void aLibrarySourcedFromTheScriptsFolder() throws IOException {
        Path project = Files.createDirectories(tmp.resolve("p"));
        changedLoadedFileIsRefused(project, "./scripts/h.sh",
                Map.of(project.resolve("scripts/h.sh"), "#!/bin/sh\n. \"$(dirname \"$0\")/../lib/common.sh\"\n"),
                project.resolve("lib/common.sh"), "sh");
    }

    @Test
    void aLibrarySourcedThroughTheScriptFolderParameterForm() throws IOException {
        Path project = Files.createDirectories(tmp.resolve("p"));
        changedLoadedFileIsRefused(project, "bash scripts/h",
                Map.of(project.resolve("scripts/h"), "#!/usr/bin/env bash\nset -e\nsource \"${0%/*}/lib.sh\"\n"),
                project.resolve("scripts/lib.sh"), "sh");
    }

    @Test
    void aLibrarySourcedFromTheWorkingFolder() throws IOException {
        Path project = Files.createDirectories(tmp.resolve("p"));
        changedLoadedFileIsRefused(project, "./scripts/h.sh",
                Map.of(project.resolve("scripts/h.sh"), "#!/bin/sh\n[ -f lib/x.sh ] && . lib/x.sh\n"),
                project.resolve("lib/x.sh"), "sh");
    }

    @Test
    void aLibrarySourcedTwoLevelsDownAfterCd() throws IOException {
        Path project = Files.createDirectories(tmp.resolve("p"));
        Files.createDirectories(project.resolve("scripts"));
        Files.writeString(project.resolve("scripts/lib.sh"), ". ./deeper.sh\n");
        changedLoadedFileIsRefused(project, "cd scripts && sh h.sh",
                Map.of(project.resolve("scripts/h.sh"), "#!/bin/sh\n. ./lib.sh\n"),
                project.resolve("scripts/deeper.sh"), "sh");
    }

    @Test
    void aPythonModule() throws IOException {
        Path project = Files.createDirectories(tmp.resolve("p"));
        Files.createDirectories(project.resolve("tools"));
        Files.writeString(project.resolve("tools/__init__.py"), "");
        changedLoadedFileIsRefused(project, "python3 -m tools.hook", Map.of(), project.resolve("tools/hook.py"), "python");
    }

    @Test
    void aPythonModuleAtTheTop() throws IOException {
        Path project = Files.createDirectories(tmp.resolve("p"));
        changedLoadedFileIsRefused(project, "python3 -m hook", Map.of(), project.resolve("hook.py"), "python");
    }

    @Test
    void aMakefile() throws IOException {
        Path project = Files.createDirectories(tmp.resolve("p"));
        changedLoadedFileIsRefused(project, "make -s hook", Map.of(), project.resolve("Makefile"), "make");
    }

    @Test
    void aMakefileInTheFolderMakeChangesInto() throws IOException {
        Path project = Files.createDirectories(tmp.resolve("p"));
        changedLoadedFileIsRefused(project, "make -s -C build hook", Map.of(), project.resolve("build/Makefile"), "make");
    }

    @Test
    void aMakefileTheMakefileIncludes() throws IOException {
        Path project = Files.createDirectories(tmp.resolve("p"));
        Files.createDirectories(project.resolve("mk"));
        Files.writeString(project.resolve("mk/common.mk"), "include mk/rules.mk\n");
        changedLoadedFileIsRefused(project, "make -s hook", Map.of(project.resolve("Makefile"), "-include mk/common.mk\n"),
                project.resolve("mk/rules.mk"), "make");
    }

    @Test
    void aPackageJsonScript() throws IOException {
        Path project = Files.createDirectories(tmp.resolve("p"));
        changedLoadedFileIsRefused(project, "npm run --silent hook", Map.of(), project.resolve("package.json"), "npm");
    }

    @Test
    void aSourcedOperandOnlyTheShellKnowsIsListedAndStillRuns() throws IOException {
        Path project = Files.createDirectories(tmp.resolve("p"));
        Path approved = tmp.resolve("approved");
        script(project.resolve("scripts/h.sh"), approved);
        Files.writeString(project.resolve("scripts/h.sh"), "#!/bin/sh\n. \"$LIB\" 2>/dev/null\ntouch " + approved + "\n");
        TrustItem item = new TrustItem(Withheld.Kind.HOOKS, ".claude/settings.json", "UserPromptSubmit", "./scripts/h.sh");
        assertThat(ReferencedFiles.pin(project, item)).contains("scripts/h.sh sources $LIB (not pinned)");
        RunPin pin = RunPin.of(project, item);
        assertThat(pin.refusal()).isEmpty();
    }

    @Test
    void aLibrarySourcedThroughALinkToAFolderOutsideTheProject() throws IOException {
        Path project = Files.createDirectories(tmp.resolve("p"));
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.createSymbolicLink(project.resolve("lib"), outside);
        changedLoadedFileIsRefused(project, "./scripts/h.sh",
                Map.of(project.resolve("scripts/h.sh"), "#!/bin/sh\n. \"$(dirname \"$0\")/../lib/common.sh\"\n"),
                outside.resolve("common.sh"), "sh");
    }
}
