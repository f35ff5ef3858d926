package dev.lathe.tools;

import dev.lathe.llm.Cancellation;
import java.nio.file.Path;

/**
 * Everything a call may use. {@code projectDir} is the absolute, normalised project root: relative paths in
 * arguments resolve against it. {@code outputDir} is where full output of truncated results is saved.
 */
public record ToolContext(Path projectDir, String sessionId, String callId, Permissions permissions,
        Cancellation cancellation, ToolProgress progress, Path outputDir) {}
