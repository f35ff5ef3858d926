package dev.lathe.core.permission;

import dev.lathe.tools.FileGateway;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A project's {@code read} rules as {@link FileGateway} applies them to a file's names: a {@code deny} holds a name back
 * outright; an {@code ask} whose rule names the path ({@code .env}, {@code *.pem}, {@code secrets/**} by default) holds
 * it back as {@link FileGateway.Hold#ASK}, while a catch-all {@code "*": "ask"} does not (it would hold back every file
 * alike, so no copy could lose it). Paths are named as the read tool names them: relative to the working folder inside
 * it, absolute outside.
 */
public record ReadHolds(Ruleset rules, Path workingDir) implements FileGateway.ReadRules {
    public ReadHolds {
        workingDir = workingDir.toAbsolutePath().normalize();
    }

    @Override
    public FileGateway.Hold hold(Path path) {
        Optional<Rule> rule = rules.winner("read", value(path));
        if (rule.isEmpty()) return FileGateway.Hold.NONE;
        return switch (rule.get().action()) {
            case DENY -> FileGateway.Hold.DENY;
            case ASK -> Pattern.specificity(rule.get().pattern()) > 0 ? FileGateway.Hold.ASK : FileGateway.Hold.NONE;
            case ALLOW -> FileGateway.Hold.NONE;
        };
    }

    private String value(Path p) {
        Path abs = p.toAbsolutePath().normalize();
        if (abs.startsWith(workingDir)) {
            String rel = workingDir.relativize(abs).toString().replace('\\', '/');
            return rel.isEmpty() ? "." : rel;
        }
        Path real = real(workingDir);
        if (!real.equals(workingDir) && abs.startsWith(real)) {
            String rel = real.relativize(abs).toString().replace('\\', '/');
            return rel.isEmpty() ? "." : rel;
        }
        return abs.toString();
    }

    private static Path real(Path p) {
        try {
            return p.toRealPath();
        } catch (java.io.IOException e) {
            return p;
        }
    }
}
