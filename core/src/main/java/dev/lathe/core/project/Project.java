package dev.lathe.core.project;

import dev.lathe.core.config.Config;
import dev.lathe.core.model.ModelResolver;
import dev.lathe.core.permission.Ruleset;
import dev.lathe.protocol.ProjectId;
import java.nio.file.Path;

/** One project folder as the server sees it. {@code directory} is the folder sessions were created with. */
public record Project(ProjectId id, Path directory, Path repoRoot, Config config, Ruleset rules, ModelResolver models,
        String instructions) {}
