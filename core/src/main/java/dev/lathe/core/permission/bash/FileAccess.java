package dev.lathe.core.permission.bash;

import java.nio.file.Path;

/** A path a command reads or writes, absolute with symlinks of its existing part resolved; {@code via} says why. */
public record FileAccess(Path path, Access access, String via) {}
