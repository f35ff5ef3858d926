package dev.lathe.core.sandbox;

import java.nio.file.Path;
import java.util.List;

/** The layouts the sandbox tests use: the user's folder given, the rest where this process's environment places it. */
final class TestLayouts {
    private TestLayouts() {}

    /** The layout of {@code project} in the repository at {@code repoRoot}, guarding the user's folder {@code userConfig}. */
    static SandboxLayout of(Path project, Path repoRoot, Path userConfig) {
        return SandboxLayout.of(project, repoRoot, List.of(userConfig), System.getenv());
    }
}
