package dev.lathe.tui.render;

/** Realistic texts the tests render: what an assistant answer, a code snippet and an edit diff look like. */
final class Samples {
    private Samples() {}

    static final String ANSWER = """
            # Fixing the flaky `SessionStore` test

            The failure comes from **two writers** racing on the same SQLite file. See the \
            [WAL documentation](https://sqlite.org/wal.html) for why *readers never block writers*, \
            and <https://example.com/issue/42> for the report.

            Steps:

            1. Open one `Db` per test:
               - create it in `@BeforeEach`
               - close it in `@AfterEach`
            2. Use a *single* writer thread.
            3. Re-run the suite.

            - [x] reproduce the race
            - [ ] write the fix

            ```java
            /** One writer. */
            final class Writer {
                private final Db db; // shared

                void insert(String id, int n) {
                    db.update("INSERT INTO t VALUES (?, ?)", id, n * 2 + 0x1F);
                }
            }
            ```

            | Option | Default | Meaning |
            |:-------|--------:|---------|
            | `journal_mode` | `DELETE` | How SQLite keeps its rollback journal; WAL allows readers during a write |
            | `busy_timeout` | 0 | Milliseconds to wait for a lock |

            > **Note:** the old test passed on CI only because the runner has a single core,
            > which hid the race.

            ---

            That's all.""";
}
