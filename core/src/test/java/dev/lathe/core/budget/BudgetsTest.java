package dev.lathe.core.budget;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.core.config.Config;
import dev.lathe.core.store.sqlite.Db;
import dev.lathe.core.store.sqlite.SqliteStorage;
import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.Usage;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BudgetsTest {
    @TempDir Path tmp;

    @Test
    void allowingOnceAtAHugeCapSaturatesInsteadOfFailingTheTurn() {
        try (Db db = Db.open(tmp.resolve("lathe.db"))) {
            var sessions = SqliteStorage.over(db).sessions();
            var session = new Session(SessionId.next(), SqliteStorage.over(db).projects().idFor("/p"), "/p", Optional.empty(), "t", "build", "a/b", 1, 1,
                    Optional.empty(), new Usage(6_000, 10, 0, 0, 0), 0, Optional.empty());
            sessions.insert(session);
            var budgets = new Budgets(SqliteStorage.over(db).spend());
            long huge = Long.MAX_VALUE - 1;
            var limits = new Config.LimitsConfig(Config.LimitsConfig.DEFAULT_MAX_ANSWER_BYTES, new Config.SpendCap(0, huge), Config.SpendCap.NONE,
                    Config.SpendCap.NONE);
            var reached = new Budgets.Reached(new SpendLimit(SpendLimit.Scope.SESSION, SpendLimit.Unit.TOKENS), 6_010, huge, huge);

            budgets.raise(session, reached);

            var standing = budgets.standings(session, limits, new Budgets.InFlight(new MessageId("msg_none"), List.of())).getFirst();
            assertThat(standing.tokenCap()).isEqualTo(Long.MAX_VALUE);
        }
    }
}
