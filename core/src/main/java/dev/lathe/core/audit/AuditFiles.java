package dev.lathe.core.audit;

import java.nio.file.Path;

/**
 * Where each project's audit file is: {@code <data>/audit/<key>.jsonl}, the key being the first 32 hex digits of the
 * SHA-256 of the project folder's real path. Keyed by folder rather than by project id so {@code lathe audit --dir}
 * finds the file without opening the server's database.
 */
public record AuditFiles(Path folder) {
    /** The name of the chain's key ({@link AuditKey}) in {@code folder}: never a log's ({@code .jsonl}, {@code .head}). */
    public static final String KEY_NAME = "chain.key";  // as LathePaths.auditKey() names it

    /** The file of the key the chains are keyed with. */
    public Path key() { return folder.resolve(KEY_NAME); }

    /** The file of the project (or session) folder {@code directory}. */
    public Path of(Path directory) {
        Path real;
        try {
            real = directory.toAbsolutePath().normalize().toRealPath();
        } catch (java.io.IOException e) {
            real = directory.toAbsolutePath().normalize();
        }
        return folder.resolve(AuditChain.sha256(real.toString()).substring(0, 32) + ".jsonl");
    }
}
