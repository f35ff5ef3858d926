package dev.lathe.core.exports;

import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.session.Session;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * One session to export: its {@code messages} as its model is sent them now (oldest first), its subagents' sessions
 * ({@code children}, each the same), and {@code mask}, applied to every text written (prompts, answers, tool arguments
 * and results, titles), which replaces each secret the server knows with {@code ***}.
 */
public record ExportSource(Session session, List<MessageWithParts> messages, List<ExportSource> children, UnaryOperator<String> mask) {
    public ExportSource {
        messages = List.copyOf(messages);
        children = List.copyOf(children);
    }
}
