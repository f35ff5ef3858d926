package dev.lathe.core.store;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every part of the storage contract needs: a folder of its own per test and the adapter under test. An adapter's
 * test (e.g. {@code SqliteStorageContractTest}) extends each contract class in a nested class that says how to open it.
 */
public abstract class StorageFixture {
    @TempDir protected Path tmp;

    /**
     * The adapter's storage kept in {@code dir}: empty the first time, and what was stored there before (closed) when
     * opened again with the same folder.
     */
    protected abstract Storage open(Path dir);
}
