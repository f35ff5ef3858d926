package dev.lathe.core.offline;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** A program found on the {@code PATH}, asked for its version: the first line of {@code PROGRAM --version}. */
final class InstalledProgram {
    private InstalledProgram() {}

    /** The first line {@code program --version} prints, or empty when it is not on the {@code PATH} or fails. */
    static Optional<String> version(String program) {
        try {
            Process p = new ProcessBuilder(List.of(program, "--version")).redirectErrorStream(true).start();
            p.getOutputStream().close();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return Optional.empty();
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return p.exitValue() == 0 ? Optional.of(out.lines().findFirst().orElse(program)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
