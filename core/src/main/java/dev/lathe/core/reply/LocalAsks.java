package dev.lathe.core.reply;

import dev.lathe.protocol.SessionId;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * The asks of one process (the single-process cluster's asks part, {@code core.cluster.LocalCluster}): an ask waits,
 * and is answered, only where it was opened, so nothing is stored and no other node is told. An answer is
 * {@link Answer#STORED}: the broker then completes the call waiting here, which takes the first answer only.
 */
public enum LocalAsks implements TeamAsks {
    INSTANCE;

    @Override public void opened(Kind kind, String id, SessionId session, String directory, String request) {}

    @Override public Answer answer(Kind kind, String id, String reply) { return Answer.STORED; }

    @Override public Optional<String> request(Kind kind, String id) { return Optional.empty(); }

    @Override public void closed(String id) {}

    @Override public List<Open> open(Kind kind, String directory) { return List.of(); }

    @Override public void listen(Kind kind, BiConsumer<String, String> answered) {}
}
